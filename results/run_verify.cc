#include "results/run_verify.h"

#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/json_read.h"
#include "common/sha256.h"
#include "model/datapath_detail.h"
#include "results/node_shape.h"
#include "results/run_dir.h"
#include "scoring/measured_shape.h"
#include "scoring/profiles.h"
#include "scoring/score_document.h"
#include "scoring/uncertainty.h"
#include "workloads/fio_output.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Figures are written at full precision (%.17g): re-derived, they are the same number.
bool Same(double recorded, double derived) { return std::fabs(recorded - derived) <= 1e-9 * std::max(std::fabs(recorded), std::fabs(derived)) + 1e-12; }
bool Same(const std::optional<double>& recorded, const std::optional<double>& derived) {
  return recorded.has_value() == derived.has_value() && (!recorded || Same(*recorded, *derived));
}
std::string Shown(const std::optional<double>& value) { return value ? json(*value).dump() : "none"; }

class Verifier {
 public:
  explicit Verifier(fs::path dir) : dir_(std::move(dir)) {}

  VerifyResult Run() {
    const json manifest = ReadJsonFile((dir_ / kManifestFile).string());
    if (!manifest.is_object() || !manifest.contains("sha256") || !manifest["sha256"].is_object()) {
      throw BadInput((dir_ / kManifestFile).string(), "field sha256: missing (a run written before shapeq kept digests cannot be verified)");
    }
    CheckDigests(manifest);
    // Figures are re-derived from what is there, even from a changed file: the finding above
    // says it changed, these say which figure no longer follows.
    const RunFiles run = ReadRunFiles(dir_.string());
    CheckStorage(run);
    CheckNetwork(run);
    CheckDatapath(run);
    CheckVerdicts(run, manifest);
    return std::move(result_);
  }

 private:
  void Find(const std::string& file, const std::string& what) { result_.findings.push_back({(dir_ / file).string(), what}); }
  void Held(const std::string& line) { result_.checked.push_back(line); }

  // 1. Every listed file against its digest; the results digest over them; the report's.
  void CheckDigests(const json& manifest) {
    const json& digests = manifest["sha256"];
    for (const auto& file : manifest.value("files", json::array())) {
      const std::string name = file.get<std::string>();
      struct stat st {};
      if (lstat((dir_ / name).c_str(), &st) != 0) {
        Find(name, "missing (the manifest lists it)");
        continue;
      }
      if (!S_ISREG(st.st_mode)) {
        Find(name, "not a regular file (a link or a directory where the run wrote a file)");
        continue;
      }
      std::ifstream in(dir_ / name, std::ios::binary);
      const std::string text((std::istreambuf_iterator<char>(in)), {});
      const std::string digest = Sha256Hex(text);
      if (!digests.contains(name)) {
        Find(name, "has no SHA-256 in the manifest");
      } else if (digests[name] != digest) {
        Find(name, "changed since the run: sha256 " + digest + ", the manifest says " + digests[name].dump());
      }
    }
    result_.results_digest = ResultsDigest(digests);
    if (manifest.value("results_digest", "") != result_.results_digest) {
      Find(kManifestFile, "results_digest " + manifest.value("results_digest", std::string("(none)")) + " is not the digest of its files' digests (" +
                              result_.results_digest + ")");
    }
    for (const char* report : {kReportMarkdownFile, kReportHtmlFile}) {
      std::ifstream in(dir_ / report, std::ios::binary);
      const std::string text((std::istreambuf_iterator<char>(in)), {});
      const size_t at = text.find("results digest sha256:");
      if (at == std::string::npos) continue;
      const std::string named = text.substr(at + 22, 64);
      if (named != manifest.value("results_digest", "")) Find(report, "names results digest " + named + ", the manifest " + manifest.value("results_digest", ""));
    }
    Held(std::to_string(manifest.value("files", json::array()).size()) + " files against their SHA-256; results digest " + result_.results_digest);
  }

  // The median of `repeats` is the figure; each repeat agrees with `derived_repeats` where given.
  void CheckRepeats(const Measurement& m, const char* file, const std::vector<double>& recorded, const std::optional<double>& figure,
                    const char* what) {
    if (!Same(figure, Median(recorded))) {
      Find(file, m.kernel + ": " + what + " " + Shown(figure) + " is not the median of its repeats (" + Shown(Median(recorded)) + ")");
    }
  }

