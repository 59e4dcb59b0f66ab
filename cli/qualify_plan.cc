#include "cli/qualify_plan.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <type_traits>

#include "common/error.h"
#include "common/json_read.h"

namespace shapeq::cli {
namespace {

using nlohmann::json;

// Reads one section of the plan file strictly: every field must be known and of its type.
class SectionReader {
 public:
  SectionReader(const std::string& file, const json& document, const std::string& section) : file_(file), section_(section) {
    if (!document.contains(section)) return;
    value_ = document[section];
    if (!value_.is_object()) throw BadInput(file_, "field " + section + ": expected an object");
  }

  template <typename T>
  void Read(const char* key, T& out) {
    known_.insert(key);
    if (!value_.contains(key)) return;
    const json& v = value_[key];
    const bool ok = [&] {
      if constexpr (std::is_same_v<T, bool>) return v.is_boolean();
      else if constexpr (std::is_same_v<T, std::string>) return v.is_string();
      else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
        return v.is_array() && std::all_of(v.begin(), v.end(), [](const json& e) { return e.is_string(); });
      } else if constexpr (std::is_unsigned_v<T>) {
        return v.is_number_unsigned() && v.get<uint64_t>() <= std::numeric_limits<T>::max();
      } else return v.is_number();
    }();
    if (!ok) throw BadInput(file_, "field " + section_ + "." + key + ": expected " + Expected<T>() + ", got " + v.dump());
    out = v.get<T>();
  }

  // After every Read: a field nobody read is a typo, not something to ignore.
  void RefuseUnknown() const {
    for (const auto& [key, v] : value_.items()) {
      if (!known_.count(key)) {
        std::string list;
        for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
        throw BadInput(file_, "field " + section_ + "." + key + ": unknown (known: " + list + ")");
      }
    }
  }

 private:
  template <typename T>
  static std::string Expected() {
    if constexpr (std::is_same_v<T, bool>) return "true or false";
    else if constexpr (std::is_same_v<T, std::string>) return "a string";
    else if constexpr (std::is_same_v<T, std::vector<std::string>>) return "a list of strings";
    else if constexpr (std::is_unsigned_v<T>) return "a whole number from 0 to " + std::to_string(std::numeric_limits<T>::max());
    else return "a number";
  }

  std::string file_, section_;
  json value_ = json::object();
  std::set<std::string> known_;
};

}  // namespace

QualifyPlan DefaultPlan() {
  QualifyPlan p;
  p.name = "default";
  p.storage.runtime_s = 10;
  p.storage.ramp_s = 2;
  p.storage.repeats = 2;
  p.scratch_mib = 1024;
  p.network.duration_s = 5;
  p.network.warmup_s = 1;
  p.network.repeats = 3;
  p.datapath.min_time_s = 0.5;
  p.datapath.repetitions = 3;
  return p;
}

QualifyPlan QuickPlan() {
  QualifyPlan p = DefaultPlan();
  p.name = "quick";
  p.storage = QuickStorageOptions(p.storage);
  p.scratch_mib = kQuickScratchMib;
  p.network = QuickNetOptions(p.network);
  p.datapath = QuickDatapathOptions(p.datapath);
  return p;
}

