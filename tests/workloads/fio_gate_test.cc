// The gate between a fio client and the fio server net-serve starts: what `fio --client
// --remote-config` sends passes byte for byte, in any chunking; anything that could make fio run
// something else (a job of the client's, another file, a command line, a trigger) ends it.
#include "workloads/fio_gate.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace shapeq {
namespace {

constexpr uint16_t kQuit = 1, kJob = 3, kJobLine = 4, kSendEta = 8, kProbe = 10, kRun = 16, kLoadFile = 19, kVTrigger = 20,
                   kSendFile = 21;
const std::string kJobPath = "/tmp/shapeq-fio-serve-abc/job.fio";

std::string Le16(size_t value) { return {static_cast<char>(value & 0xff), static_cast<char>(value >> 8)}; }

std::string JobLine(const std::vector<std::string>& argv) {
  std::string pdu = Le16(argv.size()) + Le16(1);
  for (const auto& arg : argv) pdu += Le16(arg.size() + 1) + arg + '\0';
  return pdu;
}

std::string LoadFile(const std::string& path) { return Le16(path.size()) + Le16(1) + path + '\0'; }

// What fio 3.33's client sent in a captured session (opcodes and payload layouts).
std::string ClientSession() {
  std::string probe(136, '\0');
  probe[0] = 1;  // FIO_PROBE_FLAG_ZLIB
  return FioFrame(kProbe, probe) + FioFrame(kJobLine, JobLine({"fio", "--output-format=json+"})) + FioFrame(kLoadFile, LoadFile(kJobPath)) +
         FioFrame(kRun, "") + FioFrame(kSendEta, "") + FioFrame(kSendEta, "") + FioFrame(kQuit, "");
}

// Feeds `bytes` in chunks of the given sizes (cycled); returns what passed and the first refusal.
std::pair<std::string, std::string> FeedInChunks(FioClientGate& gate, const std::string& bytes, const std::vector<size_t>& sizes) {
  std::string passed, refused;
  size_t at = 0;
  for (size_t i = 0; at < bytes.size() && refused.empty(); ++i) {
    const size_t n = std::min(sizes[i % sizes.size()], bytes.size() - at);
    refused = gate.Feed(std::string_view(bytes).substr(at, n), passed);
    at += n;
  }
  return {passed, refused};
}

TEST(FioGate, TheClientsOwnSessionPassesUnchangedInAnyChunking) {
  const std::string session = ClientSession();
  for (const std::vector<size_t>& sizes : std::vector<std::vector<size_t>>{{1}, {7, 3}, {24}, {25, 100}, {session.size()}}) {
    FioClientGate gate(kJobPath);
    const auto [passed, refused] = FeedInChunks(gate, session, sizes);
    EXPECT_EQ(refused, "");
    EXPECT_EQ(passed, session) << "chunks of " << sizes[0];
  }
}

TEST(FioGate, RefusesEveryWayToRunSomethingElse) {
  std::string probe(136, '\0');
  const std::string start = FioFrame(kProbe, probe);
  const std::string loaded = start + FioFrame(kLoadFile, LoadFile(kJobPath));
  struct Case {
    const char* what;
    std::string bytes;
    const char* expect;  // a word of the refusal
  };
  const std::vector<Case> cases = {
      {"a job of the client's own", start + FioFrame(kJob, "[x]\nexec_prerun=touch /tmp/owned\n"), "command 3"},
      {"another job file", start + FioFrame(kLoadFile, LoadFile("/tmp/evil.fio")), "another file"},
      {"the planned path as a prefix", start + FioFrame(kLoadFile, LoadFile(kJobPath + ".evil")), "another file"},
      {"a name_len that lies", start + FioFrame(kLoadFile, Le16(3) + Le16(1) + kJobPath + '\0'), "another file"},
      {"a second job", loaded + FioFrame(kLoadFile, LoadFile(kJobPath)), "second LOAD_FILE"},
      {"a job file on the command line", start + FioFrame(kJobLine, JobLine({"fio", "/tmp/evil.fio"})), "option"},
      {"a job option on the command line", start + FioFrame(kJobLine, JobLine({"fio", "--exec_prerun=touch /tmp/owned"})), "option"},
      {"an option as the program name", start + FioFrame(kJobLine, JobLine({"--name=x"})), "program name"},
      {"a command line after the job", loaded + FioFrame(kJobLine, JobLine({"fio", "--output-format=json"})), "after the job"},
      {"a command line with bytes left over", start + FioFrame(kJobLine, JobLine({"fio"}) + "x"), "bytes after"},
      {"a command line that says it has more lines", start + FioFrame(kJobLine, Le16(2) + Le16(1) + Le16(4) + "fio" + '\0'), "overrun"},
      {"a command line whose line overruns it", start + FioFrame(kJobLine, Le16(1) + Le16(1) + Le16(9) + "fio" + '\0'), "C string"},
      {"a trigger command", loaded + FioFrame(kVTrigger, Le16(5) + "reboot"), "command 20"},
      {"a file sent to the server", loaded + FioFrame(kSendFile, std::string(300, 'x')), "command 21"},
      {"a run before any job", start + FioFrame(kRun, ""), "before the job"},
      {"a second run", loaded + FioFrame(kRun, "") + FioFrame(kRun, ""), "second RUN"},
      {"a fragmented frame", start + FioFrame(kLoadFile, LoadFile(kJobPath), kFioServerVersion, 1), "fragmented"},
      {"another protocol version", FioFrame(kProbe, probe, 96), "version 96"},
      {"a probe of the wrong size", FioFrame(kProbe, "x"), "PROBE"},
      {"a status request with a payload", start + FioFrame(kSendEta, "x"), "payload"},
      {"a frame too large to hold", start + FioFrame(kJob, std::string(5000, 'x')), "5000 bytes"},
  };
  for (const auto& c : cases) {
    FioClientGate gate(kJobPath);
    std::string passed;
    const std::string refused = gate.Feed(c.bytes, passed);
    EXPECT_NE(refused.find(c.expect), std::string::npos) << c.what << ": " << refused;
    // Only the frames before the refused one passed, and nothing passes after it.
    EXPECT_EQ(c.bytes.rfind(passed, 0), 0u) << c.what;
    EXPECT_LT(passed.size(), c.bytes.size()) << c.what;
    std::string later;
    EXPECT_NE(gate.Feed(FioFrame(kSendEta, ""), later), "") << c.what;
    EXPECT_EQ(later, "") << c.what;
  }
}

// Random bytes, and the real session with random bytes flipped: never a crash, and whatever
// passes is whole frames from the start of the input.
TEST(FioGate, RandomAndMutatedInputPassesOnlyWholeAllowedFrames) {
  std::mt19937 random(20261127);
  const std::string session = ClientSession();
  for (int round = 0; round < 4000; ++round) {
    std::string bytes;
    if (round % 2 == 0) {
      bytes.resize(random() % 400);
      for (auto& b : bytes) b = static_cast<char>(random());
    } else {
      bytes = session;
      for (int flips = 1 + static_cast<int>(random() % 4); flips > 0; --flips) bytes[random() % bytes.size()] = static_cast<char>(random());
    }
    FioClientGate gate(kJobPath);
    const auto [passed, refused] = FeedInChunks(gate, bytes, {1 + random() % 64});
    ASSERT_EQ(bytes.rfind(passed, 0), 0u);
    // Re-feeding what passed, whole, through a fresh gate passes it all again: only whole frames
    // the gate allows ever went through.
    FioClientGate again(kJobPath);
    std::string repassed;
    ASSERT_EQ(again.Feed(passed, repassed), "");
    ASSERT_EQ(repassed, passed);
  }
}

// Both ends of a fleet run must be the fio whose protocol the gate knows; another release is named.
TEST(FioGate, KnowsOnlyTheFioReleaseItWasWrittenFor) {
  EXPECT_EQ(FioReleaseProblem("fio"), "") << "the installed fio is the one the package depends on";
  const std::string fake = (std::filesystem::temp_directory_path() / ("shapeq-fake-fio-" + std::to_string(getpid()))).string();
  std::ofstream(fake) << "#!/bin/sh\necho fio-3.35\n";
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  EXPECT_NE(FioReleaseProblem(fake).find("\"fio-3.35\""), std::string::npos) << FioReleaseProblem(fake);
  EXPECT_NE(FioReleaseProblem("/nonexistent/fio").find("cannot be run"), std::string::npos);
  std::filesystem::remove(fake);
}

}  // namespace
}  // namespace shapeq
