#pragma once
// `shapeq verify DIR`: whether a results directory is what its run wrote, and whether every figure
// in it follows from the raw output kept beside it. Checks, in order:
//   1. each file the manifest lists against its SHA-256 there, and the results digest over them
//      (and the digest the report names);
//   2. storage: each repeat's bytes/s and IOPS re-read from fio's own json+ output, and each
//      kernel's figure as the median of its repeats; network: each repeat as the sum of its
//      streams; data path: each kernel's figure as the median of its repeats;
//   3. the node's measured shape re-derived from fingerprint.json and those measurements, and
//      every verdict re-scored from the shapes, targets and model recorded in verdicts.json.
// Plain data out; the CLI prints it and chooses the exit code.
#include <string>
#include <vector>

namespace shapeq {

struct VerifyFinding {
  std::string file;  // the file (or figure's file) that does not hold
  std::string what;  // one line: what was found, and what was expected
};

struct VerifyResult {
  std::string results_digest;          // recomputed from the files as they are
  std::vector<std::string> checked;    // one line per check that held, for the record
  std::vector<VerifyFinding> findings; // empty: the directory verifies
};

// Throws BadInput naming the directory when it is no run (no manifest, or one without digests).
VerifyResult VerifyRun(const std::string& dir);

}  // namespace shapeq
