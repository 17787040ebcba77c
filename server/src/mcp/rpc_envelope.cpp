#include "mcp/rpc_envelope.h"

#include <cctype>

namespace avatar::server {
namespace {

RpcEnvelope invalid(RpcEnvelope e, int code, std::string message, bool answer = true) {
  e.kind = RpcEnvelope::Kind::Invalid;
  e.errorCode = code;
  e.errorMessage = std::move(message);
  e.answer = answer;
  return e;
}

bool blank(std::string_view line) {
  for (char c : line) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

RpcEnvelope readRpcLine(std::string_view line) {
  RpcEnvelope e;
  if (blank(line)) return e;
  std::string why;
  if (!parseClientJson(line, &e.message, &why)) {
    return invalid(std::move(e), kRpcParseError, "Parse error: " + why);
  }
  const Json& m = e.message;
  if (m.is_array())
    return invalid(std::move(e), kRpcInvalidRequest, "JSON-RPC batches are not supported");
  if (!m.is_object()) {
    return invalid(std::move(e), kRpcInvalidRequest, "a message must be a JSON object");
  }
  if (!m.contains("jsonrpc") && m.contains("tool")) {
    e.kind = RpcEnvelope::Kind::Legacy;
    return e;
  }
  const Json id = m.value("id", Json(nullptr));
  const bool validId = id.is_null() || id.is_string() || id.is_number_integer();
  if (validId) e.id = id;
  if (m.value("jsonrpc", Json(nullptr)) != "2.0" || !validId) {
    return invalid(std::move(e), kRpcInvalidRequest,
                   "not a JSON-RPC 2.0 message (\"jsonrpc\": \"2.0\" and a string or integer id)");
  }
  const auto method = m.find("method");
  if (method == m.end()) {
    if (m.contains("result") || m.contains("error")) {
      e.kind = RpcEnvelope::Kind::ClientReply;
      return e;
    }
    return invalid(std::move(e), kRpcInvalidRequest, "missing \"method\"");
  }
  if (!method->is_string()) {
    return invalid(std::move(e), kRpcInvalidRequest, "\"method\" must be a string");
  }
  const bool isRequest = m.contains("id");
  e.method = method->get<std::string>();
  e.params = m.value("params", Json::object());
  if (!e.params.is_object()) {
    return invalid(std::move(e), kRpcInvalidParams, "\"params\" must be an object", isRequest);
  }
  e.kind = isRequest ? RpcEnvelope::Kind::Request : RpcEnvelope::Kind::Notification;
  return e;
}

Json rpcError(const Json& id, int code, const std::string& message, Json data) {
  Json error = {{"code", code}, {"message", message}};
  if (!data.is_null()) error["data"] = std::move(data);
  Json response = {{"jsonrpc", "2.0"}};
  if (!id.is_null()) response["id"] = id;
  response["error"] = std::move(error);
  return response;
}

}  // namespace avatar::server
