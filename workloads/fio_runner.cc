#include "workloads/fio_runner.h"

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_read.h"
#include "common/subprocess.h"
#include "common/temp_dir.h"

namespace shapeq {

namespace fs = std::filesystem;

// --eta=always puts the status lines on stdout; the results go to a file, so the two never mix.
Measurement RunFioOnce(const std::string& job_file, const std::string& fio, double runtime_s, bool read_only, bool full_runtime,
                       const std::function<void(const FioStatus&)>& on_status) {
  TempDir work("shapeq-fio");
  const fs::path job_path = work.path() / "job.fio", out_path = work.path() / "out.json";
  WriteFileAtomically(job_path, job_file);
  ProcessResult run;
  try {
    std::vector<std::string> argv = {fio, "--output-format=json+", "--output=" + out_path.string()};
    if (read_only) argv.push_back("--readonly");
    if (on_status) argv.insert(argv.end(), {"--eta=always", "--eta-interval=1s"});
    argv.push_back(job_path.string());
    std::string partial;  // fio ends status lines with \r (and now and then \n)
    run = RunProcess(argv, [&](std::string_view chunk) {
      if (!on_status) return;
      partial.append(chunk);
      for (size_t end; (end = partial.find_first_of("\r\n")) != std::string::npos; partial.erase(0, end + 1)) {
        if (const auto status = ParseFioStatusLine(std::string_view(partial).substr(0, end))) on_status(*status);
      }
    });
  } catch (const Error& e) {
    throw Error(ExitCode::kEnvironment, "fio cannot be run (" + std::string(e.what()) + "): install Debian's fio package (scripts/qualify does)");
  }
  std::string why;
  if (run.term_signal != 0) {
    why = "fio was killed by signal " + std::to_string(run.term_signal) + " (" + strsignal(run.term_signal) + ")";
  } else if (run.exit_code != 0) {
    const std::string first_line = run.stderr_text.substr(0, run.stderr_text.find('\n'));
    why = "fio exited with " + std::to_string(run.exit_code) + (first_line.empty() ? "" : ": " + first_line);
  }
  std::string text;
  Measurement m;
  try {
    text = ReadRegularFile(out_path.string());
    m = CombineFioGroups(ParseFioJson(text, "fio's output"));
  } catch (const Error& e) {
    m.status = MeasurementStatus::kFailed;
    m.reason = why.empty() ? e.what() : why + "; " + e.what();
    m.detail["raw_output_head"] = text.substr(0, 2000);
    return m;
  }
  // fio stops cleanly on SIGTERM and reports what it did; only its runtime shows it was cut short
  // (steady state reached ends a job early too, and legitimately).
  const bool steady_stop = m.detail.contains("steady_state") && m.detail["steady_state"].value("attained", false);
  if (why.empty() && full_runtime && !steady_stop && m.duration_s < 0.9 * runtime_s) {
    char stopped[96];
    std::snprintf(stopped, sizeof stopped, "fio stopped after %.1f s of %g s", m.duration_s, runtime_s);
    why = stopped;
  }
  if (!why.empty()) {
    m.status = MeasurementStatus::kFailed;
    m.reason = m.reason.empty() ? why : why + "; " + m.reason;
  }
  try {
    m.detail["raw_output"] = ParseJson(text, "fio's output");
  } catch (const Error&) {
    m.detail["raw_output"] = nullptr;  // words before the JSON: the parsed figures stand
  }
  return m;
}

void CheckFioValue(const char* field, const std::string& value, const char* also_refused) {
  const std::string shown = Quoted(value);  // escaped, so the line stays one line
  for (const char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || std::strchr("[];#", c) || (c && std::strchr(also_refused, c))) {
      throw Error(ExitCode::kUsage, std::string(field) + ": " + shown + " has a character fio would read as job syntax");
    }
    // fio replaces ${NAME} with the environment's NAME and $ncpus, $pagesize, $mb_memory with
    // figures of this machine, then hands a value with + - * / to bc: a '$' never reaches it.
    if (c == '$') {
      throw Error(ExitCode::kUsage, std::string(field) + ": " + shown + " has '$', which fio would expand (${VAR}, $ncpus)");
    }
  }
  // fio drops an option line longer than it reads (OPT_LEN_MAX, 8192).
  if (value.size() > kMaxFioValueBytes) {
    throw Error(ExitCode::kUsage, std::string(field) + ": longer than " + std::to_string(kMaxFioValueBytes) + " bytes");
  }
}

std::set<std::string> FioEngines(const std::string& fio) {
  static std::mutex mutex;
  static std::map<std::string, std::set<std::string>> known;  // per fio binary: asked once
  std::lock_guard lock(mutex);
  if (auto it = known.find(fio); it != known.end()) return it->second;
  std::set<std::string> engines;
  try {
    const ProcessResult listed = RunProcess({fio, "--enghelp"});
    std::istringstream lines(listed.stdout_text);
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty() && line[0] == '\t') engines.insert(line.substr(1));
    }
  } catch (const Error&) {
    // No fio: the run says so itself (exit 4); the value checks above still hold.
  }
  return known[fio] = engines;
}

bool StorageEngine(const std::string& engine) {
  static const std::set<std::string> not_storage = {"exec", "cpuio", "net", "netsplice", "rdma", "filecreate",
                                                    "filestat", "filedelete", "ftruncate"};
  return !not_storage.count(engine);
}

}  // namespace shapeq
