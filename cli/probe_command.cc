// shapeq probe: the node's fingerprint, as text (default) or JSON.
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "common/atomic_file.h"
#include "probes/fingerprint_text.h"
#include "probes/probe.h"

namespace shapeq::cli {

Runner SetupProbe(CLI::App& app) {
  struct Args {
    ProbeOptions probe;
    bool json = false;
    std::string out_path;
  };
  auto args = std::make_shared<Args>();
  app.add_option("--topology", args->probe.topology_xml,
                 "Probe a saved hwloc XML topology (lstopo --of xml) instead of this machine");
  app.add_option("--sysfs-root", args->probe.sysfs_root,
                 "Read sys/ and proc/ under DIR, a root captured by hwloc-gather-topology");
  app.add_flag("--json", args->json, "Print the Fingerprint as JSON instead of the summary");
  app.add_option("-o,--out", args->out_path, "Also write the Fingerprint JSON to FILE (atomically)");
  return [args] {
    const Fingerprint fp = Probe(args->probe);
    const std::string json = nlohmann::json(fp).dump(2) + "\n";
    if (!args->out_path.empty()) WriteFileAtomically(args->out_path, json);
    std::cout << (args->json ? json : FormatFingerprintText(fp)) << std::flush;
    return 0;
  };
}

}  // namespace shapeq::cli
