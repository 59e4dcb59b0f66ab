#include "common/temp_dir.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace shapeq {

TempDir::TempDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) throw Error(ExitCode::kEnvironment, "cannot create a temporary directory: " + std::string(std::strerror(errno)));
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace shapeq
