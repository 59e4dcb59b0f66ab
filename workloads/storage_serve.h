#pragma once
// net-serve's storage side: what `shapeq storage --hosts` runs on this host through fio's own
// client/server, and no more. After the shared-secret proof a coordinator sends
//
//   FIO <request JSON>   {"kernel": NAME, "options": {StorageOptionFields}, "rand_iodepth": N}
//
// and this host plans the kernel itself, over its own drives and CPUs (the targets net-serve was
// started with: --storage-device or a scratch file in --storage-dir), writes the job file into a
// private directory, starts `fio --server` on a private unix socket and answers one line:
//
//   OK <reply JSON>      {"hostname", "job_path", "job_file", "targets": [...], "depths": {...}}
//   ERR <reply JSON>     {"refused": why}   (nothing runs: no storage lent, a write not allowed ...)
//
// After OK the connection carries fio's protocol both ways: the coordinator's `fio --client`
// talks to this fio server through it, and FioClientGate lets through only the frames that load
// the planned job file and run it. The relay ends when either side leaves or the run's cap
// (net-serve --max-run, plus the fill of a large target) is up; the fio server goes with it.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "workloads/net_socket.h"
#include "workloads/storage_kernel.h"

namespace shapeq {

// What this host lends to fleet storage runs; nothing unless a device or a directory is named.
struct StorageLoan {
  std::vector<std::string> devices;  // raw block devices: read always, written only with allow_destructive
  std::string scratch_dir;           // else one scratch file here (made on the first request, kept)
  uint64_t scratch_bytes = 1ull << 30;
  bool allow_destructive = false;    // this host's consent; a request's own flag is needed too
  std::string fio = "fio";
  bool lent() const { return !devices.empty() || !scratch_dir.empty(); }
};

inline constexpr const char* kFioRequestVerb = "FIO";

// The request line's JSON for `kernel` with these options (the coordinator's side).
nlohmann::json FioRequestJson(const std::string& kernel, const StorageOptions& options);

// One per net-serve: the probe and scratch file it keeps between requests.
class StorageHost {
 public:
  explicit StorageHost(StorageLoan loan);
  ~StorageHost();
  StorageHost(const StorageHost&) = delete;
  StorageHost& operator=(const StorageHost&) = delete;

  // Serves one FIO request on an authenticated connection (see above). `max_run_s`: the most a
  // time-based run may take (repeats are separate requests). `stop`: net-serve is stopping.
  void Serve(const Socket& connection, const std::string& request_json, double max_run_s, const std::function<bool()>& stop);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shapeq
