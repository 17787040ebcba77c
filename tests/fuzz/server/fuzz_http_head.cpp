// Fuzz target: bytes arriving on a connection, as the connection guard sees
// them: the head is located (findHeadEnd), then decided under a policy with a
// token, body limits, probe-only connections and an in-flight body budget; a
// refusal is rendered as the error JSON the client would get.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.h"
#include "http/connection_guard.h"
#include "http/request_head.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace avatar::server;
  if (size > (64 << 10)) return 0;
  static const GuardPolicy policy = [] {
    GuardPolicy p;
    p.maxUploadBytes = 1 << 20;
    p.maxJsonBytes = 1 << 16;
    p.maxHeaderBytes = 32 << 10;
    p.token = "fuzz-token";
    p.uploadPath = "/render-upload";
    p.isPublicPath = [](const std::string& path) { return path == "/health/live"; };
    p.maxInflightBodyBytes = 2 << 20;
    return p;
  }();
  const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
  const qsizetype end = findHeadEnd(bytes);
  const QByteArray head = end < 0 ? bytes : bytes.left(end);
  for (const bool probeOnly : {false, true}) {
    AdmitContext ctx;
    ctx.probeOnly = probeOnly;
    ctx.inflightBodyBytes = qint64(size) << 8;
    const HeadDecision d = decideHead(head, policy, ctx);
    if (d.contentLength < 0) std::abort();
    if (d.refusal) {
      checkEmittedJson(Json{{"error", {{"code", d.refusal->code}, {"message", d.refusal->detail}}},
                            {"detail", d.refusal->detail}});
    } else if (d.contentLength > policy.maxUploadBytes) {
      std::abort();  // admitted past every limit
    }
  }
  bearerMatches(bytes, policy.token);
  return 0;
}
