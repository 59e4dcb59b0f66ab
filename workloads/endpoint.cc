#include "workloads/endpoint.h"

#include <netdb.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "common/error.h"

namespace shapeq {

std::string Endpoint::ToString() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Endpoint ParseEndpoint(const std::string& text, uint16_t default_port, const std::string& option) {
  auto fail = [&](const std::string& why) { return Error(ExitCode::kUsage, option + " '" + text + "': " + why); };
  Endpoint ep;
  std::string port_text;
  if (!text.empty() && text.front() == '[') {  // [v6]:port
    const size_t close = text.find(']');
    if (close == std::string::npos) throw fail("unclosed '['");
    ep.host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') throw fail("expected ':' after ']'");
      port_text = text.substr(close + 2);
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    const size_t colon = text.find(':');
    ep.host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  } else {
    ep.host = text;  // a bare host, or a bare IPv6 address
  }
  if (ep.host.empty()) throw fail("no host");
  for (char c : ep.host) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '_' || c == '%')) {
      throw fail("not a host name or address");
    }
  }
  ep.port = default_port;
  if (!port_text.empty() || (text.find(']') != std::string::npos && text.back() == ':')) {
    char* end = nullptr;
    const long port = std::strtol(port_text.c_str(), &end, 10);
    if (port_text.empty() || *end != '\0' || port < 0 || port > 65535) throw fail("port must be 0 to 65535");
    ep.port = static_cast<uint16_t>(port);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(ep.port);
  if (const int rc = getaddrinfo(ep.host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    throw fail(std::string("cannot resolve: ") + gai_strerror(rc));
  }
  std::memcpy(&ep.address, found->ai_addr, found->ai_addrlen);
  ep.address_length = found->ai_addrlen;
  freeaddrinfo(found);
  return ep;
}

}  // namespace shapeq
