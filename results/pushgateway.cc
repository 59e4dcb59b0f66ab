#include "results/pushgateway.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>
#include <prometheus/text_serializer.h>

#include "common/error.h"
#include "results/lazy_curl.h"
#include "results/prometheus_export.h"

namespace shapeq {
namespace {

// One PUT of the exposition text; what came of it.
struct PushAttempt {
  long http_status = 0;     // 0: no HTTP answer
  CURLcode curl = CURLE_OK;
  std::string curl_error;
};

PushAttempt PutOnce(const std::string& url, const GatewayUrl& gateway, const std::string& body, const PushOptions& o) {
  PushAttempt result;
  const LazyCurl& c = Curl();
  std::unique_ptr<CURL, void (*)(CURL*)> curl(c.easy_init(), c.easy_cleanup);
  if (!curl) throw Error(ExitCode::kEnvironment, "libcurl could not start");
  char error[CURL_ERROR_SIZE] = {};
  curl_slist* headers = c.slist_append(nullptr, "Content-Type: text/plain; version=0.0.4; charset=utf-8");
  c.easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  c.easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, "PUT");  // replaces the group: a re-push never mixes two runs
  c.easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
  c.easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  c.easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  c.easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  c.easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  c.easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout_s * 1000));
  c.easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t n, void*) { return size * n; });
  if (!o.username.empty()) {
    c.easy_setopt(curl.get(), CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    c.easy_setopt(curl.get(), CURLOPT_USERNAME, o.username.c_str());
    c.easy_setopt(curl.get(), CURLOPT_PASSWORD, o.password.c_str());
  }
  if (!o.ca_file.empty()) c.easy_setopt(curl.get(), CURLOPT_CAINFO, o.ca_file.c_str());
  // A proxy ($http_proxy) would carry the credentials off this host, and a gateway on loopback
  // needs none: neither goes through one. A loopback name is pinned to the address that was
  // checked, so a second lookup cannot send the request elsewhere.
  if (!o.username.empty() || gateway.loopback) c.easy_setopt(curl.get(), CURLOPT_NOPROXY, "*");
  curl_slist* pinned = nullptr;
  if (gateway.loopback && gateway.host.front() != '[') {
    const std::string& address = gateway.loopback_address;
    const std::string entry = gateway.host + ":" + std::to_string(gateway.port) + ":" +
                              (address.find(':') != std::string::npos ? "[" + address + "]" : address);
    pinned = c.slist_append(nullptr, entry.c_str());
    c.easy_setopt(curl.get(), CURLOPT_RESOLVE, pinned);
  }
  result.curl = c.easy_perform(curl.get());
  c.slist_free_all(headers);
  if (pinned) c.slist_free_all(pinned);
  if (result.curl == CURLE_OK) {
    c.easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &result.http_status);
  } else {
    result.curl_error = error[0] ? error : c.easy_strerror(result.curl);
  }
  return result;
}

// TLS failures that no retry can fix: an untrusted or mismatched certificate, a bad CA file.
bool TlsTrustFailure(CURLcode code) {
  return code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_CERTPROBLEM;
}

}  // namespace

GatewayUrl ParseGatewayUrl(const std::string& url, bool resolve) {
  // Parsed, not prefixed: scheme, then an authority of HOST or [IPv6] and a port, nothing else.
  // Userinfo ("127.0.0.1@elsewhere") is refused: it would make a check of the host see one
  // machine and libcurl connect to another.
  static const std::regex form(R"(^(https?)://([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):([0-9]{1,5})/?$)");
  std::smatch parts;
  if (url.find('@') != std::string::npos) {
    throw Error(ExitCode::kUsage, "--gateway " + Quoted(url) + ": no user or password in the URL (use --user and --password)");
  }
  if (!std::regex_match(url, parts, form) || std::stoul(parts[3].str()) == 0 || std::stoul(parts[3].str()) > 65535) {
    throw Error(ExitCode::kUsage, "--gateway " + Quoted(url) + ": expected http(s)://HOST:PORT");
  }
  GatewayUrl gateway{parts[1], parts[2], static_cast<unsigned>(std::stoul(parts[3].str())), false, {}};
  if (!resolve) return gateway;
  // Loopback by what the name resolves to, every address of it: "127.example" is not.
  std::string name = gateway.host;
  if (name.front() == '[') name = name.substr(1, name.size() - 2);
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(name.c_str(), nullptr, &hints, &found) == 0) {
    gateway.loopback = found != nullptr;
    for (const addrinfo* a = found; a; a = a->ai_next) {
      char text[INET6_ADDRSTRLEN] = {};
      bool loop = false;
      if (a->ai_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(a->ai_addr);
        loop = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
        inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
      } else if (a->ai_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr);
        loop = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
        inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
      }
      gateway.loopback = gateway.loopback && loop;
      if (gateway.loopback_address.empty() && loop) gateway.loopback_address = text;
    }
    freeaddrinfo(found);
  }
  if (!gateway.loopback) gateway.loopback_address.clear();
  return gateway;
}

