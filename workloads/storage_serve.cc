#include "workloads/storage_serve.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_read.h"
#include "common/option_fields.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"
#include "probes/probe.h"
#include "workloads/device_safety.h"
#include "workloads/fio_gate.h"

namespace shapeq {
namespace {

namespace fs = std::filesystem;

const char* const kWhere = "the FIO request";

const StorageKernelSpec* FindKernelOrStep(const std::string& name, bool* is_step) {
  for (const auto& k : PreconditionSteps()) {
    if (name == k.name) return *is_step = true, &k;
  }
  for (const auto& k : StorageKernels()) {
    if (name == k.name) return *is_step = false, &k;
  }
  return nullptr;
}

std::string HostName() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  return name;
}

}  // namespace

nlohmann::json FioRequestJson(const std::string& kernel, const StorageOptions& options) {
  return {{"kernel", kernel}, {"options", OptionFieldsJson(options, StorageOptionFields())}, {"rand_iodepth", options.rand_iodepth}};
}

struct StorageHost::Impl {
  StorageLoan loan;
  std::mutex mutex;  // the probe and the scratch file, made once
  std::optional<Fingerprint> fp;
  std::unique_ptr<ScratchFile> scratch;
  std::timed_mutex running;  // one fio run on this host's drives at a time

  struct Planned {
    StorageJob job{};
    bool read_only = false;  // raw devices under a reading kernel: fio --readonly too
    double cap_s = 0;
  };

  std::vector<StorageTarget> Targets() {
    std::lock_guard lock(mutex);
    if (!fp) fp = Probe(ThisMachine(false));
    if (!loan.devices.empty()) return DeviceTargets(*fp, loan.devices, false);
    if (!scratch) scratch = std::make_unique<ScratchFile>(loan.scratch_dir, loan.scratch_bytes);
    return {scratch->target()};
  }

  Planned Plan(const nlohmann::json& request, double max_run_s) {
    if (!request.is_object()) throw BadInput(kWhere, "expected an object");
    RefuseUnknownFields(request, {"kernel", "options", "rand_iodepth"}, kWhere, "");
    const nlohmann::json kernel_name = request.value("kernel", nlohmann::json());
    bool is_step = false;
    const StorageKernelSpec* kernel = kernel_name.is_string() ? FindKernelOrStep(kernel_name.get<std::string>(), &is_step) : nullptr;
    if (!kernel) throw BadInput(kWhere, "field kernel: not a storage kernel: " + kernel_name.dump());
    StorageOptions o;
    const nlohmann::json options = request.value("options", nlohmann::json::object());
    std::set<std::string> known;
    ReadOptionFields(options, o, StorageOptionFields(), kWhere, "options.", &known);
    RefuseUnknownFields(options, known, kWhere, "options.");
    const nlohmann::json rand_iodepth = request.value("rand_iodepth", nlohmann::json(0u));
    if (!rand_iodepth.is_number_unsigned() || rand_iodepth.get<uint64_t>() > 4096) throw BadInput(kWhere, "field rand_iodepth: a whole number from 0 to 4096");
    o.rand_iodepth = rand_iodepth.get<unsigned>();
    // What runs here is this host's to choose: its fio, its engine, its consent to writes.
    o.fio = loan.fio;
    if (const std::string problem = FioReleaseProblem(o.fio); !problem.empty()) throw Error(ExitCode::kEnvironment, problem);
    o.served_engine.clear();
    o = WithServedDefaults(o);
    o.allow_destructive = o.allow_destructive && loan.allow_destructive;
    o.precondition = is_step;
    o.kernels = {is_step ? StorageKernels().front().name : kernel->name};
    ValidateStorageOptions(o);
    if (!kernel->once_over && o.ramp_s + o.runtime_s > max_run_s) {
      throw Error(ExitCode::kUsage, "the run would take " + std::to_string(static_cast<int>(o.ramp_s + o.runtime_s)) +
                                        " s, over this server's cap of " + std::to_string(static_cast<int>(max_run_s)) + " s");
    }
    const std::vector<StorageTarget> targets = Targets();
    Planned planned;
    for (const auto& job : PlanStorageJobs(*fp, targets, o)) {
      if (job.kernel == kernel) planned.job = job;
    }
    if (!planned.job.skipped.empty()) throw Error(ExitCode::kUsage, planned.job.skipped);
    if (planned.job.job_file.empty()) throw Error(ExitCode::kUsage, std::string(kernel->name) + ": not planned");
    bool raw = false;
    uint64_t largest_bytes = 0;
    for (const auto& t : targets) {
      raw = raw || t.raw_device;
      largest_bytes = std::max(largest_bytes, t.size_bytes);
      if (!t.raw_device || !kernel->writes) continue;
      if (auto why = RefuseDeviceWrites(*fp, t.device_id, ShownPath(t), o.allow_destructive)) {
        throw Error(ExitCode::kUsage, *why + (loan.allow_destructive ? "" : " (this host's net-serve was not started with --allow-destructive)"));
      }
    }
    planned.read_only = raw && !kernel->writes;
    // A fill runs until its target is written: allow it 20 MB/s at the least.
    planned.cap_s = (kernel->once_over ? std::max(max_run_s, static_cast<double>(largest_bytes) / 20e6) : o.ramp_s + o.runtime_s) + 60;
    return planned;
  }
};

