#include "workloads/storage_fleet.h"

#include <algorithm>
#include <set>
#include <thread>

#include "common/error.h"
#include "common/interrupt.h"
#include "common/json_optional.h"
#include "common/json_read.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "workloads/endpoint.h"
#include "workloads/fio_gate.h"
#include "workloads/fio_output.h"
#include "workloads/fio_runner.h"
#include "workloads/net_kernel.h"
#include "workloads/net_protocol.h"
#include "workloads/net_socket.h"
#include "workloads/storage_serve.h"

namespace shapeq {
namespace {

constexpr const char* kEveryHostRefused = "every host refused";

// One host for one fio run: its connection and the plan it answered with, or why not.
struct HostRun {
  Endpoint endpoint;
  std::string label;  // HOST:PORT
  Socket socket;
  nlohmann::json plan;  // the host's OK reply (storage_serve.h)
  std::string refused;
  bool reached = false;  // it answered (a refusal is its policy, not a broken fleet)
  std::optional<Measurement> result;
};

// A peer's words, shown as one line of at most 300 characters.
std::string PeerWords(const std::string& text) { return OneLine(text.size() > 300 ? text.substr(0, 300) + "..." : text); }

// The host's answer to a FIO request: its plan, or why it refuses.
void AskForPlan(HostRun& h, const std::string& request_line, const std::string& token, double timeout_s) {
  try {
    h.socket = ConnectAuthenticated(h.endpoint, token, 10);
    if (!SendLine(h.socket, request_line)) throw Error(ExitCode::kEnvironment, "connection lost");
    const auto reply = ReadLine(h.socket, timeout_s);
    if (!reply) throw Error(ExitCode::kEnvironment, "no answer to the storage request (is its net-serve a shapeq that serves storage?)");
    const bool ok = reply->rfind("OK ", 0) == 0;
    h.reached = true;
    if (!ok && reply->rfind("ERR ", 0) != 0) throw Error(ExitCode::kEnvironment, "an answer that is not OK or ERR");
    const nlohmann::json body = ParseJson(std::string_view(*reply).substr(ok ? 3 : 4), "the answer of " + h.label);
    if (!ok) throw Error(ExitCode::kUsage, PeerWords(body.value("refused", std::string("refused"))));
    for (const char* field : {"hostname", "job_path", "job_file"}) {
      if (!body.value(field, nlohmann::json()).is_string()) throw Error(ExitCode::kEnvironment, std::string("an answer without ") + field);
    }
    CheckFioValue("job_path", body["job_path"].get<std::string>(), ":");
    h.plan = body;
  } catch (const std::exception& e) {
    h.refused = e.what();
    h.socket = Socket();
  }
}

// One fio --client run of `kernel` over every host that accepts it; each host's result in its
// HostRun. Returns why the run as a whole failed ("" when fio ran).
std::string RunOnce(std::vector<HostRun>& hosts, const StorageKernelSpec& kernel, const StorageFleetOptions& options) {
  const StorageOptions& o = options.storage;
  const std::string request = std::string(kFioRequestVerb) + " " + FioRequestJson(kernel.name, o).dump();
  {
    std::vector<std::thread> asking;
    for (auto& h : hosts) asking.emplace_back([&h, &request, &options] { AskForPlan(h, request, options.token, options.plan_timeout_s); });
    for (auto& t : asking) t.join();
  }
  TempDir dir("shapeq-fio-fleet");
  const std::string out_path = (dir.path() / "out.json").string();
  std::vector<std::string> argv = {o.fio, "--output-format=json+", "--output=" + out_path};
  std::vector<Socket> listeners(hosts.size());
  std::vector<std::string> socket_paths(hosts.size());
  for (size_t i = 0; i < hosts.size(); ++i) {
    if (!hosts[i].refused.empty()) continue;
    socket_paths[i] = (dir.path() / ("host" + std::to_string(i) + ".sock")).string();
    listeners[i] = ListenUnix(socket_paths[i]);
    argv.insert(argv.end(), {"--client=sock:" + socket_paths[i], "--remote-config", hosts[i].plan["job_path"].get<std::string>()});
  }
  if (socket_paths.end() == std::find_if(socket_paths.begin(), socket_paths.end(), [](const std::string& p) { return !p.empty(); })) {
    return kEveryHostRefused;
  }
  // Each host's relay: the local fio client's connection to that host's authenticated socket.
  const double cap_s = (kernel.once_over ? 3600 : o.ramp_s + o.runtime_s) + 120;
  std::vector<std::thread> relays;
  for (size_t i = 0; i < hosts.size(); ++i) {
    if (socket_paths[i].empty()) continue;
    relays.emplace_back([&, i] {
      const Socket client = AcceptWithin(listeners[i], 30);
      if (client.fd() >= 0) CarryBoth(client, hosts[i].socket, cap_s, [] { return Interrupted(); });
      hosts[i].socket.Shutdown();
    });
  }
  ProcessResult run;
  std::string failed;
  try {
    run = RunProcess(argv);
  } catch (const Error& e) {
    failed = "fio cannot be run (" + std::string(e.what()) + "): install Debian's fio package (scripts/qualify does)";
  }
  for (auto& l : listeners) l.Shutdown();  // a relay still waiting for fio's connection gives up
  for (auto& h : hosts) h.socket.Shutdown();
  for (auto& t : relays) t.join();
  if (!failed.empty()) throw Error(ExitCode::kEnvironment, failed);
  std::string why;
  if (run.term_signal != 0 || run.exit_code != 0) {
    const std::string first_line = run.stderr_text.substr(0, run.stderr_text.find('\n'));
    why = "fio --client exited with " + std::to_string(run.term_signal ? 128 + run.term_signal : run.exit_code) +
          (first_line.empty() ? "" : ": " + PeerWords(first_line));
  }
  std::map<std::string, std::string> documents;
  try {
    documents = FioClientDocuments(ReadRegularFile(out_path), "fio's client output");
  } catch (const Error& e) {
    return why.empty() ? e.what() : why + "; " + e.what();
  }
  for (size_t i = 0; i < hosts.size(); ++i) {
    if (socket_paths[i].empty()) continue;
    Measurement m;
    if (const auto doc = documents.find(socket_paths[i]); doc != documents.end()) {
      try {
        m = CombineFioGroups(ParseFioJson(doc->second, "fio's output for " + hosts[i].label));
      } catch (const Error& e) {
        m.status = MeasurementStatus::kFailed;
        m.reason = e.what();
      }
    } else {
      m.status = MeasurementStatus::kFailed;
      m.reason = why.empty() ? "fio reported nothing for this host" : why;
    }
    m.target = hosts[i].label;
    hosts[i].result = std::move(m);
  }
  return "";
}

nlohmann::json HostEntry(const HostRun& h) {
  nlohmann::json entry = {{"host", h.label}};
  if (!h.refused.empty()) {
    entry["status"] = "refused";
    entry["reason"] = h.refused;
    return entry;
  }
  entry["status"] = "ran";
  for (const char* field : {"hostname", "targets", "depths", "jobs_per_target", "job_file"}) entry[field] = h.plan.value(field, nlohmann::json());
  return entry;
}

}  // namespace

std::vector<Measurement> RunStorageFleet(const StorageFleetOptions& options, const StorageProgress& on_done) {
  const StorageOptions& o = options.storage;
  ValidateStorageOptions(o);
  if (options.hosts.empty()) throw Error(ExitCode::kUsage, "--hosts: no host");
  if (const std::string problem = FioReleaseProblem(o.fio); !problem.empty()) throw Error(ExitCode::kEnvironment, problem);
  std::vector<Endpoint> endpoints;
  std::set<std::string> seen;
  for (const auto& host : options.hosts) {
    endpoints.push_back(ParseEndpoint(host, kNetDefaultPort, "--hosts"));
    // One host twice would queue behind itself (one fleet run per host at a time) and count twice.
    if (!seen.insert(endpoints.back().ToString()).second) throw Error(ExitCode::kUsage, "--hosts: " + endpoints.back().ToString() + " given twice");
  }
  const std::vector<const StorageKernelSpec*> kernels = SelectedKernels(o);
  std::vector<Measurement> results;
  for (const StorageKernelSpec* k : kernels) {
    if (Interrupted()) break;  // what ran so far is kept
    Measurement m;
    m.kernel = std::string("fio.") + k->name;
    m.target = std::to_string(endpoints.size()) + " hosts";
    // Depths as asked: 0 is each host's own choice from its drives (its measurement says which).
    m.params = StorageRunParams(*k, o, StorageDepths{o.seq_iodepth, o.rand_iodepth, o.numjobs});
    m.params["hosts"] = options.hosts;
    m.duration_s = o.runtime_s;
    nlohmann::json repeats = nlohmann::json::array();
    std::map<std::string, std::vector<Measurement>> per_host;  // label -> its result in each repeat
    std::map<std::string, std::string> hostnames;              // label -> the name the host gave
    const unsigned runs = RunsOf(*k, o.repeats);
    for (unsigned r = 0; r < runs && !(r > 0 && Interrupted()); ++r) {
      std::vector<HostRun> hosts(endpoints.size());
      for (size_t i = 0; i < hosts.size(); ++i) hosts[i].endpoint = endpoints[i], hosts[i].label = endpoints[i].ToString();
      const std::string failed = RunOnce(hosts, *k, options);
      if (r == 0) {
        nlohmann::json entries = nlohmann::json::array();
        for (const auto& h : hosts) {
          entries.push_back(HostEntry(h));
          if (h.refused.empty()) hostnames[h.label] = PeerWords(h.plan["hostname"].get<std::string>());
        }
        m.detail["hosts"] = entries;
      }
      std::vector<Measurement> ran;
      for (const auto& h : hosts) {
        if (h.result) ran.push_back(*h.result), per_host[h.label].push_back(*h.result);
      }
      if (ran.empty()) {
        std::string reasons;
        for (const auto& h : hosts) reasons += (reasons.empty() ? "" : "; ") + h.label + ": " + h.refused;
        // Skipped when every host said no (no storage lent, writes not allowed); failed when one
        // could not be asked at all (unreachable, another secret) or fio failed.
        const bool all_answered = std::all_of(hosts.begin(), hosts.end(), [](const HostRun& h) { return h.reached; });
        m.status = failed == kEveryHostRefused && all_answered ? MeasurementStatus::kSkipped : MeasurementStatus::kFailed;
        m.reason = failed == kEveryHostRefused ? reasons : failed;
        break;
      }
      Measurement fleet = CombineFioGroups(ran);
      nlohmann::json entry = fleet.detail;
      entry["bytes_per_s"] = fleet.bytes_per_s;
      entry["iops"] = fleet.iops;
      entry["cpu_cores_busy"] = fleet.cpu_cores_busy;
      if (ran.size() == 1) entry["per_target"] = nlohmann::json::array({{{"target", ran[0].target}, {"bytes_per_s", ran[0].bytes_per_s}, {"iops", ran[0].iops}}});
      repeats.push_back(entry);
      if (fleet.status != MeasurementStatus::kOk || !failed.empty()) {
        m.status = MeasurementStatus::kFailed;
        m.reason = "repeat " + std::to_string(r + 1) + ": " + (failed.empty() ? fleet.reason : failed);
        break;
      }
      m.repeats_bytes_per_s.push_back(fleet.bytes_per_s.value_or(0));
      m.repeats_iops.push_back(fleet.iops.value_or(0));
      m.cpu_cores_busy = fleet.cpu_cores_busy;
    }
    SummarizeRepeats(m);
    m.detail["repeats"] = repeats;
    // Each host's medians over the repeats, its p99 from the last: the fleet's slow host stands out.
    nlohmann::json hosts_figures = nlohmann::json::array();
    for (const auto& endpoint : endpoints) {
      const std::string label = endpoint.ToString();
      const auto it = per_host.find(label);
      if (it == per_host.end()) continue;
      std::vector<double> bytes, iops;
      for (const auto& run : it->second) bytes.push_back(run.bytes_per_s.value_or(0)), iops.push_back(run.iops.value_or(0));
      const Measurement& last = it->second.back();
      hosts_figures.push_back({{"host", label}, {"hostname", hostnames[label]}, {"bytes_per_s", Median(bytes)}, {"iops", Median(iops)},
                               {"p99_s", BusierP99(last)},
                               {"status", MeasurementStatusName(last.status)}});
    }
    m.detail["per_host"] = hosts_figures;
    results.push_back(std::move(m));
    if (on_done) on_done(results.back(), results.size(), kernels.size(), 0);
  }
  return results;
}

}  // namespace shapeq
