#include "workloads/fio_gate.h"

#include <cstring>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/subprocess.h"

namespace shapeq {
namespace {

// fio's opcodes (server.h) that a client may send through the gate.
enum : uint16_t { kQuit = 1, kJobLine = 4, kSendEta = 8, kProbe = 10, kRun = 16, kLoadFile = 19 };
constexpr size_t kProbePduBytes = 136;   // struct cmd_client_probe_pdu: u64 flags, u8 server[128]
constexpr size_t kMaxPduBytes = 4096;    // the largest allowed frame (a JOBLINE) is far smaller

uint16_t Le16(const char* p) { return static_cast<uint16_t>(static_cast<uint8_t>(p[0]) | static_cast<uint8_t>(p[1]) << 8); }
uint32_t Le32(const char* p) { return static_cast<uint32_t>(Le16(p)) | static_cast<uint32_t>(Le16(p + 2)) << 16; }

void PutLe(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// fio's crc16 (CRC-16/ARC: poly 0x8005 reflected, init 0).
uint16_t FioCrc16(std::string_view bytes) {
  uint16_t crc = 0;
  for (const char c : bytes) {
    crc ^= static_cast<uint8_t>(c);
    for (int bit = 0; bit < 8; ++bit) crc = static_cast<uint16_t>(crc & 1 ? (crc >> 1) ^ 0xA001 : crc >> 1);
  }
  return crc;
}

// A JOBLINE is the client's own argv: {u16 lines, u16 client_type} then lines x {u16 len, text}.
// fio parses it as a command line (a job file named there would load, --exec ... ): the client's
// argv[0] (never parsed as an option) and the output format are all it may hold.
std::string CheckJobLine(std::string_view pdu) {
  if (pdu.size() < 4) return "a JOBLINE shorter than its header";
  const unsigned lines = Le16(pdu.data());
  size_t at = 4;
  for (unsigned i = 0; i < lines; ++i) {
    if (at + 2 > pdu.size()) return "a JOBLINE whose lines overrun it";
    const size_t len = Le16(pdu.data() + at);
    at += 2;
    if (len == 0 || at + len > pdu.size() || pdu[at + len - 1] != '\0') return "a JOBLINE line that is not one C string";
    const std::string_view text = pdu.substr(at, len - 1);
    at += len;
    if (text.find('\0') != std::string_view::npos) return "a JOBLINE line with a NUL inside";
    if (i == 0) {
      if (text.empty() || text.front() == '-') return "a JOBLINE whose program name is an option";
    } else if (text != "--output-format=json+" && text != "--output-format=json") {
      return "a JOBLINE with a command-line option the gate does not pass";
    }
  }
  if (lines == 0 || at != pdu.size()) return "a JOBLINE with bytes after its lines";
  return "";
}

}  // namespace

std::string FioClientGate::CheckFrame(uint16_t version, uint16_t opcode, uint32_t flags, std::string_view pdu) {
  if (version != kFioServerVersion) return "fio protocol version " + std::to_string(version) + ", not fio 3.33's " + std::to_string(kFioServerVersion);
  if (flags != 0) return "a fragmented or flagged frame (opcode " + std::to_string(opcode) + ")";
  switch (opcode) {
    case kProbe:
      return pdu.size() == kProbePduBytes ? "" : "a PROBE of the wrong size";
    case kJobLine:
      return loaded_ ? "a JOBLINE after the job was loaded" : CheckJobLine(pdu);
    case kLoadFile: {
      // {u16 name_len, u16 client_type, name, NUL}
      if (loaded_) return "a second LOAD_FILE";
      if (pdu.size() < 5) return "a LOAD_FILE shorter than its header";
      const size_t name_len = Le16(pdu.data());
      if (name_len + 5 != pdu.size() || pdu.back() != '\0' || pdu.substr(4, name_len) != job_path_) {
        return "a LOAD_FILE of another file than the planned job";
      }
      loaded_ = true;
      return "";
    }
    case kRun:
      if (!loaded_ || ran_) return ran_ ? "a second RUN" : "a RUN before the job was loaded";
      ran_ = true;
      return pdu.empty() ? "" : "a RUN with a payload";
    case kSendEta:
    case kQuit:
      return pdu.empty() ? "" : "a status request with a payload";
    default:
      return "fio command " + std::to_string(opcode) + " (only PROBE, JOBLINE, LOAD_FILE of the planned job, RUN, SEND_ETA and QUIT pass)";
  }
}

std::string FioClientGate::Feed(std::string_view bytes, std::string& pass) {
  if (refused_) return "the relay already refused a frame";
  pending_.append(bytes);
  while (pending_.size() >= kFioHeaderBytes) {
    const char* h = pending_.data();
    const uint32_t pdu_len = Le32(h + 16);
    if (pdu_len > kMaxPduBytes) {
      refused_ = true;
      return "a frame of " + std::to_string(pdu_len) + " bytes (at most " + std::to_string(kMaxPduBytes) + ")";
    }
    const size_t frame_bytes = kFioHeaderBytes + pdu_len;
    if (pending_.size() < frame_bytes) break;
    const std::string why = CheckFrame(Le16(h), Le16(h + 2), Le32(h + 4), std::string_view(pending_).substr(kFioHeaderBytes, pdu_len));
    if (!why.empty()) {
      refused_ = true;
      return why;
    }
    pass.append(pending_, 0, frame_bytes);
    pending_.erase(0, frame_bytes);
  }
  return "";
}

std::string FioReleaseProblem(const std::string& fio) {
  std::string release;
  try {
    const ProcessResult r = RunProcess({fio, "--version"});
    release = r.stdout_text.substr(0, r.stdout_text.find('\n'));
  } catch (const Error&) {
    return fio + " cannot be run: install Debian's fio package";
  }
  if (release == kFioGateRelease) return "";
  const std::string shown = nlohmann::json(release).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return fio + " is " + (release.empty() ? "of an unknown release" : shown) +
         "; fio's client/server protocol changes between releases and the relay knows " + kFioGateRelease + "'s";
}

std::string FioFrame(uint16_t opcode, std::string_view pdu, uint16_t version, uint32_t flags) {
  std::string frame;
  PutLe(frame, version, 2);
  PutLe(frame, opcode, 2);
  PutLe(frame, flags, 4);
  PutLe(frame, 0, 8);  // tag
  PutLe(frame, pdu.size(), 4);
  PutLe(frame, FioCrc16(frame), 2);  // over everything before the two checksums
  PutLe(frame, FioCrc16(pdu), 2);
  frame.append(pdu);
  return frame;
}

}  // namespace shapeq
