#include "cli/qualify_plan.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>

#include "common/error.h"
#include "common/json_read.h"

namespace shapeq::cli {

using nlohmann::json;

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

// The plan's own fields, beside each section's kernel options.
const std::vector<OptionField<QualifyPlan>>& PlanFields(const std::string& section) {
  using P = QualifyPlan;
  static const std::map<std::string, std::vector<OptionField<P>>> fields = {
      {"storage",
       {{"devices", nullptr, &P::devices, 0, 0, nullptr, "Raw block devices to measure instead of a scratch file"},
        {"all_nvme", nullptr, &P::all_nvme, 0, 0, nullptr, "Every NVMe drive the system does not run from"},
        {"scratch_mib", nullptr, &P::scratch_mib, 16, 1 << 30, nullptr, "Scratch file size cap"},
        {"data_drives", nullptr, &P::data_drives, 0, 0, nullptr, "With no device named, measure every possible data drive raw"}}},
      {"network", {{"enabled", nullptr, &P::network_enabled, 0, 0, nullptr, "Run the network stage"}}},
      {"datapath", {{"enabled", nullptr, &P::datapath_enabled, 0, 0, nullptr, "Run the data-path stage"}}},
      {"score",
       {{"profiles", nullptr, &P::profiles, 0, 0, nullptr, "The catalog directory"},
        {"model", nullptr, &P::model, 0, 0, nullptr, "The model profile's name"},
        {"scale_from_subset", nullptr, &P::scale_from_subset, 0, 0, nullptr, "Scale a run on some drives up to all of them"}}},
  };
  return fields.at(section);
}

// Every field of a plan, once: each section's kernel table and the plan's own fields.
// ReadPlanFile and PlanJson both walk this, so the plan.json a run writes reads back as the
// same plan. `Plan` is QualifyPlan, const or not.
template <typename Plan, typename Visit>
void ForEachPlanTable(Plan& p, Visit&& visit) {
  visit("storage", p.storage, StorageOptionFields());
  visit("network", p.network, NetOptionFields());
  visit("datapath", p.datapath, DatapathOptionFields());
  for (const char* section : kSections) visit(section, p, PlanFields(section));
}

// No string in a plan carries control characters (a newline is how a value smuggles in a
// second fio option); device paths are fio filenames, where ':' names a second file.
void CheckPlanStrings(const json& document, const std::string& path) {
  for (const char* section : kSections) {
    if (!document.contains(section)) continue;
    for (const auto& [key, value] : document[section].items()) {
      const char* refused = key == "devices" ? "[];#:" : "";
      for (const auto& v : value.is_array() ? value : json::array({value})) {
        if (!v.is_string()) continue;
        for (const char c : v.get<std::string>()) {
          if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || (c && std::strchr(refused, c))) {
            throw BadInput(path, "field " + std::string(section) + "." + key + ": " + v.dump() + " has a control or job-syntax character");
          }
        }
      }
    }
  }
}

}  // namespace

QualifyPlan ReadPlanFile(const std::string& path, QualifyPlan base) {
  QualifyPlan p = std::move(base);
  const json document = ReadJsonFile(path);
  if (!document.is_object()) throw BadInput(path, "not a JSON object");
  for (const auto& [key, v] : document.items()) {
    // "name" is what PlanJson records of where a plan came from; a file's own name replaces it.
    if (key != "schema" && key != "name" && std::find(std::begin(kSections), std::end(kSections), key) == std::end(kSections)) {
      throw BadInput(path, "field " + key + ": unknown (known: schema, storage, network, datapath, score)");
    }
    if (key != "schema" && key != "name" && !v.is_object()) throw BadInput(path, "field " + key + ": expected an object");
  }
  if (document.contains("schema") && document["schema"] != "shapeq.plan") throw BadInput(path, "field schema: expected \"shapeq.plan\"");
  p.name = path;
  CheckPlanStrings(document, path);

  const unsigned iodepth_before = p.storage.seq_iodepth;
  std::map<std::string, std::set<std::string>> known;
  ForEachPlanTable(p, [&](const char* section, auto& options, const auto& fields) {
    ReadOptionFields(document.value(section, json::object()), options, fields, path, std::string(section) + ".", &known[section]);
  });
  for (const char* section : kSections) RefuseUnknownFields(document.value(section, json::object()), known[section], path, std::string(section) + ".");
  if (p.storage.seq_iodepth != iodepth_before) p.storage.rand_iodepth = p.storage.seq_iodepth;
  // A catalog named by a relative path is beside the plan, wherever shapeq is run from.
  if (!p.profiles.empty() && std::filesystem::path(p.profiles).is_relative()) {
    p.profiles = (std::filesystem::absolute(path).parent_path() / p.profiles).lexically_normal().string();
  }

  // The kernels' own checks (kernel names, fio's grammar, the installed engines), reported
  // against the plan file.
  try {
    ValidateStorageOptions(p.storage);
  } catch (const Error& e) {
    throw BadInput(path, "field storage." + std::string(e.what()));
  }
  return p;
}

json PlanJson(const QualifyPlan& p) {
  json plan = {{"schema", "shapeq.plan"}, {"name", p.name}};
  ForEachPlanTable(p, [&](const char* section, const auto& options, const auto& fields) { plan[section].update(OptionFieldsJson(options, fields)); });
  return plan;
}

}  // namespace shapeq::cli
