#pragma once
// `shapeq net-serve`: the one listener of our own. It serves the network kernel's clients
// (HELLO/DATA/STATS), fleet requests (RUN: measure from here to another listener) and fleet
// storage runs (FIO: this host's own job through fio's server, storage_serve.h), only to
// clients that prove the shared secret (net_protocol.h), with every resource bounded: a fixed
// most of connections served at once by a pool of worker threads (joined on Stop), a time and
// stream cap on every RUN, and a RUN stopped when its requester goes away.
#include <cstdint>
#include <memory>
#include <string>

#include "workloads/endpoint.h"
#include "workloads/storage_serve.h"

namespace shapeq {

struct NetServerLimits {
  std::string token;               // the shared secret; required
  double max_run_s = 120;          // a RUN's repeats x (warm-up + duration), and a session's life
  unsigned max_streams = 64;       // per direction, for one RUN or one client session
  unsigned max_connections = 256;  // authenticated connections served at once; more get "ERR busy"
  // Connections that have not proved the secret yet have their own pool, a few per address, so a
  // flood of slow handshakes cannot take the slots of authenticated clients or of other hosts.
  unsigned max_pending = 64;
  unsigned max_pending_per_address = 8;
  double handshake_timeout_s = 5;  // the whole exchange: challenge, proof and request line
};

class NetServer {
 public:
  // Binds now: Error(kEnvironment) if it cannot; Error(kUsage) without a token. `storage`: what
  // FIO requests may use here (storage_serve.h); by default nothing.
  NetServer(const Endpoint& listen, NetServerLimits limits, StorageLoan storage = {});
  ~NetServer();
  NetServer(const NetServer&) = delete;
  NetServer& operator=(const NetServer&) = delete;
  uint16_t port() const { return port_; }
  void Start();  // accepts on a background thread
  void Stop();   // closes the listener and every connection, joins every thread

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace shapeq