StorageHost::StorageHost(StorageLoan loan) : impl_(std::make_unique<Impl>()) {
  impl_->loan = std::move(loan);
}

StorageHost::~StorageHost() = default;

void StorageHost::Serve(const Socket& connection, const std::string& request_json, double max_run_s, const std::function<bool()>& stop) {
  // Replace, never throw: a reason may quote what the requester sent.
  auto refuse = [&](const std::string& why) {
    SendLine(connection, "ERR " + nlohmann::json{{"refused", why}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  };
  if (!impl_->loan.lent()) return refuse("this host lends no storage (net-serve --storage-device or --storage-dir)");
  // The run before may still be winding down (its fio server stopping): wait for it a while.
  std::unique_lock busy(impl_->running, std::chrono::seconds(10));
  if (!busy.owns_lock()) return refuse("busy: another fleet storage run is using this host's drives");
  Impl::Planned planned;
  std::optional<TempDir> dir;
  std::unique_ptr<ChildProcess> server;
  Socket fio;
  fs::path job_path;
  DeviceClaims claims;  // lent devices a writing kernel writes: claimed until the relay ends
  try {
    planned = impl_->Plan(ParseJson(request_json, kWhere), max_run_s);
    for (const auto& t : planned.job.targets) {
      if (!t.raw_device || !planned.job.kernel->writes) continue;
      if (auto in_use = claims.Claim(t.path, t.device_id)) throw Error(ExitCode::kUsage, *in_use);
    }
    dir.emplace("shapeq-fio-serve");
    job_path = dir->path() / "job.fio";
    WriteFileAtomically(job_path, planned.job.job_file);
    const fs::path socket_path = dir->path() / "fio.sock";
    std::vector<std::string> argv = {impl_->loan.fio, "--server=sock:" + socket_path.string()};
    if (planned.read_only) argv.insert(argv.begin() + 1, "--readonly");
    server = std::make_unique<ChildProcess>(argv, /*own_group=*/true);
    fio = ConnectUnix(socket_path.string(), 5);
  } catch (const std::exception& e) {
    return refuse(e.what());
  }
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& t : planned.job.targets) {
    targets.push_back({{"name", t.name}, {"path", ShownPath(t)}, {"size_bytes", t.size_bytes}, {"cpus", t.cpus}, {"raw_device", t.raw_device}});
  }
  const StorageDepths& d = planned.job.depths;
  const nlohmann::json reply = {{"hostname", HostName()},
                                {"job_path", job_path.string()},
                                {"job_file", planned.job.job_file},
                                {"targets", targets},
                                {"depths", {{"seq_iodepth", d.seq_iodepth}, {"rand_iodepth", d.rand_iodepth}, {"numjobs", d.numjobs}}},
                                {"jobs_per_target", planned.job.jobs_per_target}};
  if (!SendLine(connection, "OK " + reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))) return;
  SetIoTimeout(connection, 30);
  SetIoTimeout(fio, 30);
  FioClientGate gate(job_path.string());
  const std::string ended = CarryBoth(connection, fio, planned.cap_s, stop, [&gate](std::string_view from_client, std::string& pass) {
    return gate.Feed(from_client, pass);
  });
  if (!ended.empty()) std::cerr << "shapeq net-serve: fio relay ended: " << ended << std::endl;
  // The client has what it needs (or is refused): the fio server and its connection's child go
  // now, so the next run finds the drives free.
  server.reset();
}

}  // namespace shapeq
