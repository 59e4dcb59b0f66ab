#include "scoring/design.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "common/error.h"
#include "scoring/catalog.h"
#include "scoring/profile_json.h"

namespace shapeq {
namespace {

struct PartField {
  const char* name;
  bool required;
  bool allow_zero;
};

// The figures each kind of part has; anything else in a part is refused.
const std::vector<PartField>& FieldsOf(const std::string& kind) {
  static const std::map<std::string, std::vector<PartField>> fields = {
      {"drive", {{"capacity_tb", true, false}, {"read_gbytes_per_s", true, false}, {"write_gbytes_per_s", true, false},
                 {"read_iops", false, false}, {"write_iops", false, false}, {"watts", true, false}, {"price_usd", true, false}}},
      {"nic", {{"gbps", true, false}, {"ports", true, false}, {"watts", true, false}, {"price_usd", true, false}}},
      {"cpu", {{"cores", true, false}, {"watts", true, false}, {"price_usd", true, false}}},
      {"chassis", {{"bays", true, false}, {"rack_units", true, false}, {"power_budget_watts", true, false}, {"base_watts", true, true},
                   {"price_usd", true, false}, {"frontend_nodes_per_node", false, true}, {"frontend_node_capex_usd", false, true},
                   {"frontend_node_watts", false, true}, {"frontend_node_rack_units", false, true}}},
  };
  return fields.at(kind);
}

Part ReadPart(const FieldReader& r, const std::string& kind, const std::map<std::string, std::string>& sources, const Model& model) {
  std::vector<std::string> allowed = {"name", "basis", "source", "note", "price_low_usd", "price_high_usd", "price_range_note"};
  if (kind == "drive" || kind == "chassis") allowed.push_back("form_factor");
  if (kind == "chassis") allowed.push_back("protection");
  for (const auto& f : FieldsOf(kind)) allowed.push_back(f.name);
  r.OnlyFields(allowed);
  Part part;
  part.kind = kind;
  part.name = r.String("name", true);
  if (part.name.empty() || part.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string::npos) {
    r.Fail("name", "expected lower-case letters, digits, '.' and '-' (it becomes part of a file name)");
  }
  part.basis = r.String("basis", true);
  if (part.basis != "rated" && part.basis != "estimated" && part.basis != "derived") r.Fail("basis", "expected rated, estimated or derived");
  part.source = r.String("source", true);
  if (!sources.count(part.source)) r.Fail("source", "\"" + part.source + "\" is not a key of sources");
  part.note = r.String("note", false);
  for (const auto& f : FieldsOf(kind)) {
    if (const auto value = r.Number(f.name, f.required, f.allow_zero)) part.figures[f.name] = *value;
  }
  if (kind == "drive" || kind == "chassis") part.form_factor = r.String("form_factor", true);
  if (kind == "chassis") {
    part.protection = r.String("protection", true);
    if (!model.schemes.count(part.protection)) r.Fail("protection", "\"" + part.protection + "\" is not a scheme in " + model.file);
    if (part.Get("bays") != std::floor(part.Get("bays")) || part.Get("bays") > 1000) r.Fail("bays", "expected a whole number up to 1000");
    if (part.Get("base_watts") >= part.Get("power_budget_watts")) r.Fail("base_watts", "leaves no power for drives, NIC and CPUs");
  }
  if (kind == "cpu" && part.Get("cores") != std::floor(part.Get("cores"))) r.Fail("cores", "expected a whole number");
  // Every price has its range, and why (docs/scoring.md, "Ranges").
  const double low = *r.Number("price_low_usd", true), high = *r.Number("price_high_usd", true);
  if (low > part.Get("price_usd") * (1 + 1e-12)) r.Fail("price_low_usd", "above price_usd");
  if (high < part.Get("price_usd") * (1 - 1e-12)) r.Fail("price_high_usd", "below price_usd");
  part.price_range = Range{low, high, r.String("price_range_note", true)};
  return part;
}

Figure Derived(double value, const std::string& note) { return {value, Basis::kDerived, "parts", note}; }

}  // namespace

PartsCatalog LoadParts(const std::string& dir, const Model& model) {
  PartsCatalog parts;
  parts.dir = dir;
  for (const auto& file : ProfileFiles(dir)) {
    const nlohmann::json json = ParseProfileFile(file);
    const FieldReader r(file, json);
    r.OnlyFields({"schema", "schema_version", "kind", "sources", "parts", "note"});
    r.Schema("shapeq.parts", 1);
    const std::string kind = r.String("kind", true);
    std::vector<Part>* into = kind == "drive" ? &parts.drives : kind == "nic" ? &parts.nics : kind == "cpu" ? &parts.cpus
                             : kind == "chassis" ? &parts.chassis : nullptr;
    if (!into) r.Fail("kind", "expected drive, nic, cpu or chassis");
    std::map<std::string, std::string> sources;
    const FieldReader s = r.Nested("sources", *r.Object("sources", true));
    for (const auto& [key, value] : s.json().items()) sources[key] = s.String(key.c_str(), true);
    const auto list = json.find("parts");
    if (list == json.end() || !list->is_array() || list->empty()) r.Fail("parts", "expected a non-empty list of parts");
    for (size_t i = 0; i < list->size(); ++i) {
      const std::string where = "parts[" + std::to_string(i) + "]";
      const Part part = ReadPart(r.Nested(where.c_str(), (*list)[i]), kind, sources, model);
      if (std::any_of(into->begin(), into->end(), [&](const Part& p) { return p.name == part.name; })) {
        r.Fail(where + ".name", "\"" + part.name + "\" twice");
      }
      into->push_back(part);
    }
  }
  for (const auto* kind : {&parts.drives, &parts.nics, &parts.cpus, &parts.chassis}) {
    if (kind->empty()) throw BadInput(dir, "needs at least one drive, NIC, CPU and chassis");
  }
  return parts;
}

Shape DesignShape(const Part& chassis, const Part& drive, int count, const Part& nic, const Part& cpu) {
  Shape s;
  s.name = "design-" + chassis.name + "-" + std::to_string(count) + "x" + drive.name + "-" + nic.name + "-" + cpu.name;
  s.title = chassis.name + " with " + std::to_string(count) + " x " + drive.name + ", " + nic.name + ", " + cpu.name;
  s.kind = "on-prem";
  s.file = s.name + ".json";
  s.protection = chassis.protection;
  s.sources["parts"] = "shapeq design from profiles/parts/ (" + chassis.name + ", " + drive.name + ", " + nic.name + ", " + cpu.name + ")";
  const double n = count;
  s.cores = Derived(cpu.Get("cores"), cpu.name);
  s.drive_count = Derived(n, chassis.name + " bays filled");
  s.drive_capacity_bytes = Derived(drive.Get("capacity_tb") * 1e12, drive.name);
  s.read_bytes_per_s = Derived(n * drive.Get("read_gbytes_per_s") * 1e9, "drives x their sequential read");
  s.write_bytes_per_s = Derived(n * drive.Get("write_gbytes_per_s") * 1e9, "drives x their sequential write");
  if (drive.figures.count("read_iops")) s.read_iops = Derived(n * drive.Get("read_iops"), "drives x their random read IOPS");
  if (drive.figures.count("write_iops")) s.write_iops = Derived(n * drive.Get("write_iops"), "drives x their random write IOPS");
  s.nic_gbps = Derived(nic.Get("gbps"), nic.name);
  s.watts = Derived(chassis.Get("base_watts") + n * drive.Get("watts") + nic.Get("watts") + cpu.Get("watts"), "chassis + drives + NIC + CPUs");
  s.rack_units = Derived(chassis.Get("rack_units"), chassis.name);
  s.capex_usd = Derived(chassis.Get("price_usd") + n * drive.Get("price_usd") + nic.Get("price_usd") + cpu.Get("price_usd"),
                        "chassis + drives + NIC + CPUs");
  // The node's range is its other parts' (the drives move it through drive_price_usd's).
  const double drives_usd = n * drive.Get("price_usd");
  s.capex_usd.range = Range{chassis.price_range.low + nic.price_range.low + cpu.price_range.low + drives_usd,
                            chassis.price_range.high + nic.price_range.high + cpu.price_range.high + drives_usd,
                            "the chassis', NIC's and CPUs' price ranges; the drives move with drive_price_usd"};
  s.drive_price_usd = Derived(drive.Get("price_usd"), drive.name);
  s.drive_price_usd.range = drive.price_range;
  s.network_ports = Derived(nic.Get("ports"), nic.name);
  s.frontend_nodes_per_node = Derived(chassis.Get("frontend_nodes_per_node"), chassis.name);
  s.frontend_node_capex_usd = Derived(chassis.Get("frontend_node_capex_usd"), chassis.name);
  s.frontend_node_watts = Derived(chassis.Get("frontend_node_watts"), chassis.name);
  s.frontend_node_rack_units = Derived(chassis.Get("frontend_node_rack_units"), chassis.name);
  s.memory_bytes.note = s.price_per_hour_usd.note = "not a part of the design";
  return s;
}

std::vector<Design> EvaluateDesigns(const PartsCatalog& parts, const std::vector<Target>& targets, const Model& model) {
  std::vector<Design> designs;
  for (const auto& chassis : parts.chassis) {
    const int bays = static_cast<int>(chassis.Get("bays"));
    std::vector<int> counts = {bays, bays * 3 / 4, bays / 2};
    counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
    for (const auto& drive : parts.drives) {
      if (drive.form_factor != chassis.form_factor) continue;
      for (int count : counts) {
        if (count < 1) continue;
        for (const auto& nic : parts.nics) {
          for (const auto& cpu : parts.cpus) {
            const double watts = chassis.Get("base_watts") + count * drive.Get("watts") + nic.Get("watts") + cpu.Get("watts");
            if (watts > chassis.Get("power_budget_watts")) continue;  // the chassis cannot power it
            Design d{"", &chassis, &drive, &nic, &cpu, count, DesignShape(chassis, drive, count, nic, cpu), {}, true, 0, 0, 0};
            d.name = d.shape.name;
            for (const auto& target : targets) {
              d.verdicts.push_back(Score(d.shape, target, model));
              const Verdict& v = d.verdicts.back();
              d.passes = d.passes && v.status == Status::kPass;
              d.usd_per_month += v.usd_per_month.value_or(std::numeric_limits<double>::infinity());
              d.racks += v.racks.value_or(std::numeric_limits<double>::infinity());
              d.kw += v.kw.value_or(std::numeric_limits<double>::infinity());
            }
            designs.push_back(std::move(d));
          }
        }
      }
    }
  }
  return designs;
}

bool Dominates(const Design& a, const Design& b) {
  const bool no_worse = a.usd_per_month <= b.usd_per_month && a.racks <= b.racks && a.kw <= b.kw;
  const bool better = a.usd_per_month < b.usd_per_month || a.racks < b.racks || a.kw < b.kw;
  return no_worse && better;
}

std::vector<size_t> ParetoFront(const std::vector<Design>& designs) {
  // Sorted by cost, then racks, then kW, a design can only be dominated by one before it, and
  // anything dominating it is itself dominated by (or is) a design already on the front.
  std::vector<size_t> order;
  for (size_t i = 0; i < designs.size(); ++i) {
    if (designs[i].passes) order.push_back(i);
  }
  auto key = [&](size_t i) { return std::tuple(designs[i].usd_per_month, designs[i].racks, designs[i].kw); };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  std::vector<size_t> front;
  for (size_t i : order) {
    if (std::none_of(front.begin(), front.end(), [&](size_t j) { return Dominates(designs[j], designs[i]); })) front.push_back(i);
  }
  return front;
}

nlohmann::json ShapeProfileJson(const Shape& shape) {
  nlohmann::json figures = nlohmann::json::object();
  for (const auto& spec : ShapeFields()) {
    const Figure& f = shape.*spec.member;
    if (!f.known()) {
      if (!spec.optional) figures[spec.name] = {{"value", nullptr}, {"basis", "unknown"}, {"note", f.note.empty() ? "not known" : f.note}};
      continue;
    }
    const double value = *f.value / spec.to_si;
    const bool whole = std::string_view(spec.name) == "cores" || std::string_view(spec.name) == "drive_count";
    nlohmann::json figure = {{"value", whole ? nlohmann::json(static_cast<long long>(std::llround(value))) : nlohmann::json(value)},
                             {"basis", BasisName(f.basis)}, {"source", f.source}};
    if (!f.note.empty()) figure["note"] = f.note;
    figures[spec.name] = figure;
  }
  return {{"schema", "shapeq.shape"}, {"schema_version", 1}, {"title", shape.title}, {"kind", shape.kind},
          {"protection", shape.protection}, {"sources", shape.sources}, {"figures", figures}};
}

}  // namespace shapeq
