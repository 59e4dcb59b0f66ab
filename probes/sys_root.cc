#include "probes/sys_root.h"

#include <algorithm>
#include <charconv>
#include <system_error>

#include "common/error.h"
#include "common/json_read.h"

namespace shapeq {

std::filesystem::path SysRoot::Resolve(const std::string& path) const {
  // Paths are absolute (/sys/...); strip the leading slash so they land under the root.
  return root_ / std::filesystem::path(path).relative_path();
}

std::optional<std::string> SysRoot::ReadText(const std::string& path) const {
  if (empty()) return std::nullopt;
  std::string value;
  try {
    // A regular file of at most 1 MiB: a captured root's link to /dev/zero or a FIFO in it must
    // neither run forever nor hang (sysfs attributes and /proc files are regular files).
    value = ReadRegularFile(Resolve(path).string(), kMaxFileBytes);
  } catch (const Error&) {
    return std::nullopt;  // absent, unreadable (EINVAL from an attribute with no value), or not a file
  }
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

std::optional<uint64_t> ParseWholeNumber(std::string_view text) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace shapeq
