#include "results/pushgateway.h"

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

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

PushAttempt PutOnce(const std::string& url, const std::string& body, const PushOptions& o) {
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
  result.curl = c.easy_perform(curl.get());
  c.slist_free_all(headers);
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

void ValidatePushOptions(const PushOptions& o) {
  static const std::regex url(R"(^(https?)://([^/:\[\]]+|\[[^\]]+\]):([0-9]{1,5})/?$)");
  std::smatch parts;
  if (!std::regex_match(o.gateway_url, parts, url)) {
    throw Error(ExitCode::kUsage, "--gateway '" + o.gateway_url + "': expected http(s)://HOST:PORT");
  }
  if (o.job.empty() || o.job.find('/') != std::string::npos) throw Error(ExitCode::kUsage, "--job '" + o.job + "': a name without '/'");
  if (!o.ca_file.empty() && !std::ifstream(o.ca_file)) throw BadInput(o.ca_file, "cannot read the CA file (--ca-file)");
  if (!o.ca_file.empty() && parts[1] != "https") throw Error(ExitCode::kUsage, "--ca-file needs an https:// gateway");
  // Basic auth is the password in base64: over plain http anyone on the path reads it. Only a
  // gateway on this host (the packet never leaves it), or when asked for in so many words.
  const std::string host = parts[2];
  const bool loopback = host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]";
  if (!o.username.empty() && parts[1] == "http" && !loopback && !o.allow_plain_http_auth) {
    throw Error(ExitCode::kUsage, "--gateway " + o.gateway_url + ": a password would cross the network in clear over http://; use https:// (or --allow-plain-http-auth)");
  }
}

void PushRun(const RunFiles& run, const PushOptions& o) {
  ValidatePushOptions(o);
  Curl();  // loads libcurl now: a missing one is an environment error before any attempt

  const std::string node = run.fingerprint.source.hostname.empty() ? "unknown" : run.fingerprint.source.hostname;
  // The group is job and node; a label value with '/' (or empty) goes base64url-encoded (Pushgateway's @base64).
  auto group_value = [](const std::string& value) {
    if (!value.empty() && value.find('/') == std::string::npos) return "/" + value;
    static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string encoded;
    for (size_t i = 0; i < value.size(); i += 3) {
      uint32_t chunk = static_cast<uint32_t>(static_cast<unsigned char>(value[i])) << 16;
      if (i + 1 < value.size()) chunk |= static_cast<uint32_t>(static_cast<unsigned char>(value[i + 1])) << 8;
      if (i + 2 < value.size()) chunk |= static_cast<unsigned char>(value[i + 2]);
      for (size_t k = 0; k < 4; ++k) encoded += k <= value.size() - i ? digits[(chunk >> (18 - 6 * k)) & 63] : '=';
    }
    return "@base64/" + (encoded.empty() ? std::string("=") : encoded);
  };
  std::string gateway = o.gateway_url;  // checked above: scheme://host:port with an optional '/'
  if (gateway.back() == '/') gateway.pop_back();
  const std::string put_url = gateway + "/metrics/job/" + o.job + "/node" + group_value(node);
  const std::string body = prometheus::TextSerializer().Serialize(RunMetrics(run)->Collect());

  const std::string keep = "; the results stay in " + run.dir + " for a later shapeq push";
  double backoff = o.first_backoff_s;
  PushAttempt last;
  unsigned attempt = 1;
  for (;; ++attempt) {
    last = PutOnce(put_url, body, o);
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