  // 2. Storage: each repeat re-read from fio's json+.
  void CheckStorage(const RunFiles& run) {
    size_t repeats = 0, without_raw = 0;
    for (const Measurement& m : run.storage) {
      if (m.status != MeasurementStatus::kOk) continue;
      const json entries = m.detail.value("repeats", json::array());
      for (size_t i = 0; i < entries.size(); ++i) {
        const json& entry = entries[i];
        if (!entry.contains("raw_output") || !entry["raw_output"].is_object()) {
          ++without_raw;
          continue;
        }
        Measurement derived;
        try {
          derived = CombineFioGroups(ParseFioJson(entry["raw_output"].dump(), "fio's output"));
        } catch (const Error& e) {
          Find(kStorageFile, m.kernel + ": repeat " + std::to_string(i + 1) + ": its fio output does not read: " + e.what());
          continue;
        }
        ++repeats;
        const auto recorded_bytes = i < m.repeats_bytes_per_s.size() ? std::optional(m.repeats_bytes_per_s[i]) : std::nullopt;
        const auto recorded_iops = i < m.repeats_iops.size() ? std::optional(m.repeats_iops[i]) : std::nullopt;
        if (!Same(recorded_bytes, derived.bytes_per_s)) {
          Find(kStorageFile, m.kernel + ": repeat " + std::to_string(i + 1) + ": bytes_per_s " + Shown(recorded_bytes) +
                                 " does not follow from its fio output (" + Shown(derived.bytes_per_s) + ")");
        }
        if (!Same(recorded_iops, derived.iops)) {
          Find(kStorageFile, m.kernel + ": repeat " + std::to_string(i + 1) + ": iops " + Shown(recorded_iops) + " does not follow from its fio output (" +
                                 Shown(derived.iops) + ")");
        }
      }
      CheckRepeats(m, kStorageFile, m.repeats_bytes_per_s, m.bytes_per_s, "bytes_per_s");
      CheckRepeats(m, kStorageFile, m.repeats_iops, m.iops, "iops");
    }
    if (!run.storage.empty()) {
      Held(std::to_string(repeats) + " storage repeats re-read from fio's json+" +
           (without_raw ? " (" + std::to_string(without_raw) + " kept no fio output to re-read)" : ""));
    }
  }

  // Network: each repeat the sum of its streams' rates.
  void CheckNetwork(const RunFiles& run) {
    if (!run.network || run.network->status != MeasurementStatus::kOk) return;
    const Measurement& m = *run.network;
    const json entries = m.detail.value("repeats", json::array());
    for (size_t i = 0; i < entries.size() && i < m.repeats_bytes_per_s.size(); ++i) {
      double up = 0, down = 0;
      for (const auto& s : entries[i].value("streams", json::array())) {
        (s.value("direction", "") == "up" ? up : down) += s.value("bits_per_s", 0.0) / 8;
      }
      if (!Same(m.repeats_bytes_per_s[i], up + down)) {
        Find(kNetworkFile, "repeat " + std::to_string(i + 1) + ": bytes_per_s " + json(m.repeats_bytes_per_s[i]).dump() +
                               " is not the sum of its streams (" + json(up + down).dump() + ")");
      }
    }
    CheckRepeats(m, kNetworkFile, m.repeats_bytes_per_s, m.bytes_per_s, "bytes_per_s");
    Held("network: " + std::to_string(entries.size()) + " repeats against their streams");
  }

  void CheckDatapath(const RunFiles& run) {
    for (const Measurement& m : run.datapath) {
      if (m.status != MeasurementStatus::kOk) continue;
      CheckRepeats(m, kDatapathFile, m.repeats_bytes_per_s, m.bytes_per_s, "bytes_per_s");
      const auto cores = DatapathDetailOf(m).cores_per_gbytes_per_s;
      if (m.bytes_per_s && cores && !Same(*cores, 1e9 / *m.bytes_per_s)) {
        Find(kDatapathFile, m.kernel + ": cores_per_gbytes_per_s " + Shown(cores) + " is not 1e9 / bytes_per_s");
      }
    }
    if (!run.datapath.empty()) Held("data path: " + std::to_string(run.datapath.size()) + " kernels against their repeats");
  }

