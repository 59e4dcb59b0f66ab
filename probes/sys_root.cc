#include "probes/sys_root.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

namespace shapeq {

std::filesystem::path SysRoot::Resolve(const std::string& path) const {
  // Paths are absolute (/sys/...); strip the leading slash so they land under the root.
  return root_ / std::filesystem::path(path).relative_path();
}

std::optional<std::string> SysRoot::ReadText(const std::string& path) const {
  if (empty()) return std::nullopt;
  std::ifstream in(Resolve(path));
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;  // e.g. EINVAL from a sysfs attribute with no value
  std::string value = text.str();
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.pop_back();
  return value;
}

std::vector<std::string> SysRoot::List(const std::string& path) const {
  std::vector<std::string> names;
  if (empty()) return names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(Resolve(path), ec), end; !ec && it != end; it.increment(ec)) {
    // sysfs has no dot-entries; captured trees may (.keep keeps an empty holders/ in git).
    std::string name = it->path().filename().string();
    if (!name.starts_with('.')) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool SysRoot::Exists(const std::string& path) const {
  std::error_code ec;
  return !empty() && std::filesystem::exists(Resolve(path), ec);
}

std::optional<std::string> SysRoot::LinkTargetName(const std::string& path) const {
  if (empty()) return std::nullopt;
  std::error_code ec;
  auto target = std::filesystem::read_symlink(Resolve(path), ec);
  if (ec) return std::nullopt;
  return target.filename().string();
}

}  // namespace shapeq
