// McpServer: framing, JSON-RPC dispatch, lifecycle.
// Tools: mcp_tools.cpp. Legacy framing: mcp_legacy.cpp.
#include "mcp/mcp_server.h"

#include <QCoreApplication>
#include <array>

#include "avatar/log.h"
#include "avatar/version.h"
#include "jobs/job_service.h"
#include "mcp/rpc_envelope.h"
#include "mcp/stdio_channel.h"

namespace avatar::server {
namespace {

constexpr std::array<const char*, 3> kProtocolVersions = {"2025-11-25", "2025-06-18", "2025-03-26"};
}  // namespace

McpServer::McpServer(JobService& jobs, const PathPolicy& paths, StdioChannel& channel)
    : jobs_(jobs), paths_(paths), channel_(channel) {
  connect(&channel, &StdioChannel::lineReceived, this, &McpServer::onLine);
  connect(&channel, &StdioChannel::endOfInput, this, &McpServer::onEndOfInput);
  connect(&channel, &StdioChannel::lineTooLong, this, [this] {
    replyError(
        nullptr, kRpcInvalidRequest,
        "message longer than " + std::to_string(StdioChannel::kMaxLineBytes) + " bytes: ignored");
  });
  connect(&jobs, &JobService::jobProgress, this, &McpServer::onJobProgress);
  connect(&jobs, &JobService::jobFinished, this, &McpServer::onJobFinished);
}

void McpServer::send(const Json& message) {
  channel_.writeLine(dumpJson(message));
}

void McpServer::reply(const Json& id, Json result) {
  send({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void McpServer::replyError(const Json& id, int code, const std::string& message, Json data) {
  send(rpcError(id, code, message, std::move(data)));
}

void McpServer::onLine(const QByteArray& line) {
  RpcEnvelope e = readRpcLine(std::string_view(line.constData(), size_t(line.size())));
  // Nothing a message does may take the server down: an unexpected exception
  // answers that message (when it has an id) and the server goes on.
  try {
    using K = RpcEnvelope::Kind;
    switch (e.kind) {
      case K::Empty:
      case K::ClientReply:
        return;
      case K::Invalid:
        if (e.answer) replyError(e.id, e.errorCode, e.errorMessage);
        return;
      case K::Legacy:
        return handleLegacy(e.message);
      case K::Request:
        return handleRequest(e.id, e.method, e.params);
      case K::Notification:
        return handleNotification(e.method, e.params);
    }
  } catch (const std::exception& ex) {
    replyError(e.id, kRpcInternalError, std::string("Internal error: ") + ex.what());
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
    replyError(id, kRpcMethodNotFound, "Method not found: " + method);
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
                "MCP request " + dumpJson(requestId) + " cancelled by the client: " + reason);
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
