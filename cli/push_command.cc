// shapeq push: a results directory's figures to a Prometheus Pushgateway, grouped by job and
// node. If the gateway is down the results stay on disk and a later push sends them.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "results/pushgateway.h"
#include "results/run_dir.h"

namespace shapeq::cli {

CLI::Option* AddOutputOptions(CLI::App& app, bool& json, std::string& out_path, const std::string& json_help) {
  CLI::Option* flag = app.add_flag("--json", json, json_help);
  app.add_option("-o,--out", out_path, "Also write the JSON to FILE (atomically), whatever is printed");
  return flag;
}

void AddPushOptions(CLI::App& app, PushOptions& push, bool gateway_required) {
  auto* gateway = app.add_option("--gateway", push.gateway_url, "Pushgateway URL, http(s)://HOST:PORT");
  if (gateway_required) gateway->required();
  app.add_option("--job", push.job, "Job name (the group is job and node)")->capture_default_str();
  app.add_option("--user", push.username, "Basic-auth user");
  app.add_option("--password", push.password, "Basic-auth password (better: $SHAPEQ_PUSH_PASSWORD, not seen in ps)")->envname("SHAPEQ_PUSH_PASSWORD");
  app.add_option("--ca-file", push.ca_file, "PEM file of the CA that signed an https gateway's certificate");
  app.add_flag("--allow-plain-http-auth", push.allow_plain_http_auth, "Send --user/--password over http:// to a gateway off this host (in clear)");
  app.add_option("--attempts", push.attempts, "Attempts, with doubling backoff from 0.5 s")->capture_default_str()->check(CLI::Range(1u, 20u));
}

Runner SetupPush(CLI::App& app) {
  struct Args {
    std::string dir;
    PushOptions push;
    std::string storage_fleet, net_fleet;
  };
  auto args = std::make_shared<Args>();
  app.add_option("dir", args->dir, "A results directory (shapeq qualify --out)")->required();
  AddPushOptions(app, args->push, true);
  app.add_option("--storage-fleet", args->storage_fleet, "Push a fleet storage run too (shapeq storage --hosts ... -o FILE): the fleet and each host per kernel");
  app.add_option("--net-fleet", args->net_fleet, "Push a fleet network run too (shapeq net --hosts ... -o FILE): each pair");
  return [args] {
    ValidatePushOptions(args->push);
    const RunFiles run = ReadRunFiles(args->dir);
    const FleetRuns fleet = ReadFleetRuns(args->storage_fleet, args->net_fleet);
    PushRun(run, args->push, fleet);
    std::cout << "shapeq: pushed " << run.run_id << " to " << args->push.gateway_url << " (job " << args->push.job << ", node "
              << run.fingerprint.source.hostname << ")" << std::endl;
    return 0;
  };
}

}  // namespace shapeq::cli
