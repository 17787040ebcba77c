// Fuzz target: one line on the MCP server's stdin. It is parsed (bounded
// nesting) and classified as the server does; the error reply the server
// would send for it, and an echo of its id and method, must be valid UTF-8 JSON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "mcp/rpc_envelope.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace avatar::server;
  const RpcEnvelope e = readRpcLine(std::string_view(reinterpret_cast<const char*>(data), size));
  using K = RpcEnvelope::Kind;
  if (e.kind == K::Invalid) {
    if (e.errorCode >= 0) std::abort();
    checkEmittedJson(rpcError(e.id, e.errorCode, e.errorMessage));
  }
  if (e.kind == K::Request || e.kind == K::Notification) {
    if (!e.params.is_object()) std::abort();
    checkEmittedJson(rpcError(e.id, kRpcMethodNotFound, "Method not found: " + e.method));
    checkEmittedJson(Json{{"jsonrpc", "2.0"}, {"id", e.id}, {"result", e.params}});
  }
  return 0;
}
