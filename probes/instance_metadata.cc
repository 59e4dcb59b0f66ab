#include "probes/instance_metadata.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <regex>

namespace shapeq {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kMaxReplyBytes = 64 * 1024;

// One HTTP/1.1 request to host:80 within `deadline`; the reply's status and body, or nullopt.
struct HttpReply {
  int status = 0;
  std::string body;
};

std::optional<HttpReply> Request(const std::string& host, const std::string& request, Clock::time_point deadline, std::string* why) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(80);
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    *why = host + " is not an IPv4 address";
    return std::nullopt;
  }
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    *why = std::string("socket: ") + std::strerror(errno);
    return std::nullopt;
  }
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  auto wait = [&](short events) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    return poll(&p, 1, static_cast<int>(left)) == 1;
  };
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS) {
    *why = "connect: " + std::string(std::strerror(errno));
    return std::nullopt;
  }
  int error = 0;
  socklen_t length = sizeof error;
  if (!wait(POLLOUT) || getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
    *why = error ? "connect: " + std::string(std::strerror(error)) : "no answer within the timeout";
    return std::nullopt;
  }
  for (size_t sent = 0; sent < request.size();) {
    if (!wait(POLLOUT)) {
      *why = "no answer within the timeout";
      return std::nullopt;
    }
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      *why = "send: " + std::string(std::strerror(errno));
      return std::nullopt;
    }
    sent += static_cast<size_t>(n);
  }
  std::string reply;
  char buffer[4096];
  while (reply.size() < kMaxReplyBytes) {
    if (!wait(POLLIN)) {
      *why = "no answer within the timeout";
      return std::nullopt;
    }
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n < 0) {
      *why = "recv: " + std::string(std::strerror(errno));
      return std::nullopt;
    }
    if (n == 0) break;
    reply.append(buffer, static_cast<size_t>(n));
  }
  // "HTTP/1.1 200 OK\r\n...\r\n\r\nbody" (Connection: close: the body runs to the end).
  static const std::regex status_line(R"(^HTTP/1\.[01] (\d{3}))");
  std::smatch found;
  const size_t header_end = reply.find("\r\n\r\n");
  if (header_end == std::string::npos || !std::regex_search(reply, found, status_line)) {
    *why = "not an HTTP reply";
    return std::nullopt;
  }
  return HttpReply{std::stoi(found[1]), reply.substr(header_end + 4)};
}

std::string Get(const std::string& host, const std::string& path, const std::string& headers) {
  return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "Connection: close\r\n\r\n";
}

}  // namespace

std::optional<std::string> AskInstanceType(const std::string& vendor, std::string* why, const std::string& host, double timeout_s) {
  std::string ignored;
  if (!why) why = &ignored;
  const auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<long>(timeout_s * 1000));
  std::optional<HttpReply> reply;
  if (vendor == "azure") {
    reply = Request(host, Get(host, "/metadata/instance/compute/vmSize?api-version=2021-02-01&format=text", "Metadata: true\r\n"), deadline, why);
  } else if (vendor == "gcp") {
    reply = Request(host, Get(host, "/computeMetadata/v1/instance/machine-type", "Metadata-Flavor: Google\r\n"), deadline, why);
  } else if (vendor == "aws") {
    // IMDSv2: a session token first (PUT), then the question with it.
    const auto token = Request(host, "PUT /latest/api/token HTTP/1.1\r\nHost: " + host +
                                         "\r\nX-aws-ec2-metadata-token-ttl-seconds: 60\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                               deadline, why);
    if (!token) return std::nullopt;
    if (token->status != 200 || token->body.size() > 512 || token->body.find_first_of("\r\n") != std::string::npos) {
      *why = "IMDSv2 gave no token (HTTP " + std::to_string(token->status) + ")";
      return std::nullopt;
    }
    reply = Request(host, Get(host, "/latest/meta-data/instance-type", "X-aws-ec2-metadata-token: " + token->body + "\r\n"), deadline, why);
  } else {
    *why = "no metadata service known for " + vendor;
    return std::nullopt;
  }
  if (!reply) return std::nullopt;
  if (reply->status != 200) {
    *why = "HTTP " + std::to_string(reply->status);
    return std::nullopt;
  }
  std::string answer = reply->body;
  while (!answer.empty() && (answer.back() == '\n' || answer.back() == '\r' || answer.back() == ' ')) answer.pop_back();
  if (vendor == "gcp") answer = answer.substr(answer.rfind('/') + 1);  // projects/N/zones/Z/machineTypes/TYPE
  static const std::regex size_name(R"(^[A-Za-z0-9_.\-]{1,64}$)");
  if (!std::regex_match(answer, size_name)) {
    *why = "the answer is not a size name";
    return std::nullopt;
  }
  return answer;
}

void NameInstanceType(Fingerprint& fp, bool this_machine, bool ask) {
  CloudIdentity& id = fp.cloud;
  id.instance_type_source = id.instance_type_hint.empty() ? "" : "dmi";
  if (!IsPublicCloud(id) || !id.instance_type_hint.empty()) return;
  if (!this_machine) {
    id.metadata_note = "not asked: a captured topology is not this machine";
  } else if (!ask) {
    id.metadata_note = "not asked (--no-metadata)";
  } else if (auto size = AskInstanceType(id.vendor, &id.metadata_note)) {
    id.instance_type_hint = *size;
    id.instance_type_source = "metadata";
    id.metadata_note.clear();
  } else {
    fp.notes.push_back("cloud: the instance metadata service named no VM size (" + id.metadata_note + ")");
  }
}

void NameHwlocEnvironment(Fingerprint& fp) {
  for (const char* variable : {"HWLOC_XMLFILE", "HWLOC_FSROOT", "HWLOC_SYNTHETIC", "HWLOC_COMPONENTS"}) {
    if (const char* value = std::getenv(variable); value && *value) {
      fp.source.environment += (fp.source.environment.empty() ? "" : " ") + std::string(variable) + "=" + value;
    }
  }
  if (!fp.source.environment.empty()) {
    fp.notes.push_back("hwloc's input was changed by the environment (" + fp.source.environment + "): this is not a probe of this machine alone");
  }
}

}  // namespace shapeq
