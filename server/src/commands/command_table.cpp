#include "commands/command_table.h"

#include <exception>

#include "core/schema_check.h"
#include "jobs/job_views.h"

namespace avatar::server {
namespace {

Json jobViewForRest() {
  return jobJsonSchema(false);
}
Json jobViewForMcp() {
  return jobJsonSchema(true);
}

std::vector<CommandDef> buildTable() {
  std::vector<CommandDef> t;
  t.push_back({"render",
               "render_avatar",
               "Render a talking-head video",
               "Queues a render of one photo and one speech track. REST answers at once "
               "(202) with the job id; poll statusUrl or GET /jobs/{jobId}. The MCP tool "
               "waits for the video (with progress notifications) and returns its path.",
               RestBinding{"POST", "/render"},
               202,
               {400, 401, 403, 413, 415, 422, 503},
               renderInputSchema,
               submittedJsonSchema,
               renderResultJsonSchema,
               runRender,
               false});
  t.push_back({"get_job",
               "get_job",
               "Get a job",
               "State, progress (0..1), stage, timings, chosen backends, the video and any error.",
               RestBinding{"GET", "/jobs/{jobId}"},
               200,
               {401, 404, 422},
               jobIdInputSchema,
               jobViewForRest,
               jobViewForMcp,
               runGetJob});
  t.push_back({"cancel_job",
               "cancel_job",
               "Cancel or delete a job",
               "Queued: cancelled at once. Processing: the render stops and its partial output "
               "is removed (state becomes cancelled shortly; 202). Finished: the job and its "
               "files are deleted.",
               RestBinding{"DELETE", "/jobs/{jobId}"},
               200,
               {401, 404, 422},
               jobIdInputSchema,
               cancelOutputSchema,
               cancelOutputSchema,
               runCancelJob});
  t.push_back({"list_jobs",
               "list_jobs",
               "List jobs",
               "Jobs, newest first, optionally by state.",
               RestBinding{"GET", "/jobs"},
               200,
               {401, 422},
               listJobsInputSchema,
               listJobsOutputSchema,
               listJobsOutputSchema,
               runListJobs});
  t.push_back({"list_models",
               "list_models",
               "List models",
               "The model files the engine knows, whether each is installed, and its licence.",
               RestBinding{"GET", "/models"},
               200,
               {401},
               emptyInputSchema,
               listModelsOutputSchema,
               listModelsOutputSchema,
               runListModels});
  t.push_back({"health",
               "",
               "Readiness",
               "Ready when the job store answers, the queue has room and the data directory "
               "has free space (503 otherwise, with the failing checks).",
               RestBinding{"GET", "/health/ready"},
               200,
               {503},
               emptyInputSchema,
               healthOutputSchema,
               healthOutputSchema,
               runHealth});
  return t;
}

}  // namespace

CommandResult CommandResult::ok(Json data, int httpStatus) {
  CommandResult r;
  r.data = std::move(data);
  r.httpStatus = httpStatus;
  return r;
}

CommandResult CommandResult::fail(ApiError error) {
  CommandResult r;
  r.httpStatus = error.httpStatus();
  r.error = std::move(error);
  return r;
}

const std::vector<CommandDef>& commandTable() {
  static const std::vector<CommandDef> table = buildTable();
  return table;
}

const CommandDef* findCommand(std::string_view name) {
  for (const auto& c : commandTable()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

const CommandDef* findMcpTool(std::string_view tool) {
  for (const auto& c : commandTable()) {
    if (!c.mcpTool.empty() && c.mcpTool == tool) return &c;
  }
  return nullptr;
}

std::string argName(const std::string& camel, avatar::JsonNameStyle style) {
  if (style == avatar::JsonNameStyle::Camel) return camel;
  std::string out;
  for (char c : camel) {
    if (c >= 'A' && c <= 'Z') {
      out += '_';
      out += char(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

CommandResult runCommand(const CommandDef& command, const Json& args, CommandContext& ctx) {
  try {
    if (!args.is_object()) {
      return CommandResult::fail(
          ApiError::make("InvalidArgument", "arguments", "must be a JSON object"));
    }
    if (command.checkSchema) {
      if (auto err = checkAgainstSchema(command.inputSchema(ctx.style), args)) {
        return CommandResult::fail(*err);
      }
    }
    return command.run(args, ctx);
  } catch (const std::exception& e) {
    return CommandResult::fail(
        ApiError::make("Internal", command.name, std::string("unexpected error: ") + e.what()));
  }
}

}  // namespace avatar::server
