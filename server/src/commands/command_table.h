// The command layer: one table of commands shared by REST and MCP.
//
// Each command has one input schema (in camelCase for REST or snake_case for
// MCP), one validation step and one handler returning {error | data}. REST
// routes (http/rest_routes.cpp) and MCP tools (mcp/mcp_tools.cpp) are thin
// adapters over this table; the OpenAPI document and the MCP tool list are
// generated from it. Errors are ApiErrors (core/api_error.h), mapped to HTTP
// statuses and MCP isError results in one place each.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "avatar/options_json.h"
#include "core/api_error.h"
#include "core/json.h"

namespace avatar::server {

class JobService;
class PathPolicy;

struct CommandContext {
  JobService& jobs;
  const PathPolicy& paths;
  avatar::JsonNameStyle style = avatar::JsonNameStyle::Camel;  // of argument names
  std::string origin = "rest";                                 // "rest", "upload", "mcp"
  bool includeServerPaths = false;  // MCP clients are local: show output paths
  // render only (uploads): the reserved job whose directory holds the uploads,
  // and the fields (camelCase) whose value is a file the server itself stored
  // there. Only those exact paths skip the input-root policy; every other path
  // field, wherever in the request it came from, goes through it.
  std::string reservedJobId;
  std::map<std::string, std::string> uploadedPaths;
};

struct CommandResult {
  std::optional<ApiError> error;
  Json data;
  int httpStatus = 200;  // of a success (202 for accepted work, 503 for "not ready")

  static CommandResult ok(Json data, int httpStatus = 200);
  static CommandResult fail(ApiError error);
};

struct RestBinding {
  std::string method;  // "GET", "POST", "DELETE"
  std::string path;    // "/jobs/{jobId}": {name} segments fill arguments of that name
};

struct CommandDef {
  std::string name;     // "render"
  std::string mcpTool;  // "render_avatar"; empty: not an MCP tool
  std::string title;
  std::string description;
  std::optional<RestBinding> rest;
  int successStatus = 200;
  std::vector<int> errorStatuses;  // REST statuses a client should expect
  Json (*inputSchema)(avatar::JsonNameStyle style) = nullptr;
  Json (*restOutputSchema)() = nullptr;
  Json (*mcpOutputSchema)() = nullptr;
  CommandResult (*run)(const Json& args, CommandContext& ctx) = nullptr;
  // false: the handler validates itself (render: the engine's request parser,
  // which the render schema is generated from).
  bool checkSchema = true;
};

const std::vector<CommandDef>& commandTable();
const CommandDef* findCommand(std::string_view name);
const CommandDef* findMcpTool(std::string_view tool);

// Validates `args` against the command's schema, then runs it. Never throws.
CommandResult runCommand(const CommandDef& command, const Json& args, CommandContext& ctx);

// "jobId" in the style of the context ("job_id" for MCP).
std::string argName(const std::string& camel, avatar::JsonNameStyle style);

// Handlers and schemas (command_jobs.cpp, command_render.cpp).
CommandResult runRender(const Json& args, CommandContext& ctx);
CommandResult runGetJob(const Json& args, CommandContext& ctx);
CommandResult runCancelJob(const Json& args, CommandContext& ctx);
CommandResult runListJobs(const Json& args, CommandContext& ctx);
CommandResult runListModels(const Json& args, CommandContext& ctx);
CommandResult runHealth(const Json& args, CommandContext& ctx);
Json renderInputSchema(avatar::JsonNameStyle style);
Json jobIdInputSchema(avatar::JsonNameStyle style);
Json listJobsInputSchema(avatar::JsonNameStyle style);
Json emptyInputSchema(avatar::JsonNameStyle style);
Json cancelOutputSchema();
Json listJobsOutputSchema();
Json listModelsOutputSchema();
Json healthOutputSchema();

}  // namespace avatar::server
