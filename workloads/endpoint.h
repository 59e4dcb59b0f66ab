#pragma once
// HOST[:PORT] as users write it: 10.0.0.2, 10.0.0.2:5201, [fd00::2]:5201, ::1, node7:5201.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>

namespace shapeq {

struct Endpoint {
  std::string host;
  uint16_t port = 0;
  sockaddr_storage address{};  // resolved
  socklen_t address_length = 0;
  std::string ToString() const;  // "10.0.0.2:5201", "[::1]:5201"
};

// Throws Error(kUsage) naming `option` for a malformed string, a bad port or a host that does
// not resolve (no DNS is needed for addresses and /etc/hosts names).
Endpoint ParseEndpoint(const std::string& text, uint16_t default_port, const std::string& option);

}  // namespace shapeq
