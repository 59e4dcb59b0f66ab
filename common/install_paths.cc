#include "common/install_paths.h"

#include <filesystem>

namespace shapeq {

std::string InstalledOr(const std::string& relative, const std::string& build_path) {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return build_path;
  const std::filesystem::path installed = exe.parent_path().parent_path() / relative;
  return std::filesystem::exists(installed, ec) ? installed.lexically_normal().string() : build_path;
}

}  // namespace shapeq
