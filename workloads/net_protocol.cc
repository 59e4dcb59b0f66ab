#include "workloads/net_protocol.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/error.h"
#include "common/json_read.h"

namespace shapeq {
namespace {

std::string Hex(const unsigned char* bytes, size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string text;
  for (size_t i = 0; i < n; ++i) {
    text += digits[bytes[i] >> 4];
    text += digits[bytes[i] & 15];
  }
  return text;
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  size_t got = 0;
  while (got < bytes) {
    const ssize_t n = getrandom(raw.data() + got, bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(ExitCode::kEnvironment, std::string("getrandom: ") + std::strerror(errno));
    got += static_cast<size_t>(n);
  }
  return Hex(reinterpret_cast<const unsigned char*>(raw.data()), bytes);
}

// OpenSSL's libcrypto, loaded when a handshake first needs it: linked in, its relocations cost
// every shapeq command start-up time (the probe races lstopo), and only the network kernel uses it.
struct LazyCrypto {
  decltype(&HMAC) hmac;
  decltype(&EVP_sha256) sha256;
  decltype(&CRYPTO_memcmp) memcmp;
};

const LazyCrypto& Crypto() {
  static const LazyCrypto crypto = [] {
    void* library = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (!library) throw Error(ExitCode::kEnvironment, std::string("cannot load libcrypto (") + dlerror() + "): install Debian's libssl3");
    LazyCrypto c{};
    c.hmac = reinterpret_cast<decltype(c.hmac)>(dlsym(library, "HMAC"));
    c.sha256 = reinterpret_cast<decltype(c.sha256)>(dlsym(library, "EVP_sha256"));
    c.memcmp = reinterpret_cast<decltype(c.memcmp)>(dlsym(library, "CRYPTO_memcmp"));
    if (!c.hmac || !c.sha256 || !c.memcmp) throw Error(ExitCode::kEnvironment, "libcrypto.so.3 lacks HMAC, EVP_sha256 or CRYPTO_memcmp");
    return c;  // the library stays loaded for the life of the process
  }();
  return crypto;
}

std::string Mac(const std::string& token, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const LazyCrypto& crypto = Crypto();
  crypto.hmac(crypto.sha256(), token.data(), static_cast<int>(token.size()), reinterpret_cast<const unsigned char*>(message.data()),
              message.size(), digest, &length);
  return Hex(digest, length);
}

bool SameMac(const std::string& a, const std::string& b) {
  return a.size() == b.size() && Crypto().memcmp(a.data(), b.data(), a.size()) == 0;
}

// A nonce as the protocol sends it: 32 hex digits.
bool Nonce(const std::string& text) { return text.size() == 32 && text.find_first_not_of("0123456789abcdef") == std::string::npos; }

}  // namespace

std::string NetTokenProblem(const std::string& token) {
  if (token.size() < kNetTokenMinBytes) return "the token must be at least 16 bytes (e.g. openssl rand -hex 32)";
  // Printable, no spaces: a token of NULs, blanks or line ends is a mistake, not a secret.
  for (const char c : token) {
    if (c <= 0x20 || c >= 0x7f) return "the token must be printable characters without spaces (e.g. openssl rand -hex 32)";
  }
  std::set<char> distinct(token.begin(), token.end());
  if (distinct.size() < 8) return "the token repeats too few characters to be a secret (e.g. openssl rand -hex 32)";
  return "";
}

std::string ReadNetToken(const std::string& token_file) {
  std::string token;
  if (!token_file.empty()) {
    struct stat st {};
    if (stat(token_file.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO))) {
      throw BadInput(token_file, "the token file is readable by others (chmod 600 it)");
    }
    // Another user's file is that user's secret to change: whoever owns it could let anyone in.
    if (stat(token_file.c_str(), &st) == 0 && st.st_uid != geteuid()) {
      throw BadInput(token_file, "the token file belongs to uid " + std::to_string(st.st_uid) + ", not to this user (uid " +
                                     std::to_string(geteuid()) + ")");
    }
    token = ReadRegularFile(token_file, 4096);
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    if (const std::string problem = NetTokenProblem(token); !problem.empty()) throw BadInput(token_file, problem);
    return token;
  }
  if (const char* env = std::getenv("SHAPEQ_NET_TOKEN"); env && *env) {
    token = env;
    if (const std::string problem = NetTokenProblem(token); !problem.empty()) throw Error(ExitCode::kUsage, "$SHAPEQ_NET_TOKEN: " + problem);
  }
  return token;
}

std::string RandomNetToken() { return RandomHex(32); }

void AuthenticateToServer(const Socket& socket, const std::string& token, const Endpoint& peer, double timeout_s) {
  const std::string who = "peer " + peer.ToString();
  const auto challenge = ReadLine(socket, timeout_s);
  if (!challenge || challenge->rfind(kNetChallenge, 0) != 0 || !Nonce(challenge->substr(std::strlen(kNetChallenge)))) {
    throw Error(ExitCode::kEnvironment, who + ": not a shapeq net-serve listener (no shapeq challenge within " +
                                            std::to_string(static_cast<int>(timeout_s)) + " s)");
  }
  const std::string server_nonce = challenge->substr(std::strlen(kNetChallenge));
  const std::string client_nonce = RandomHex(16);
  SendLine(socket, "AUTH " + client_nonce + " " + Mac(token, "client|" + server_nonce + "|" + client_nonce));
  const auto answer = ReadLine(socket, timeout_s);
  if (!answer || answer->rfind("OK ", 0) != 0) throw Error(ExitCode::kEnvironment, who + ": refused our token (it holds another one)");
  if (!SameMac(answer->substr(3), Mac(token, "server|" + client_nonce + "|" + server_nonce))) {
    throw Error(ExitCode::kEnvironment, who + ": did not prove it holds the shared token");
  }
}

Socket ConnectAuthenticated(const Endpoint& peer, const std::string& token, double timeout_s) {
  Socket socket = Connect(peer, timeout_s);
  SetIoTimeout(socket, timeout_s);
  AuthenticateToServer(socket, token, peer, timeout_s);
  return socket;
}

bool AuthenticateClient(const Socket& socket, const std::string& token, double timeout_s) {
  const std::string server_nonce = RandomHex(16);
  if (!SendLine(socket, kNetChallenge + server_nonce)) return false;
  const auto answer = ReadLine(socket, timeout_s);
  std::istringstream words(answer.value_or(""));
  std::string verb, client_nonce, mac;
  words >> verb >> client_nonce >> mac;
  if (verb != "AUTH" || !Nonce(client_nonce) || !SameMac(mac, Mac(token, "client|" + server_nonce + "|" + client_nonce))) {
    SendLine(socket, "ERR not authenticated");
    return false;
  }
  return SendLine(socket, "OK " + Mac(token, "server|" + client_nonce + "|" + server_nonce));
}

}  // namespace shapeq
