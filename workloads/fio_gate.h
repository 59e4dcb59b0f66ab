#pragma once
// What a fio client may tell a fio server we started. fio's server authenticates no one and runs
// whatever a client sends (a job with exec_prerun=, ioengine=external:, a trigger command), so
// net-serve relays fio's protocol only after the shared-secret proof, and only the frames that
// load the one job file net-serve planned itself and run it. Everything else ends the relay.
//
// fio's wire format (server.h, FIO_SERVER_VER 97 in fio 3.33): a 24-byte little-endian header
// {u16 version, u16 opcode, u32 flags, u64 tag, u32 pdu_len, u16 cmd_crc16, u16 pdu_crc16}
// followed by pdu_len bytes. The client of `fio --client=... --remote-config FILE` sends PROBE,
// JOBLINE (its own argv: "fio --output-format=json+"), LOAD_FILE, RUN, then SEND_ETA now and then
// and QUIT when stopped.
#include <cstdint>
#include <string>
#include <string_view>

namespace shapeq {

inline constexpr uint16_t kFioServerVersion = 97;  // fio 3.33, the fio the package depends on
inline constexpr const char* kFioGateRelease = "fio-3.33";  // `fio --version` of that fio
inline constexpr size_t kFioHeaderBytes = 24;

// "" when `fio` is the release whose protocol the gate knows, else why not (for both ends of a
// fleet storage run: another release speaks another protocol version).
std::string FioReleaseProblem(const std::string& fio);

class FioClientGate {
 public:
  // `job_path`: the only file a LOAD_FILE may name.
  explicit FioClientGate(std::string job_path) : job_path_(std::move(job_path)) {}

  // Takes the next bytes the client sent; `pass` gets the whole frames that may reach the server
  // (a frame's bytes pass unchanged and only once it is whole). Returns "" while all is allowed,
  // else why the relay must end (the refused frame, and anything after it, never passes).
  std::string Feed(std::string_view bytes, std::string& pass);

 private:
  std::string CheckFrame(uint16_t version, uint16_t opcode, uint32_t flags, std::string_view pdu);

  std::string job_path_;
  std::string pending_;
  bool loaded_ = false, ran_ = false, refused_ = false;
};

// A frame as fio's client would send it, for tests (checksums are fio's crc16; the gate does not
// check them, the fio server does).
std::string FioFrame(uint16_t opcode, std::string_view pdu, uint16_t version = kFioServerVersion, uint32_t flags = 0);

}  // namespace shapeq
