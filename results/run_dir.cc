#include "results/run_dir.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_read.h"
#include "common/sha256.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

// What the report, the summaries and the metrics read of a run's manifest: checked once here,
// so no renderer meets a string where it reads a number.
const nlohmann::json& ManifestShape() {
  static const nlohmann::json shape = nlohmann::json::parse(R"({"type": "object", "properties": {
    "complete": {"type": "boolean"}, "interrupted": {"type": "boolean"}, "mode": {"type": "string"}, "plan": {"type": "string"},
    "started_utc": {"type": "string"}, "finished_utc": {"type": "string"}, "rated_shape": {"type": "string"},
    "files": {"type": "array", "items": {"type": "string"}},
    "sha256": {"type": "object", "values": {"type": "string"}}, "results_digest": {"type": "string"},
    "stages": {"type": "array", "items": {"type": "object", "properties": {
      "name": {"type": "string"}, "status": {"type": "string"}, "summary": {"type": "string"}, "reason": {"type": "string"},
      "seconds": {"type": "number"}}}}}})");
  return shape;
}

std::vector<Measurement> ReadMeasurements(const fs::path& file, bool list) {
  std::vector<Measurement> out;
  const auto json = ReadJsonFile(file.string());
  if (list && !json.is_array()) throw BadInput(file.string(), "expected a list of measurements");
  CheckJsonShape(json, list ? nlohmann::json{{"type", "array"}, {"items", MeasurementShape()}} : MeasurementShape(), file.string());
  try {
    if (list) {
      for (const auto& m : json) out.push_back(m.get<Measurement>());
    } else {
      out.push_back(json.get<Measurement>());
    }
  } catch (const nlohmann::json::exception& e) {
    throw BadInput(file.string(), std::string("not a measurement: ") + e.what());
  } catch (const Error& e) {
    throw BadInput(file.string(), std::string("not a measurement: ") + e.what());
  }
  return out;
}

}  // namespace

RunFiles ReadRunFiles(const std::string& dir) {
  RunFiles run;
  run.dir = dir;
  run.run_id = fs::path(dir).lexically_normal().filename().string();
  if (run.run_id.empty()) run.run_id = fs::path(dir).lexically_normal().parent_path().filename().string();
  std::error_code error;
  if (!fs::is_directory(dir, error)) throw BadInput(dir, "no such results directory");
  const fs::path root(dir);
  // The manifest lists the files this run wrote; only those are read (a file another run left
  // in the directory is not this run's). A directory without a manifest: what is there.
  std::optional<std::set<std::string>> listed;
  if (fs::exists(root / kManifestFile, error) || fs::is_symlink(root / kManifestFile, error)) {
    const std::string file = (root / kManifestFile).string();
    const nlohmann::json manifest = ReadJsonFile(file);
    CheckJsonShape(manifest, ManifestShape(), file);
    run.manifest = manifest.get<RunManifest>();
    run.complete = run.manifest.complete;
    if (run.manifest.files) listed.emplace(run.manifest.files->begin(), run.manifest.files->end());
  }
  auto present = [&](const char* name) {
    if (listed) return listed->count(name) > 0;
    return fs::exists(root / name, error) || fs::is_symlink(root / name, error);  // a dangling link is an error to report
  };
  run.fingerprint = ReadFingerprintFile((root / kFingerprintFile).string());
  if (present(kStorageFile)) run.storage = ReadMeasurements(root / kStorageFile, true);
  if (present(kDatapathFile)) run.datapath = ReadMeasurements(root / kDatapathFile, true);
  if (present(kNetworkFile)) run.network = ReadMeasurements(root / kNetworkFile, false).front();
  if (present(kVerdictsFile)) {
    const std::string file = (root / kVerdictsFile).string();
    run.scores = ReadScoreDocument(ReadJsonFile(file), file);
  }
  return run;
}

RunDirWriter::RunDirWriter(fs::path dir, bool force, nlohmann::json manifest) : dir_(std::move(dir)), manifest_(std::move(manifest)) {
  std::error_code error;
  if (fs::exists(dir_, error) && !fs::is_directory(dir_, error)) throw BadInput(dir_.string(), "exists and is not a directory");
  if (fs::is_directory(dir_, error) && !fs::is_empty(dir_, error)) {
    if (!force) {
      throw Error(ExitCode::kUsage, dir_.string() + ": --out is not empty (an earlier run?); name a new directory, or add --force to replace the run in it");
    }
    // An earlier run's files go first, so none can pass as this run's; anything else stays.
    for (const char* name : kRunFileNames) fs::remove(dir_ / name, error);
    fs::remove_all(dir_ / kScratchDir, error);
  }
  fs::create_directories(dir_, error);
  if (error) throw Error(ExitCode::kEnvironment, dir_.string() + ": cannot create the results directory: " + error.message());
  manifest_["files"] = nlohmann::json::array();
  SaveManifest();
}

std::string ResultsDigest(const nlohmann::json& sha256_by_file) {
  std::string lines;  // sha256sum's format, sorted by name (nlohmann's objects are)
  for (const auto& [file, digest] : sha256_by_file.items()) {
    if (std::find(std::begin(kAfterResultsDigest), std::end(kAfterResultsDigest), file) != std::end(kAfterResultsDigest)) continue;
    lines += (digest.is_string() ? digest.get<std::string>() : std::string("?")) + "  " + file + "\n";
  }
  return Sha256Hex(lines);
}

void RunDirWriter::Write(const char* file, std::string_view text) {
  WriteFileAtomically(dir_ / file, text);
  Record(file, Sha256Hex(text));
}

void RunDirWriter::Written(const char* file) {
  std::ifstream in(dir_ / file, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  Record(file, Sha256Hex(text));
}

void RunDirWriter::Record(const char* file, const std::string& sha256) {
  auto& files = manifest_["files"];
  if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
  manifest_["sha256"][file] = sha256;
  manifest_["results_digest"] = ResultsDigest(manifest_["sha256"]);
  SaveManifest();
}

void RunDirWriter::SaveManifest() const { WriteFileAtomically(dir_ / kManifestFile, manifest_.dump(2) + "\n"); }

}  // namespace shapeq
