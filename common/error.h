#pragma once
// One error type for every stage: a message that names what and where, and the exit code the
// CLI returns for it. The CLI prints `shapeq: <message>` on one line; no stage prints.
#include <stdexcept>
#include <string>

namespace shapeq {

// The documented exit codes (README, "Exit codes"). Values are part of the interface.
enum class ExitCode : int {
  kOk = 0,
  kInternal = 1,      // a bug in shapeq: please report it
  kUsage = 2,         // bad command line (unknown option, bad value)
  kBadInput = 3,      // an input file or directory is missing, unreadable or malformed
  kEnvironment = 4,   // this machine lacks something shapeq needs (a tool, a permission)
  kRunFailed = 5,     // a measurement ran and failed; partial results are kept
  kInterrupted = 130, // SIGINT/SIGTERM: partial results are kept, marked incomplete
};

// `text` on one line: control characters (a newline in a value quoted from a file) and bytes
// that are not UTF-8 escaped (\x..), so it can go into JSON as it is.
std::string OneLine(const std::string& text);
// `text` as a JSON string literal for a message ("a\nb" with its quotes); bytes that are not
// UTF-8 are replaced, never thrown over (a value from the command line may hold any byte).
std::string Quoted(const std::string& text);

class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(OneLine(message)), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

// "FILE: field F: PROBLEM" — the shape every bad-input message takes.
Error BadInput(const std::string& where, const std::string& problem);

}  // namespace shapeq
