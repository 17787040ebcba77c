// The connection guard's decisions on one request head, as pure functions
// (no socket), so they can be unit-tested and fuzzed (tests/fuzz/server).
#pragma once

#include <QByteArray>
#include <optional>
#include <string>

namespace avatar::server {

struct GuardPolicy;

// Constant-time comparison of an Authorization header with "Bearer <token>".
bool bearerMatches(const QByteArray& authorization, const std::string& token);

// Offset just past the blank line ending a request head in `buf`, or -1.
qsizetype findHeadEnd(const QByteArray& buf);

// Why a request is refused before its body is read.
struct HeadRefusal {
  const char* reason = "";      // metrics label: "malformed", "unauthorized", ...
  std::string code;             // ApiError code
  std::string detail;           // readable reason (may hold client bytes; dumped as valid UTF-8)
  qint64 bodyBytesToDrain = 0;  // -1: unknown, drain until the deadline
};

// What the guard does with a request head it admits.
struct HeadDecision {
  std::optional<HeadRefusal> refusal;
  bool keepAlive = true;
  qint64 contentLength = 0;
  bool expectContinue = false;  // answer 100 Continue before the body
  std::string path;             // the target without the query
};

// Where the connection stands when its head arrives.
struct AdmitContext {
  bool probeOnly = false;        // accepted on a connection reserved for health probes
  qint64 inflightBodyBytes = 0;  // bodies admitted on other connections and not yet handled
};

// Parses the head (the request line and headers up to the blank line) and
// applies the policy: method, framing, token, body limits, probe-only
// connections and the in-flight body budget.
HeadDecision decideHead(const QByteArray& head, const GuardPolicy& policy, const AdmitContext& ctx);

}  // namespace avatar::server
