// McpServer: framing, JSON-RPC dispatch, lifecycle.
// Tools: mcp_tools.cpp. Legacy framing: mcp_legacy.cpp.
#include "mcp/mcp_server.h"

#include <QCoreApplication>
#include <array>

#include "avatar/log.h"
#include "avatar/version.h"
#include "jobs/job_service.h"
#include "mcp/stdio_channel.h"

namespace avatar::server {
namespace {

constexpr std::array<const char*, 3> kProtocolVersions = {"2025-11-25", "2025-06-18", "2025-03-26"};
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;

}  // namespace

McpServer::McpServer(JobService& jobs, const PathPolicy& paths, StdioChannel& channel)
    : jobs_(jobs), paths_(paths), channel_(channel) {
  connect(&channel, &StdioChannel::lineReceived, this, &McpServer::onLine);
  connect(&channel, &StdioChannel::endOfInput, this, &McpServer::onEndOfInput);
  connect(&channel, &StdioChannel::lineTooLong, this, [this] {
    replyError(
        nullptr, kInvalidRequest,
        "message longer than " + std::to_string(StdioChannel::kMaxLineBytes) + " bytes: ignored");
  });
  connect(&jobs, &JobService::jobProgress, this, &McpServer::onJobProgress);
  connect(&jobs, &JobService::jobFinished, this, &McpServer::onJobFinished);
}

void McpServer::send(const Json& message) {
  channel_.writeLine(message.dump());
}

void McpServer::reply(const Json& id, Json result) {
  send({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void McpServer::replyError(const Json& id, int code, const std::string& message, Json data) {
  Json error = {{"code", code}, {"message", message}};
  if (!data.is_null()) error["data"] = std::move(data);
  // MCP's schema makes the id optional on errors: left out when the request's
  // id is unknown (a parse error), where bare JSON-RPC would write null.
  Json response = {{"jsonrpc", "2.0"}};
  if (!id.is_null()) response["id"] = id;
  response["error"] = std::move(error);
  send(response);
}

void McpServer::onLine(const QByteArray& line) {
  if (line.trimmed().isEmpty()) return;
  Json message;
  try {
    message = Json::parse(line.constBegin(), line.constEnd());
  } catch (const std::exception& e) {
    replyError(nullptr, kParseError, std::string("Parse error: ") + e.what());
    return;
  }
  handleMessage(message);
}

void McpServer::handleMessage(const Json& message) {
  if (message.is_array()) {
    replyError(nullptr, kInvalidRequest, "JSON-RPC batches are not supported");
    return;
  }
  if (!message.is_object()) {
    replyError(nullptr, kInvalidRequest, "a message must be a JSON object");
    return;
  }
  if (!message.contains("jsonrpc") && message.contains("tool")) return handleLegacy(message);
  const Json id = message.value("id", Json(nullptr));
  const bool validId = id.is_null() || id.is_string() || id.is_number_integer();
  if (message.value("jsonrpc", Json(nullptr)) != "2.0" || !validId) {
    replyError(validId ? id : Json(nullptr), kInvalidRequest,
               "not a JSON-RPC 2.0 message (\"jsonrpc\": \"2.0\" and a string or integer id)");
    return;
  }
  const auto method = message.find("method");
  if (method == message.end()) {
    if (message.contains("result") || message.contains("error")) return;  // a client's reply
    replyError(id, kInvalidRequest, "missing \"method\"");
    return;
  }
  if (!method->is_string()) {
    replyError(id, kInvalidRequest, "\"method\" must be a string");
    return;
  }
  const Json params = message.value("params", Json::object());
  if (!params.is_object()) {
    if (message.contains("id")) replyError(id, kInvalidParams, "\"params\" must be an object");
    return;
  }
  if (message.contains("id")) {
    handleRequest(id, method->get<std::string>(), params);
  } else {
    handleNotification(method->get<std::string>(), params);
  }
}

void McpServer::handleRequest(const Json& id, const std::string& method, const Json& params) {
  if (method == "initialize") {
    const std::string asked = params.value("protocolVersion", "");
    protocolVersion_ = kProtocolVersions[0];
    for (const char* v : kProtocolVersions) {
      if (asked == v) protocolVersion_ = v;
    }
    reply(id, {{"protocolVersion", protocolVersion_},
               {"capabilities", {{"tools", {{"listChanged", false}}}}},
               {"serverInfo",
                {{"name", "avatar-renderer"},
                 {"title", "Avatar Renderer"},
                 {"version", avatar::versionString()}}},
               {"instructions",
                "render_avatar turns one photo of a face plus a speech recording into a "
                "talking-head MP4 and returns its path (a resource_link). Paths are files on "
                "this machine. get_job and list_jobs report on renders; cancel_job stops one."}});
  } else if (method == "ping") {
    reply(id, Json::object());
  } else if (method == "tools/list") {
    reply(id, {{"tools", toolList(protocolVersion_)}});
  } else if (method == "tools/call") {
    callTool(id, params);
  } else {
    replyError(id, kMethodNotFound, "Method not found: " + method);
  }
}

void McpServer::handleNotification(const std::string& method, const Json& params) {
  if (method != "notifications/cancelled") return;  // initialized, progress, ...: nothing to do
  const Json requestId = params.value("requestId", Json(nullptr));
  for (auto& [jobId, call] : inFlight_) {
    if (call.legacy || call.requestId != requestId || call.cancelled) continue;
    call.cancelled = true;
    const std::string reason = params.value("reason", "no reason given");
    avatar::log(avatar::LogLevel::Info,
                "MCP request " + requestId.dump() + " cancelled by the client: " + reason);
    jobs_.cancel(jobId, "cancelled by the MCP client: " + reason);
    return;
  }
}

void McpServer::onEndOfInput() {
  endOfInput_ = true;
  maybeFinish();
}

void McpServer::maybeFinish() {
  if (endOfInput_ && inFlight_.empty()) Q_EMIT finished();
}

void McpServer::cancelInFlight(const std::string& why) {
  std::vector<std::string> ids;
  for (auto& [jobId, call] : inFlight_) {
    call.cancelled = true;
    ids.push_back(jobId);
  }
  // cancel() may finish a queued job at once, which erases it from inFlight_.
  for (const auto& id : ids) jobs_.cancel(id, why);
}

}  // namespace avatar::server
