// McpServer: the seed's line format, one JSON object per line without
// "jsonrpc": {"tool": "render_avatar", "params": {...}} answered with
// {"jobId", "output", "qualityMode"} once the video exists, or {"error": ...}:
// "unknown_tool", "missing_<param>" (e.g. missing_audio_path) and the snake
// case of every other error code (with a "detail").
#include "commands/command_table.h"
#include "mcp/mcp_server.h"
#include "mcp/stdio_channel.h"

namespace avatar::server {

void McpServer::handleLegacy(const Json& message) {
  const auto answer = [this](const Json& line) { channel_.writeLine(dumpJson(line)); };
  const Json tool = message.value("tool", Json(nullptr));
  const CommandDef* command = tool.is_string() ? findMcpTool(tool.get<std::string>()) : nullptr;
  if (!command) {
    answer({{"error", "unknown_tool"}, {"detail", "no tool named " + dumpJson(tool)}});
    return;
  }
  const Json params = message.value("params", Json::object());
  if (!params.is_object()) {
    answer({{"error", "invalid_params"}, {"detail", "\"params\" must be a JSON object"}});
    return;
  }
  CommandContext ctx{jobs_, paths_, avatar::JsonNameStyle::Snake, "mcp", true, "", {}};
  const CommandResult result = runCommand(*command, params, ctx);
  if (result.error) {
    const ApiError& e = *result.error;
    if (e.code == "InvalidArgument" && e.detail == "is required") {
      answer({{"error", "missing_" + e.subject}, {"detail", e.message()}});
    } else {
      answer({{"error", snakeCaseCode(e.code)}, {"detail", e.message()}});
    }
    return;
  }
  if (command->name != "render") {
    answer(result.data);
    return;
  }
  InFlight call;
  call.legacy = true;
  inFlight_[result.data.value("jobId", "")] = call;
}

}  // namespace avatar::server