namespace {

constexpr const char* kSections[] = {"storage", "network", "datapath", "score"};

// Every field of a plan file, once: ReadPlanFile and PlanJson both walk this list, so the
// plan.json a run writes reads back as the same plan. `Plan` is QualifyPlan, const or not.
// "iodepth" is both queue depths (the reader copies it to rand_iodepth).
template <typename Plan, typename Visit>
void ForEachPlanField(Plan& p, Visit&& visit) {
  visit("storage", "kernels", p.storage.kernels);
  visit("storage", "runtime_s", p.storage.runtime_s);
  visit("storage", "ramp_s", p.storage.ramp_s);
  visit("storage", "repeats", p.storage.repeats);
  visit("storage", "devices", p.devices);
  visit("storage", "all_nvme", p.all_nvme);
  visit("storage", "allow_destructive", p.storage.allow_destructive);
  visit("storage", "precondition", p.storage.precondition);
  visit("storage", "scratch_mib", p.scratch_mib);
  visit("storage", "iodepth", p.storage.seq_iodepth);
  visit("storage", "numjobs", p.storage.numjobs);
  visit("storage", "ioengine", p.storage.ioengine);
  visit("storage", "steady_state", p.storage.steady_state);
  visit("network", "enabled", p.network_enabled);
  visit("network", "peer", p.network.peer);
  visit("network", "streams", p.network.streams);
  visit("network", "direction", p.network.direction);
  visit("network", "duration_s", p.network.duration_s);
  visit("network", "warmup_s", p.network.warmup_s);
  visit("network", "repeats", p.network.repeats);
  visit("datapath", "enabled", p.datapath_enabled);
  visit("datapath", "min_time_s", p.datapath.min_time_s);
  visit("datapath", "repetitions", p.datapath.repetitions);
  visit("datapath", "filter", p.datapath.filter);
  visit("score", "profiles", p.profiles);
  visit("score", "model", p.model);
}

}  // namespace

QualifyPlan ReadPlanFile(const std::string& path, QualifyPlan p) {
  const json document = ReadJsonFile(path);
  if (!document.is_object()) throw BadInput(path, "not a JSON object");
  for (const auto& [key, v] : document.items()) {
    // "name" is what PlanJson records of where a plan came from; a file's own name replaces it.
    if (key != "schema" && key != "name" && std::find(std::begin(kSections), std::end(kSections), key) == std::end(kSections)) {
      throw BadInput(path, "field " + key + ": unknown (known: schema, storage, network, datapath, score)");
    }
  }
  if (document.contains("schema") && document["schema"] != "shapeq.plan") throw BadInput(path, "field schema: expected \"shapeq.plan\"");
  p.name = path;

  const unsigned iodepth_before = p.storage.seq_iodepth;
  std::map<std::string, SectionReader> readers;
  for (const char* section : kSections) readers.try_emplace(section, path, document, section);
  ForEachPlanField(p, [&](const char* section, const char* key, auto& field) { readers.at(section).Read(key, field); });
  for (const auto& [section, reader] : readers) reader.RefuseUnknown();
  if (p.storage.seq_iodepth != iodepth_before) p.storage.rand_iodepth = p.storage.seq_iodepth;

  // No string in a plan carries control characters (a newline is how a value smuggles in a
  // second fio option); device paths are fio filenames, where ':' names a second file.
  ForEachPlanField(p, [&](const char* section, const char* key, const auto& field) {
    auto check = [&](const std::string& value, const char* refused) {
      for (const char c : value) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || (c && std::strchr(refused, c))) {
          throw BadInput(path, "field " + std::string(section) + "." + key + ": " + json(value).dump() + " has a control or job-syntax character");
        }
      }
    };
    using T = std::decay_t<decltype(field)>;
    if constexpr (std::is_same_v<T, std::string>) check(field, "");
    if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      for (const auto& value : field) check(value, std::string(key) == "devices" ? "[];#:" : "");
    }
  });
  // The kernels' own checks, reported against the plan file (they name the field).
  try {
    ValidateStorageOptions(p.storage);
  } catch (const Error& e) {
    throw BadInput(path, "field storage." + std::string(e.what()));
  }
  try {
    if (p.network_enabled) ValidateNetOptions(p.network);
  } catch (const Error& e) {
    throw BadInput(path, "field network." + std::string(e.what()));
  }
  if (p.scratch_mib < 16) throw BadInput(path, "field storage.scratch_mib: at least 16");
  if (p.datapath.repetitions == 0) throw BadInput(path, "field datapath.repetitions: at least 1");
  return p;
}

json PlanJson(const QualifyPlan& p) {
  json plan = {{"schema", "shapeq.plan"}, {"name", p.name}};
  ForEachPlanField(p, [&](const char* section, const char* key, const auto& field) { plan[section][key] = field; });
  return plan;
}

}  // namespace shapeq::cli
