#pragma once
// The wire protocol between the network kernel and `shapeq net-serve`, and the shared secret
// both ends must hold. Every connection starts with a challenge-response over HMAC-SHA256, both
// ways, so the secret never crosses the wire and a client learns the server holds it too:
//
//   server: SHAPEQ-NET 2 CHALLENGE <server nonce>
//   client: AUTH <client nonce> <HMAC(token, "client|" server nonce "|" client nonce)>
//   server: OK <HMAC(token, "server|" client nonce "|" server nonce)>     (or: ERR, and it closes)
//   client: one request line:
//     HELLO                      -> "OK <session>"; then "STATS" -> one JSON line
//     DATA <session> <index> up  -> the server receives until EOF
//     DATA <session> <index> down-> the server sends until the client closes
//     RUN <options JSON>         -> the server measures to options.peer (a listener holding the
//                                   same secret), replies with the Measurement as JSON
//
// This authenticates; it does not encrypt (the traffic is benchmark filler and figures).
#include <string>

#include "workloads/endpoint.h"
#include "workloads/net_socket.h"

namespace shapeq {

inline constexpr const char* kNetChallenge = "SHAPEQ-NET 2 CHALLENGE ";
inline constexpr size_t kNetTokenMinBytes = 16;

// The shared secret: the file's contents (trailing newline dropped), else $SHAPEQ_NET_TOKEN, else
// empty. The file must be a regular file of this user's that only it can read (like an ssh key),
// 16 bytes to 4 KiB; the token printable, without spaces, of 8 or more distinct characters
// (NetTokenProblem). Throws BadInput naming the file otherwise, Error(kUsage) for such a
// $SHAPEQ_NET_TOKEN.
std::string ReadNetToken(const std::string& token_file);
// Why `token` is no secret ("" when it will do).
std::string NetTokenProblem(const std::string& token);

// A fresh random token (hex), for a listener and client inside one process (loopback runs).
std::string RandomNetToken();

// Client side, on a freshly connected socket: answers the challenge and checks the server's
// proof. Throws Error(kEnvironment) "peer HOST:PORT: ..." when the peer is no shapeq listener or
// does not hold the secret; nothing the peer said is ever repeated in the message.
void AuthenticateToServer(const Socket& socket, const std::string& token, const Endpoint& peer, double timeout_s);

// Connect + AuthenticateToServer.
Socket ConnectAuthenticated(const Endpoint& peer, const std::string& token, double timeout_s);

// Server side: sends the challenge, checks the answer within `timeout_s`, sends its own proof.
// False (the caller closes) when the client does not hold the secret.
bool AuthenticateClient(const Socket& socket, const std::string& token, double timeout_s);

}  // namespace shapeq
