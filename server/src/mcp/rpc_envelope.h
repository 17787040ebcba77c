// The JSON-RPC 2.0 envelope of one MCP line, as pure functions (no I/O), so
// the framing rules can be unit-tested and fuzzed (tests/fuzz/server).
#pragma once

#include <string>
#include <string_view>

#include "core/json.h"

namespace avatar::server {

constexpr int kRpcParseError = -32700;
constexpr int kRpcInvalidRequest = -32600;
constexpr int kRpcMethodNotFound = -32601;
constexpr int kRpcInvalidParams = -32602;
constexpr int kRpcInternalError = -32603;

struct RpcEnvelope {
  enum class Kind { Empty, Request, Notification, ClientReply, Legacy, Invalid };
  Kind kind = Kind::Empty;
  Json message;  // the parsed line (Legacy: handled as the seed's framing)
  Json id;       // the request id; null when absent or unusable
  std::string method;
  Json params = Json::object();
  int errorCode = 0;  // Invalid: the error to answer
  std::string errorMessage;
  bool answer = true;  // Invalid: false for a notification (no reply is sent)
};

// Parses and classifies one line (without its newline). Never throws.
RpcEnvelope readRpcLine(std::string_view line);

// {"jsonrpc": "2.0", ["id": id,] "error": {code, message[, data]}}; the id is
// left out when null (MCP makes it optional on errors).
Json rpcError(const Json& id, int code, const std::string& message, Json data = nullptr);

}  // namespace avatar::server
