#pragma once
// fio as a subprocess: the checks every value passes before it reaches a job file, the engines
// the installed fio has, and one run of one job file read back as the node's Measurement.
#include <functional>
#include <set>
#include <string>

#include "model/measurement.h"
#include "workloads/fio_output.h"

namespace shapeq {

// fio reads a job file line by line: a newline in a value starts a new option (exec_prerun=
// runs a command), '[' a new job, ';' or '#' a comment; ':' in filename= names a second file.
// fio also expands '$' (${VAR} from the environment, $ncpus and the like, then arithmetic).
// Error(kUsage) naming `field` for a value with any of those (or a character of `also_refused`),
// or one longer than kMaxFioValueBytes.
inline constexpr size_t kMaxFioValueBytes = 4096;
void CheckFioValue(const char* field, const std::string& value, const char* also_refused = "");

// The engines `fio --enghelp` lists, asked once per binary; empty when fio cannot be run.
std::set<std::string> FioEngines(const std::string& fio);
// False for engines that are not storage I/O: exec runs a program, others test the network,
// the CPU or file metadata.
bool StorageEngine(const std::string& engine);

// One fio run of one job file, its reporting groups combined (CombineFioGroups). A run that
// fails is a failed Measurement with fio's own words and whatever figures fio still wrote.
// `read_only`: fio --readonly, so fio itself refuses any write. `full_runtime`: the job should
// run all of `runtime_s`, so ending early means it was stopped. `on_status` (optional): fio's
// status line about once a second. Error(kEnvironment) when fio cannot be run at all.
Measurement RunFioOnce(const std::string& job_file, const std::string& fio, double runtime_s, bool read_only, bool full_runtime,
                       const std::function<void(const FioStatus&)>& on_status = {});

}  // namespace shapeq
