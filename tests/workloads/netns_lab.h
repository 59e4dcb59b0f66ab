#pragma once
// Test hosts in network namespaces: one namespace per host, each with a veth into a bridge
// namespace, all on 10.211.0.0/24 inside this lab only. Created by the test, removed after it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "common/subprocess.h"

namespace shapeq {

class NetnsLab {
 public:
  // Empty when the lab is up; otherwise why it could not be made (the test skips with it).
  std::string Create(int hosts) {
    if (geteuid() != 0) return "needs root to create network namespaces";
    // The lab's shared secret: every net-serve and client started from here inherits it.
    setenv("SHAPEQ_NET_TOKEN", kToken, 1);
    prefix_ = "sq" + std::to_string(getpid());
    bridge_ = prefix_ + "br";
    if (!Ip({"netns", "add", bridge_})) return "ip netns add failed (no CAP_SYS_ADMIN or no iproute2)";
    made_.push_back(bridge_);
    if (!Ip({"-n", bridge_, "link", "add", "br0", "type", "bridge"}) || !Ip({"-n", bridge_, "link", "set", "br0", "up"})) {
      return "cannot create a bridge";
    }
    for (int i = 0; i < hosts; ++i) {
      const std::string ns = Ns(i), peer = "p" + std::to_string(i);
      if (!Ip({"netns", "add", ns})) return "ip netns add " + ns + " failed";
      made_.push_back(ns);
      const bool ok = Ip({"link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", peer, "netns", bridge_}) &&
                      Ip({"-n", bridge_, "link", "set", peer, "master", "br0"}) && Ip({"-n", bridge_, "link", "set", peer, "up"}) &&
                      Ip({"-n", ns, "addr", "add", Address(i) + "/24", "dev", "eth0"}) && Ip({"-n", ns, "link", "set", "eth0", "up"}) &&
                      Ip({"-n", ns, "link", "set", "lo", "up"});
      if (!ok) return "cannot wire host " + ns;
    }
    return "";
  }

  ~NetnsLab() {
    servers_.clear();  // kills them
    for (const auto& ns : made_) Ip({"netns", "del", ns});
  }

  static constexpr const char* kToken = "shapeq-test-lab-token-0123456789";

  std::string Ns(int host) const { return prefix_ + "h" + std::to_string(host); }
  static std::string Address(int host) { return "10.211.0." + std::to_string(host + 1); }

  // Shapes the host's outgoing traffic, as a slower NIC would.
  bool Limit(int host, const std::string& rate) {
    return RunProcess({"tc", "-n", Ns(host), "qdisc", "add", "dev", "eth0", "root", "tbf", "rate", rate, "burst", "256kb",
                       "latency", "50ms"}).exit_code == 0;
  }

  // Shapes the traffic into the host too (the bridge's side of its veth), as a slower NIC's receive.
  bool LimitIngress(int host, const std::string& rate) {
    return RunProcess({"tc", "-n", bridge_, "qdisc", "add", "dev", "p" + std::to_string(host), "root", "tbf", "rate", rate, "burst",
                       "256kb", "latency", "50ms"}).exit_code == 0;
  }

  // Runs argv inside the host's namespace and waits.
  ProcessResult Run(int host, std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"ip", "netns", "exec", Ns(host)});
    return RunProcess(argv);
  }

  // Starts argv inside the host's namespace, left running.
  std::unique_ptr<ChildProcess> Start(int host, std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"ip", "netns", "exec", Ns(host)});
    return std::make_unique<ChildProcess>(argv);
  }

  // `shapeq net-serve` on the host, once it says it listens. Null if it did not.
  ChildProcess* StartServer(int host) {
    auto server = Start(host, {SHAPEQ_BINARY, "net-serve", "--listen", Address(host) + ":5201"});
    const auto line = server->ReadLine(10);
    if (!line || line->find("listening on") == std::string::npos) return nullptr;
    servers_.push_back(std::move(server));
    return servers_.back().get();
  }

 private:
  static bool Ip(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"ip"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv).exit_code == 0;
  }

  std::string prefix_, bridge_;
  std::vector<std::string> made_;
  std::vector<std::unique_ptr<ChildProcess>> servers_;
};

}  // namespace shapeq
