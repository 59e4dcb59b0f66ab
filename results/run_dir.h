#pragma once
// A results directory, the one place that knows its layout: the files a run writes (names as
// constants), the writer qualify uses (atomic files, every one listed in the manifest as it is
// written, an earlier run's files removed only with --force) and the reader show, compare,
// report, push and serve use (only the files the manifest lists, each checked for the shape its
// readers rely on).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/fingerprint.h"
#include "model/measurement.h"
#include "model/run_manifest.h"
#include "scoring/measured_shape.h"
#include "scoring/score_document.h"
#include "workloads/kernels.h"  // kStorageFile, kNetworkFile, kDatapathFile

namespace shapeq {

inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kPlanFile = "plan.json";
inline constexpr const char* kFingerprintFile = "fingerprint.json";
inline constexpr const char* kFingerprintTextFile = "fingerprint.txt";
inline constexpr const char* kVerdictsFile = "verdicts.json";
inline constexpr const char* kScoreTextFile = "score.txt";
inline constexpr const char* kCompareTextFile = "compare.txt";
inline constexpr const char* kReportHtmlFile = "report.html";
inline constexpr const char* kReportMarkdownFile = "report.md";
inline constexpr const char* kReportCsvFile = "report.csv";
inline constexpr const char* kPkbSamplesFile = "pkb_samples.json";  // PerfKitBenchmarker's samples, a line each
inline constexpr const char* kScratchDir = "scratch";  // the storage stage's scratch file, while it runs
inline constexpr const char* kRunFileNames[] = {kManifestFile, kPlanFile, kFingerprintFile, kFingerprintTextFile, kStorageFile,
                                                kNetworkFile, kDatapathFile, kVerdictsFile, kScoreTextFile, kCompareTextFile,
                                                kReportHtmlFile, kReportMarkdownFile, kReportCsvFile, kPkbSamplesFile};

// The files written after the results digest is fixed: the report that names it, and what is
// derived from the report's reading. Every other file of a run counts in it.
inline constexpr const char* kAfterResultsDigest[] = {kReportHtmlFile, kReportMarkdownFile, kReportCsvFile, kPkbSamplesFile};
// The digest a report names for its run: SHA-256 of sha256sum's lines ("HASH  NAME") of the
// manifest's file digests, sorted by name, kAfterResultsDigest left out.
std::string ResultsDigest(const nlohmann::json& sha256_by_file);

// What a results directory holds, read back (files absent from a partial run stay empty).
struct RunFiles {
  std::string dir;
  std::string run_id;  // the directory's name
  Fingerprint fingerprint;
  std::vector<Measurement> storage;
  std::vector<Measurement> datapath;
  std::optional<Measurement> network;
  bool complete = false;
  RunManifest manifest;  // empty when the run wrote none
  std::optional<ScoreDocument> scores;  // verdicts.json; empty when the run was not scored
};

// Throws Error(kBadInput) naming the file when one is missing (fingerprint.json) or malformed.
RunFiles ReadRunFiles(const std::string& dir);

// Writes a run: a new directory (or, with `force`, an earlier run's with that run's files
// removed first; anything else in it stays), the manifest rewritten after every change, so a
// crash leaves the last state and never half a file. The manifest lists every file with its
// SHA-256 and the results digest over them (what `shapeq verify` checks). Throws Error(kUsage) for a non-empty
// directory without `force`, Error(kEnvironment) when it cannot be created.
class RunDirWriter {
 public:
  RunDirWriter(std::filesystem::path dir, bool force, nlohmann::json manifest);
  const std::filesystem::path& dir() const { return dir_; }
  nlohmann::json& manifest() { return manifest_; }
  // `file` (one of the names above) written atomically, and listed in the manifest.
  void Write(const char* file, std::string_view text);
  // Listed as written by another writer (the shape report's three files).
  void Written(const char* file);
  void SaveManifest() const;

 private:
  // Listed with its SHA-256 (manifest "sha256"), and the results digest brought up to date.
  void Record(const char* file, const std::string& sha256);
  std::filesystem::path dir_;
  nlohmann::json manifest_;
};

}  // namespace shapeq
