#pragma once
// The probe's only window on /sys and /proc: paths resolved under a root directory, so the same
// code reads the live machine ("/") or a tree captured with hwloc-gather-topology.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace shapeq {

class SysRoot {
 public:
  // An empty root means "nothing to read": every lookup answers empty (XML-only probes).
  explicit SysRoot(std::filesystem::path root) : root_(std::move(root)) {}

  bool empty() const { return root_.empty(); }
  const std::filesystem::path& root() const { return root_; }

  // The file's text with trailing whitespace trimmed; empty when absent or unreadable.
  std::optional<std::string> ReadText(const std::string& path) const;
  // Names in a directory, sorted; empty when it does not exist.
  std::vector<std::string> List(const std::string& path) const;
  bool Exists(const std::string& path) const;
  // The last component of a symlink's target ("mlx5_core" for .../device/driver).
  std::optional<std::string> LinkTargetName(const std::string& path) const;

 private:
  std::filesystem::path Resolve(const std::string& path) const;
  std::filesystem::path root_;
};

}  // namespace shapeq
