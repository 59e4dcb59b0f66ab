#pragma once
// The probe's only window on /sys and /proc: paths resolved under a root directory, so the same
// code reads the live machine ("/") or a tree captured with hwloc-gather-topology.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shapeq {

class SysRoot {
 public:
  // An empty root means "nothing to read": every lookup answers empty (XML-only probes).
  explicit SysRoot(std::filesystem::path root) : root_(std::move(root)) {}

  bool empty() const { return root_.empty(); }
  const std::filesystem::path& root() const { return root_; }

  // The file's text with trailing whitespace trimmed; empty when absent, unreadable, not a
  // regular file, or larger than kMaxFileBytes.
  static constexpr size_t kMaxFileBytes = size_t{1} << 20;
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

// Decimal digits only, within uint64_t: "1e23", "-5", "" and "12 kB" are nullopt.
std::optional<uint64_t> ParseWholeNumber(std::string_view text);

}  // namespace shapeq
