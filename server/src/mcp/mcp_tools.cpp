// McpServer: tools/list and tools/call over the command table.
#include <QUrl>
#include <cmath>

#include "commands/command_table.h"
#include "jobs/job_service.h"
#include "jobs/job_views.h"
#include "mcp/mcp_server.h"
#include "mcp/rpc_envelope.h"
#include "mcp/stdio_channel.h"

namespace avatar::server {
namespace {

// resource_link content and structuredContent arrived with 2025-06-18.
bool hasStructuredResults(const std::string& protocolVersion) {
  return protocolVersion >= "2025-06-18";
}

Json annotationsFor(const CommandDef& c) {
  const bool readOnly = c.name == "get_job" || c.name == "list_jobs" || c.name == "list_models";
  return {{"title", c.title},
          {"readOnlyHint", readOnly},
          {"destructiveHint", c.name == "cancel_job"},
          {"idempotentHint", readOnly || c.name == "cancel_job"},
          {"openWorldHint", false}};
}

}  // namespace

std::string snakeCaseCode(const std::string& code) {
  std::string lowered = code;
  if (!lowered.empty()) lowered[0] = char(std::tolower(static_cast<unsigned char>(lowered[0])));
  return argName(lowered, avatar::JsonNameStyle::Snake);
}

Json toolErrorResult(const std::string& code, const std::string& message) {
  return {{"content", {{{"type", "text"}, {"text", code + ": " + message}}}}, {"isError", true}};
}

Json McpServer::toolList(const std::string& protocolVersion) {
  Json tools = Json::array();
  for (const CommandDef& c : commandTable()) {
    if (c.mcpTool.empty()) continue;
    Json tool = {{"name", c.mcpTool},
                 {"title", c.title},
                 {"description", c.description},
                 {"inputSchema", c.inputSchema(avatar::JsonNameStyle::Snake)},
                 {"annotations", annotationsFor(c)}};
    if (hasStructuredResults(protocolVersion)) tool["outputSchema"] = c.mcpOutputSchema();
    tools.push_back(std::move(tool));
  }
  return tools;
}

Json McpServer::toolResult(const CommandDef&, const Json& data) const {
  Json result = {{"content", {{{"type", "text"}, {"text", dumpJson(data, 2)}}}},
                 {"isError", false}};
  if (hasStructuredResults(protocolVersion_)) result["structuredContent"] = data;
  return result;
}

void McpServer::callTool(const Json& id, const Json& params) {
  const auto name = params.find("name");
  if (name == params.end() || !name->is_string()) {
    replyError(id, kRpcInvalidParams, "tools/call needs the tool's \"name\"");
    return;
  }
  const CommandDef* command = findMcpTool(name->get<std::string>());
  if (!command) {
    replyError(id, kRpcInvalidParams, "Unknown tool: " + name->get<std::string>(),
               {{"tool", *name}});
    return;
  }
  const Json args = params.value("arguments", Json::object());
  CommandContext ctx{jobs_, paths_, avatar::JsonNameStyle::Snake, "mcp", true, "", {}};
  const CommandResult result = runCommand(*command, args, ctx);
  if (result.error) {
    reply(id, toolErrorResult(result.error->code, result.error->message()));
    return;
  }
  if (command->name != "render") {
    reply(id, toolResult(*command, result.data));
    return;
  }
  const std::string jobId = result.data.value("jobId", "");
  InFlight call;
  call.requestId = id;
  call.progressToken = params.value("_meta", Json::object()).value("progressToken", Json(nullptr));
  inFlight_[jobId] = call;
  onJobProgress(QString::fromStdString(jobId), 0.0, QStringLiteral("queued"));
}

void McpServer::onJobProgress(const QString& qJobId, double progress, const QString& qStage) {
  const auto it = inFlight_.find(qJobId.toStdString());
  if (it == inFlight_.end()) return;
  InFlight& call = it->second;
  if (call.progressToken.is_null() || call.cancelled) return;
  const std::string stage = qStage.toStdString();
  const double value = std::round(progress * 10000) / 10000;
  // Progress must increase with every notification; small steps are skipped.
  if (value <= call.lastProgress || (value < call.lastProgress + 0.01 && stage == call.lastStage))
    return;
  call.lastProgress = value;
  call.lastStage = stage;
  send({{"jsonrpc", "2.0"},
        {"method", "notifications/progress"},
        {"params",
         {{"progressToken", call.progressToken},
          {"progress", value},
          {"total", 1.0},
          {"message", stage + " " + std::to_string(int(value * 100)) + "%"}}}});
}

void McpServer::onJobFinished(const QString& qJobId) {
  const std::string jobId = qJobId.toStdString();
  const auto it = inFlight_.find(jobId);
  if (it == inFlight_.end()) return;
  InFlight call = it->second;
  inFlight_.erase(it);
  completeRender(jobId, std::move(call));
  maybeFinish();
}

Json McpServer::renderCallResult(const JobRecord& job) const {
  if (job.state != JobState::Succeeded) {
    if (job.state == JobState::Cancelled) {
      return toolErrorResult("Cancelled",
                             job.notes.empty() ? "the job was cancelled" : job.notes.back());
    }
    const ApiError e = ApiError::make(job.errorCode, job.errorSubject, job.errorDetail);
    return toolErrorResult(e.code, e.message());
  }
  const Json data = renderResultJson(job);
  Json result = toolResult(*findCommand("render"), data);
  if (hasStructuredResults(protocolVersion_)) {
    result["content"].push_back(
        {{"type", "resource_link"},
         {"uri",
          QUrl::fromLocalFile(QString::fromStdString(job.outputPath)).toString().toStdString()},
         {"name", job.id + ".mp4"},
         {"title", "Rendered talking-head video"},
         {"mimeType", "video/mp4"},
         {"size", job.outputBytes}});
  }
  return result;
}

void McpServer::completeRender(const std::string& jobId, InFlight call) {
  if (call.cancelled) return;  // the client cancelled: no reply (MCP cancellation rules)
  const JobRecord* job = jobs_.find(jobId);
  if (call.legacy) {
    Json line;
    if (job && job->state == JobState::Succeeded) {
      line = {{"jobId", job->id}, {"output", job->outputPath}, {"qualityMode", job->qualityMode}};
    } else if (job && job->state == JobState::Cancelled) {
      line = {{"error", "cancelled"}, {"jobId", jobId}};
    } else {
      const std::string code = job ? job->errorCode : "Internal";
      line = {{"error", snakeCaseCode(code)},
              {"detail", job ? ApiError::make(code, job->errorSubject, job->errorDetail).message()
                             : "the job disappeared"},
              {"jobId", jobId}};
    }
    channel_.writeLine(dumpJson(line));
    return;
  }
  if (!job) {
    reply(call.requestId, toolErrorResult("Internal", "the job disappeared"));
    return;
  }
  reply(call.requestId, renderCallResult(*job));
}

}  // namespace avatar::server
