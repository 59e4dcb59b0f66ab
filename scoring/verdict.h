#pragma once
// What the scorer says about one shape against one target: the nodes each need takes, the one
// that binds, racks, kW, cost, failure domains, every check with its margin, and the levers
// that would pass it. Plain data; scorer.h computes it, verdict_json.cc reads and writes it.
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace shapeq {

inline constexpr const char* kVerdictSchema = "shapeq.verdicts";
inline constexpr int kVerdictSchemaVersion = 1;

// What a number of nodes is needed for, in the order ties are named.
enum class Need { kCapacity, kRead, kWrite, kIops, kProtectionWidth };
inline constexpr size_t kNeedCount = 5;
const char* NeedName(Need need);
// The need's slot in Verdict::nodes_for.
constexpr size_t NeedIndex(Need need) { return static_cast<size_t>(need); }

// What bounds a per-node rate.
enum class Bound { kDrives, kNic, kCores, kUnknown };
const char* BoundName(Bound bound);

enum class Status { kPass, kFail, kUnknown };
const char* StatusName(Status status);

// A per-node figure after protection, fill and protocol overhead.
struct NodeRate {
  std::optional<double> value;
  Bound bound = Bound::kUnknown;
};

struct PerNode {
  double raw_bytes = 0;
  double efficiency = 1;           // k / (k + m)
  double write_amplification = 1;  // (k + m) / k
  double data_reduction_ratio = 1; // the target's, capped by what the shape's software realizes
  double usable_bytes = 0;         // raw x efficiency x fill x reduction
  std::optional<double> nic_payload_bytes_per_s;  // NIC x protocol efficiency
  NodeRate read_bytes_per_s;
  NodeRate write_bytes_per_s;      // after write amplification
  NodeRate read_iops;
  NodeRate mixed_iops;             // the target's read/write mix: 1 / ((1 - w) / read + w x amplification / write)
  std::optional<double> usd_per_month;
};

// A deployment's monthly cost by part, $/month; a part the shape does not have stays empty.
// Cloud: rent (price x hours); on-prem: the node less its drives over amortization_years, the
// drives over drive_lifetime_years, power (front-end nodes included), rack positions, switch
// ports and front-end nodes; both: software per protected TB.
struct CostParts {
  std::optional<double> rent, node_capex, drive_capex, power, space, ports, frontend, software;
  std::optional<double> total;  // empty when a part it needs is unknown (capex, watts, price)
};

// What a failure costs the deployment: strips of one stripe that a node (a rack, or a cloud's
// fault domain) holds, against the scheme's parity, and how long a rebuild takes with
// rebuild_share of the cluster's read bandwidth reading reads_per_rebuilt_strip strips for each lost one.
struct Availability {
  std::string domain = "rack";      // rack (on-prem) or fault domain (cloud)
  std::optional<double> domains;    // racks or fault domains the stripes spread over
  double strips_per_node = 1;
  std::optional<double> strips_per_domain;
  unsigned parity = 0;
  unsigned tolerates = 0;           // losses of one stripe recovered whatever they are (an LRC's: global + 1)
  bool survives_node = false;
  std::optional<bool> survives_domain;
  std::optional<double> drive_rebuild_s;
  std::optional<double> node_rebuild_s;
};

struct Check {
  std::string name;    // capacity, read, write, iops, checkpoint, budget, racks, power, p99_latency
  bool is_limit;       // a cap (at most) rather than a requirement (at least)
  std::optional<double> required;   // requirement, or the cap
  std::optional<double> delivered;  // what the deployment gives, or uses
  std::optional<double> margin;     // > 0 headroom, < 0 shortfall, as a fraction of required
  Status status = Status::kUnknown;
};

// "nic_gbps >= 320": a change to one input (a shape figure, or the model's kw_per_rack) toward a
// pass. Its value is rounded the safe way at three significant figures, so what is printed is
// what was re-scored.
struct Lever {
  std::string field;
  std::string comparison;  // ">=" or "<="
  double value = 0;        // in the profile's unit
  std::string why;         // the failing check it answers
  bool alone = false;      // re-scored with this change alone, the verdict passes
  std::string bound = {};  // infeasible asks only: why no one can build it (field_bounds.h)
};

// For a shape without a price (cloud: price_per_hour_usd; on-prem: capex_usd): the price at which
// the target's budget just passes at this node count, and the one at which its $/PB-month
// matches the cheapest passing shape's (filled in by ScoreAll, which sees every shape).
struct BreakEven {
  std::string field;                    // price_per_hour_usd or capex_usd
  std::optional<double> for_budget;     // in the field's unit; empty: no budget, or power alone exceeds it
  std::optional<double> to_match;
  std::string cheapest_shape;           // the shape to_match matches
  std::optional<double> cheapest_usd_per_pb_month;
};

// What one ranged input does to a verdict moved alone to the ends of its range
// (scoring/sensitivity.h): the verdict's status and figures at each end, and where it turns.
struct InputEffect {
  std::string input;  // SHAPE.FIELD or model.FIELD
  double value = 0, low = 0, high = 0;  // profile unit
  std::string why;                      // the range's reason
  Status at_low = Status::kUnknown, at_high = Status::kUnknown;
  std::optional<double> usd_per_pb_month_low, usd_per_pb_month_high, racks_low, racks_high, kw_low, kw_high;
  double nodes_low = 0, nodes_high = 0;
  // Where the verdict turns from what it is at the values, below and above the value (profile
  // unit, three figures toward the turn); empty: it does not turn on that side.
  std::optional<double> flips_below, flips_above;
  double swing = 0;  // the widest of $/PB-month, racks, kW and nodes from low to high, over today's
  bool flips() const { return flips_below || flips_above; }
};

struct Verdict {
  std::string shape;
  std::string target;
  std::string protection;
  PerNode per_node;
  std::array<std::optional<double>, kNeedCount> nodes_for{};  // empty: not required or unknown
  double nodes = 0;
  Need limiting = Need::kCapacity;
  std::optional<double> nodes_per_rack;
  std::string rack_bound = "space";  // space, power, or domain (spread wider to survive a rack loss)
  std::optional<double> racks;
  std::optional<double> kw;
  std::optional<double> usd_per_month;
  std::optional<double> usd_per_pb_month;  // per PB the customer asked for
  CostParts cost;
  Availability availability;
  double usable_bytes = 0;
  std::optional<double> read_bytes_per_s;
  std::optional<double> write_bytes_per_s;
  std::optional<double> read_tbps_per_pb;
  std::optional<double> iops_per_pb;
  std::optional<double> pb_per_gpu;
  std::vector<Check> checks;
  std::vector<Lever> levers;          // each answers one failing check; `alone` when it suffices
  std::vector<Lever> levers_together; // applied all at once, re-scored: a pass (empty: none found, or one suffices alone)
  std::vector<Lever> infeasible;      // what would answer a failing check but no one can build (never offered)
  std::vector<std::string> unknowns;  // shape figures that were unknown and mattered
  std::optional<BreakEven> break_even; // a shape without a price: what price would do
  Status status = Status::kUnknown;   // pass only when every check passes
  // From the range runs (scoring/sensitivity.h, uncertainty.h): the verdict turns with one input
  // moved within its range, the input that moves it most, and the share of joint samples that pass.
  bool flips_within_ranges = false;
  std::vector<InputEffect> deciding;  // the inputs that move it: flipping first, then by swing
  std::optional<double> pass_probability;
};

// What a reader is shown: "uncertain" for a pass or fail that turns within its inputs' ranges
// (alone, or sampled together), else the status.
const char* ShownStatus(const Verdict& v);

// The parts that are there, by name (rent, node_capex, ... software), in print order; no total.
std::vector<std::pair<std::string, double>> CostPartsList(const CostParts& cost);

// The verdict as verdicts.json holds it, and back (score_document.h checks its shape first).
void to_json(nlohmann::json& j, const Verdict& v);
void from_json(const nlohmann::json& j, Verdict& v);

}  // namespace shapeq