std::string PushGroupSegment(const std::string& label, const std::string& value) {
  // The Pushgateway reads a plain value as a path segment: '/', '#', '?', '%', '.' and '..' and
  // the like would change the path. Anything beyond a safe set goes base64url (LABEL@base64).
  static const std::regex plain(R"(^[A-Za-z0-9_:-][A-Za-z0-9_.:-]*$)");
  if (!value.empty() && std::regex_match(value, plain)) return "/" + label + "/" + value;
  static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string encoded;
  for (size_t i = 0; i < value.size(); i += 3) {
    uint32_t chunk = static_cast<uint32_t>(static_cast<unsigned char>(value[i])) << 16;
    if (i + 1 < value.size()) chunk |= static_cast<uint32_t>(static_cast<unsigned char>(value[i + 1])) << 8;
    if (i + 2 < value.size()) chunk |= static_cast<unsigned char>(value[i + 2]);
    for (size_t k = 0; k < 4; ++k) encoded += k <= value.size() - i ? digits[(chunk >> (18 - 6 * k)) & 63] : '=';
  }
  return "/" + label + "@base64/" + (encoded.empty() ? std::string("=") : encoded);
}

GatewayUrl ValidatePushOptions(const PushOptions& o) {
  const GatewayUrl gateway = ParseGatewayUrl(o.gateway_url);
  if (o.job.empty() || OneLine(o.job) != o.job) throw Error(ExitCode::kUsage, "--job " + Quoted(o.job) + ": a name on one line");
  if (!o.ca_file.empty() && !std::ifstream(o.ca_file)) throw BadInput(o.ca_file, "cannot read the CA file (--ca-file)");
  if (!o.ca_file.empty() && gateway.scheme != "https") throw Error(ExitCode::kUsage, "--ca-file needs an https:// gateway");
  // Basic auth is the password in base64: over plain http anyone on the path reads it. Only a
  // gateway on this host (the packet never leaves it), or when asked for in so many words.
  if (!o.username.empty() && gateway.scheme == "http" && !gateway.loopback && !o.allow_plain_http_auth) {
    throw Error(ExitCode::kUsage, "--gateway " + o.gateway_url + ": a password would cross the network in clear over http://; use https:// (or --allow-plain-http-auth)");
  }
  return gateway;
}

void PushRun(const RunFiles& run, const PushOptions& o, const FleetRuns& fleet) {
  const GatewayUrl gateway = ValidatePushOptions(o);  // parsed and resolved once
  Curl();  // loads libcurl now: a missing one is an environment error before any attempt

  const std::string node = run.fingerprint.source.hostname.empty() ? "unknown" : run.fingerprint.source.hostname;
  const std::string put_url = gateway.scheme + "://" + gateway.host + ":" + std::to_string(gateway.port) + "/metrics" +
                              PushGroupSegment("job", o.job) + PushGroupSegment("node", node);
  const std::string body = prometheus::TextSerializer().Serialize(RunMetrics(run, fleet)->Collect());

  const std::string keep = "; the results stay in " + run.dir + " for a later shapeq push";
  double backoff = o.first_backoff_s;
  PushAttempt last;
  unsigned attempt = 1;
  for (;; ++attempt) {
    last = PutOnce(put_url, gateway, body, o);
    if (last.curl == CURLE_OK && last.http_status >= 200 && last.http_status < 300) return;
    // Nothing that waiting would fix: wrong credentials, a certificate we do not trust, a refused body.
    if (last.http_status == 401 || last.http_status == 403) {
      throw Error(ExitCode::kEnvironment, "gateway " + o.gateway_url + ": refused the credentials (HTTP " +
                                              std::to_string(last.http_status) + (o.username.empty() ? "; no --user given" : "; --user " + o.username) + ")" + keep);
    }
    if (TlsTrustFailure(last.curl)) {
      throw Error(ExitCode::kEnvironment, "gateway " + o.gateway_url + ": TLS: " + last.curl_error +
                                              (o.ca_file.empty() ? " (--ca-file names the CA that signed the gateway's certificate)" : "") + keep);
    }
    if (last.http_status >= 400 && last.http_status < 500) {
      throw Error(ExitCode::kEnvironment, "gateway " + o.gateway_url + ": rejected the metrics (HTTP " + std::to_string(last.http_status) + ")" + keep);
    }
    if (attempt >= o.attempts) break;
    std::this_thread::sleep_for(std::chrono::duration<double>(backoff));
    backoff *= 2;
  }
  const std::string why = last.curl != CURLE_OK ? "unreachable (" + last.curl_error + ")" : "answered HTTP " + std::to_string(last.http_status);
  throw Error(ExitCode::kEnvironment, "gateway " + o.gateway_url + ": " + why + " after " + std::to_string(attempt) + " attempts" + keep);
}

}  // namespace shapeq