  // 3. The measured shape and every verdict, from the inputs verdicts.json records.
  void CheckVerdicts(const RunFiles& run, const json& manifest) {
    if (!run.scores) return;
    const ScoreDocument& doc = *run.scores;
    std::vector<Shape> shapes = doc.shapes;
    const Shape* rated = manifest.contains("rated_shape") ? doc.FindShape(manifest["rated_shape"].get<std::string>()) : nullptr;
    bool scale_from_subset = false;
    try {
      scale_from_subset = ReadJsonFile((dir_ / kPlanFile).string()).value("score", json::object()).value("scale_from_subset", false);
    } catch (const std::exception&) {
      // No plan: a run's default (no scaling).
    }
    const Shape measured = SizeNode(run.fingerprint, rated, {run.storage, run.network, run.datapath}, dir_, {}, doc.model, scale_from_subset);
    for (auto& shape : shapes) {
      if (shape.name != measured.name) continue;
      for (const auto& field : ShapeFields()) {
        const Figure& recorded = shape.*(field.member);
        const Figure& derived = measured.*(field.member);
        if (!Same(recorded.value, derived.value) || recorded.basis != derived.basis) {
          Find(kVerdictsFile, "shape " + shape.name + ": " + std::string(field.name) + " " + Shown(recorded.value) + " (" + BasisName(recorded.basis) +
                                  ") does not follow from the measurements (" + Shown(derived.value) + ", " + BasisName(derived.basis) + ")");
        }
      }
      shape = measured;  // the verdicts below are re-scored on what the measurements give
      Held("the measured shape " + shape.name + " re-derived from fingerprint.json and the measurements");
    }
    std::vector<ScoredPair> pairs = ScoreAll(shapes, doc.targets, doc.model);
    if (doc.sampled) MarkPassProbability(pairs, SampleVerdicts(shapes, doc.targets, doc.model, doc.sampled->samples, doc.sampled->seed));
    const json derived = WriteScoreDocument(pairs, doc.model)["verdicts"];
    const json recorded = ReadJsonFile((dir_ / kVerdictsFile).string())["verdicts"];
    // Matched by target and shape: the document keeps shapes by name, not in the order scored.
    std::map<std::pair<std::string, std::string>, const json*> by_pair;
    for (const auto& v : recorded) by_pair[{v.value("target", ""), v.value("shape", "")}] = &v;
    if (derived.size() != recorded.size()) {
      Find(kVerdictsFile, std::to_string(recorded.size()) + " verdicts; re-scoring gives " + std::to_string(derived.size()));
    }
    size_t differing = 0;
    for (const auto& v : derived) {
      const std::string pair = v.value("target", std::string("?")) + " x " + v.value("shape", std::string("?"));
      const auto found = by_pair.find({v.value("target", ""), v.value("shape", "")});
      if (found == by_pair.end()) {
        ++differing;
        Find(kVerdictsFile, "verdict " + pair + ": missing (re-scoring gives one)");
        continue;
      }
      const json& was = *found->second;
      if (was == v) continue;
      ++differing;
      for (const auto& [key, value] : v.items()) {
        if (was.contains(key) && was[key] == value) continue;
        Find(kVerdictsFile, "verdict " + pair + ": " + key + " " + was.value(key, json()).dump().substr(0, 120) +
                                " does not follow from its inputs (" + value.dump().substr(0, 120) + ")");
        break;  // the first figure that differs names the verdict
      }
    }
    Held(std::to_string(derived.size() - differing) + " of " + std::to_string(derived.size()) + " verdicts re-scored to the same figures");
  }

  fs::path dir_;
  VerifyResult result_;
};

}  // namespace

VerifyResult VerifyRun(const std::string& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) throw BadInput(dir, "no such results directory");
  if (!fs::exists(fs::path(dir) / kManifestFile, error)) throw BadInput(dir, "no manifest.json: not a qualify run");
  return Verifier(dir).Run();
}

}  // namespace shapeq
