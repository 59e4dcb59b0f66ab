#pragma once
// A private directory (mode 700, from mkdtemp) for job files, fio's output and sockets, removed
// with everything in it.
#include <filesystem>
#include <string>

namespace shapeq {

class TempDir {
 public:
  // Error(kEnvironment) when it cannot be made. `prefix`: the name before mkdtemp's XXXXXX.
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace shapeq
