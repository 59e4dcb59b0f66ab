#include "cli/qualify_plan.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <type_traits>

#include "common/error.h"

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
      } else if constexpr (std::is_unsigned_v<T>) return v.is_number_unsigned();
      else return v.is_number();
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
    else if constexpr (std::is_unsigned_v<T>) return "a whole number >= 0";
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
  p.storage.runtime_s = 2;
  p.storage.ramp_s = 0.5;
  p.storage.repeats = 1;
  p.scratch_mib = 256;
  p.network.duration_s = 1;
  p.network.warmup_s = 0.5;
  p.network.repeats = 1;
  p.datapath.min_time_s = 0.05;
  p.datapath.repetitions = 1;
  return p;
}

QualifyPlan ReadPlanFile(const std::string& path, QualifyPlan p) {
  std::ifstream in(path);
  if (!in) throw BadInput(path, "cannot read the plan");
  const json document = json::parse(in, nullptr, false);
  if (document.is_discarded() || !document.is_object()) throw BadInput(path, "not a JSON object");
  for (const auto& [key, v] : document.items()) {
    if (key != "schema" && key != "storage" && key != "network" && key != "datapath" && key != "score") {
      throw BadInput(path, "field " + key + ": unknown (known: schema, storage, network, datapath, score)");
    }
  }
  if (document.value("schema", "shapeq.plan") != "shapeq.plan") throw BadInput(path, "field schema: expected \"shapeq.plan\"");
  p.name = path;

  SectionReader storage(path, document, "storage");
  storage.Read("kernels", p.storage.kernels);
  storage.Read("runtime_s", p.storage.runtime_s);
  storage.Read("ramp_s", p.storage.ramp_s);
  storage.Read("repeats", p.storage.repeats);
  storage.Read("devices", p.devices);
  storage.Read("all_nvme", p.all_nvme);
  storage.Read("allow_destructive", p.storage.allow_destructive);
  storage.Read("precondition", p.storage.precondition);
  storage.Read("scratch_mib", p.scratch_mib);
  unsigned iodepth = 0;
  storage.Read("iodepth", iodepth);
  if (iodepth) p.storage.seq_iodepth = p.storage.rand_iodepth = iodepth;
  storage.Read("numjobs", p.storage.numjobs);
  storage.Read("ioengine", p.storage.ioengine);
  storage.Read("steady_state", p.storage.steady_state);
  storage.RefuseUnknown();

  SectionReader network(path, document, "network");
  network.Read("enabled", p.network_enabled);
  network.Read("peer", p.network.peer);
  network.Read("streams", p.network.streams);
  network.Read("direction", p.network.direction);
  network.Read("duration_s", p.network.duration_s);
  network.Read("warmup_s", p.network.warmup_s);
  network.Read("repeats", p.network.repeats);
  network.RefuseUnknown();

  SectionReader datapath(path, document, "datapath");
  datapath.Read("enabled", p.datapath_enabled);
  datapath.Read("min_time_s", p.datapath.min_time_s);
  datapath.Read("repetitions", p.datapath.repetitions);
  datapath.Read("filter", p.datapath.filter);
  datapath.RefuseUnknown();

  SectionReader score(path, document, "score");
  score.Read("profiles", p.profiles);
  score.Read("model", p.model);
  score.RefuseUnknown();

  // The kernels' own checks, reported against the plan file.
  try {
    ValidateStorageOptions(p.storage);
    if (p.network_enabled) ValidateNetOptions(p.network);
  } catch (const Error& e) {
    throw BadInput(path, e.what());
  }
  if (p.scratch_mib < 16) throw BadInput(path, "field storage.scratch_mib: at least 16");
  if (p.datapath.repetitions == 0) throw BadInput(path, "field datapath.repetitions: at least 1");
  return p;
}

json PlanJson(const QualifyPlan& p) {
  return {{"schema", "shapeq.plan"},
          {"name", p.name},
          {"storage",
           {{"kernels", p.storage.kernels}, {"runtime_s", p.storage.runtime_s}, {"ramp_s", p.storage.ramp_s},
            {"repeats", p.storage.repeats}, {"devices", p.devices}, {"all_nvme", p.all_nvme},
            {"allow_destructive", p.storage.allow_destructive}, {"precondition", p.storage.precondition},
            {"scratch_mib", p.scratch_mib}, {"iodepth", p.storage.seq_iodepth}, {"numjobs", p.storage.numjobs},
            {"ioengine", p.storage.ioengine}, {"steady_state", p.storage.steady_state}}},
          {"network", {{"enabled", p.network_enabled}, {"peer", p.network.peer}, {"streams", p.network.streams},
                       {"direction", p.network.direction}, {"duration_s", p.network.duration_s},
                       {"warmup_s", p.network.warmup_s}, {"repeats", p.network.repeats}}},
          {"datapath", {{"enabled", p.datapath_enabled}, {"min_time_s", p.datapath.min_time_s},
                        {"repetitions", p.datapath.repetitions}, {"filter", p.datapath.filter}}},
          {"score", {{"profiles", p.profiles}, {"model", p.model}}}};
}

}  // namespace shapeq::cli
