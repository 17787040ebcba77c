// The pure pieces of the server's hardening (issue 12): bounded JSON parsing,
// UTF-8-safe dumps, request-head decisions, the JSON-RPC envelope and
// integer ranges. (Through the real binary: tests/integration/*/test_*_hardening.py.)
#include <gtest/gtest.h>

#include "core/json.h"
#include "core/schema_check.h"
#include "http/connection_guard.h"
#include "http/request_head.h"
#include "mcp/rpc_envelope.h"

namespace avatar::server {
namespace {

std::string deep(int depth) {
  return std::string(size_t(depth), '[') + std::string(size_t(depth), ']');
}

TEST(ClientJson, DepthIsBoundedWhileParsing) {
  Json v;
  std::string why;
  EXPECT_TRUE(parseClientJson(deep(kMaxJsonDepth), &v, &why)) << why;
  EXPECT_FALSE(parseClientJson(deep(kMaxJsonDepth + 1), &v, &why));
  EXPECT_NE(why.find("nested deeper"), std::string::npos);
  // Far past any stack: refused without recursion.
  EXPECT_FALSE(parseClientJson("{\"a\":" + deep(200000) + "}", &v, &why));
  EXPECT_FALSE(parseClientJson("{\"a\": \"caf\xe9\"}", &v, &why));
  EXPECT_EQ(why.find('\xe9'), std::string::npos);  // the message quotes no input bytes
}

TEST(ClientJson, DumpsInvalidUtf8AsReplacement) {
  const Json v = {{"name\xff", "caf\xe9"}};
  const std::string text = dumpJson(v);
  EXPECT_FALSE(Json::parse(text, nullptr, false).is_discarded());
  EXPECT_NE(text.find("\xef\xbf\xbd"), std::string::npos);
  EXPECT_EQ(validUtf8("a\xffz"), "a\xef\xbf\xbdz");
  EXPECT_EQ(validUtf8("ok \"quoted\" \n"), "ok \"quoted\" \n");
}

GuardPolicy policy() {
  GuardPolicy p;
  p.maxUploadBytes = 1000;
  p.maxJsonBytes = 100;
  p.uploadPath = "/render-upload";
  p.isPublicPath = [](const std::string& path) { return path == "/health/live"; };
  p.maxInflightBodyBytes = 1500;
  return p;
}

TEST(RequestHead, ProbeOnlyConnectionsServeHealthOnly) {
  const GuardPolicy p = policy();
  AdmitContext probe;
  probe.probeOnly = true;
  EXPECT_FALSE(decideHead("GET /health/live HTTP/1.1\r\n\r\n", p, probe).refusal);
  const auto d = decideHead("GET /jobs HTTP/1.1\r\n\r\n", p, probe);
  ASSERT_TRUE(d.refusal);
  EXPECT_EQ(d.refusal->code, "TooManyConnections");
}

TEST(RequestHead, InflightBodyBudget) {
  const GuardPolicy p = policy();
  AdmitContext ctx;
  ctx.inflightBodyBytes = 700;  // 700 + 900 > 1500
  const QByteArray head = "POST /render-upload HTTP/1.1\r\nContent-Length: 900\r\n\r\n";
  const auto busy = decideHead(head, p, ctx);
  ASSERT_TRUE(busy.refusal);
  EXPECT_EQ(busy.refusal->code, "ServerBusy");
  ctx.inflightBodyBytes = 0;
  const auto ok = decideHead(head, p, ctx);
  EXPECT_FALSE(ok.refusal);
  EXPECT_EQ(ok.contentLength, 900);
}

TEST(RequestHead, MethodBytesAreQuotedNotTrusted) {
  const auto d = decideHead("G\xe9T / HTTP/1.1\r\n\r\n", policy(), {});
  ASSERT_TRUE(d.refusal);
  EXPECT_EQ(d.refusal->code, "MethodNotAllowed");
  EXPECT_FALSE(Json::parse(dumpJson(Json(d.refusal->detail)), nullptr, false).is_discarded());
}

TEST(RpcEnvelope, ClassifiesLines) {
  EXPECT_EQ(readRpcLine("  ").kind, RpcEnvelope::Kind::Empty);
  EXPECT_EQ(readRpcLine("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").kind,
            RpcEnvelope::Kind::Request);
  EXPECT_EQ(readRpcLine("{\"jsonrpc\":\"2.0\",\"method\":\"n\"}").kind,
            RpcEnvelope::Kind::Notification);
  EXPECT_EQ(readRpcLine("{\"tool\":\"x\"}").kind, RpcEnvelope::Kind::Legacy);
  const auto deepLine =
      readRpcLine("{\"jsonrpc\":\"2.0\",\"id\":1,\"params\":" + deep(100000) + "}");
  EXPECT_EQ(deepLine.errorCode, kRpcParseError);
  const auto bad = readRpcLine("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":[]}");
  EXPECT_EQ(bad.errorCode, kRpcInvalidParams);
  EXPECT_EQ(bad.id, 1);
  EXPECT_FALSE(readRpcLine("{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":1}").answer);
}

TEST(SchemaIntegers, RefusedOutsideTheirStoredType) {
  const Json schema = {{"type", "object"},
                       {"properties", {{"offset", {{"type", "integer"}, {"minimum", 0}}}}}};
  EXPECT_FALSE(checkAgainstSchema(schema, {{"offset", 2147483647}}));
  EXPECT_TRUE(checkAgainstSchema(schema, {{"offset", 2147483648LL}}));
  EXPECT_TRUE(checkAgainstSchema(schema, {{"offset", 4294967297LL}}));
  EXPECT_TRUE(checkAgainstSchema(schema, {{"offset", 1e300}}));
  EXPECT_TRUE(checkAgainstSchema(schema, {{"offset", 18446744073709551615ULL}}));
}

}  // namespace
}  // namespace avatar::server
