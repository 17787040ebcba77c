// Commands about jobs, models and health.
#include "avatar/engine.h"
#include "commands/command_table.h"
#include "jobs/job_service.h"
#include "jobs/job_views.h"

namespace avatar::server {
namespace {

// The engine's backend table as this installation sees it (avatar/backends.h).
Json backendsJson(const avatar::Engine& engine) {
  return Json::parse(avatar::backendsToJson(engine.backends()));
}

Json backendsSchema() {
  return Json{{"type", "array"},
              {"description", "Stage backends (motion, mouth, enhance) from the engine's table."},
              {"items", Json::parse(avatar::backendJsonSchema())}};
}

Json objectSchema(Json properties, Json required = Json::array()) {
  return Json{{"type", "object"},
              {"properties", std::move(properties)},
              {"required", std::move(required)},
              {"additionalProperties", false}};
}

std::string jobIdArg(const Json& args, const CommandContext& ctx) {
  return args.at(argName("jobId", ctx.style)).get<std::string>();
}

ApiError unknownJob(const std::string& id) {
  return ApiError::make("NotFound", id, "no job with this id");
}

}  // namespace

Json jobIdInputSchema(avatar::JsonNameStyle style) {
  const std::string name = argName("jobId", style);
  return objectSchema({{name,
                        {{"type", "string"},
                         {"minLength", 1},
                         {"maxLength", 64},
                         {"description", "Job id returned by render."}}}},
                      {name});
}

Json listJobsInputSchema(avatar::JsonNameStyle style) {
  Json states = Json::array();
  for (const auto& s : jobStateNames()) states.push_back(s);
  return objectSchema(
      {{"state",
        {{"type", "string"}, {"enum", states}, {"description", "Only jobs in this state."}}},
       {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}, {"default", 50}}},
       {"offset", {{"type", "integer"}, {"minimum", 0}, {"default", 0}}}});
}

Json emptyInputSchema(avatar::JsonNameStyle) {
  return objectSchema(Json::object());
}

CommandResult runGetJob(const Json& args, CommandContext& ctx) {
  const std::string id = jobIdArg(args, ctx);
  const JobRecord* job = ctx.jobs.find(id);
  if (!job) return CommandResult::fail(unknownJob(id));
  return CommandResult::ok(jobJson(*job, ctx.includeServerPaths));
}

Json cancelOutputSchema() {
  return Json{{"type", "object"},
              {"required", {"jobId", "result"}},
              {"properties",
               {{"jobId", {{"type", "string"}}},
                {"result",
                 {{"type", "string"},
                  {"enum", {"cancelled", "cancelling", "deleted"}},
                  {"description",
                   "cancelled: it was queued; cancelling: the render is stopping; deleted: it "
                   "had finished and its record and files are gone."}}},
                {"state", {{"type", {"string", "null"}}, {"description", "Job state now."}}}}}};
}

CommandResult runCancelJob(const Json& args, CommandContext& ctx) {
  const std::string id = jobIdArg(args, ctx);
  const auto outcome = ctx.jobs.cancel(id, "cancelled by the client (" + ctx.origin + ")");
  using R = JobService::CancelResult;
  if (outcome == R::NotFound) return CommandResult::fail(unknownJob(id));
  if (outcome == R::Unavailable) {
    return CommandResult::fail(
        ApiError::make("QueueUnavailable", id, "the job queue (Redis) cannot be reached; retry"));
  }
  const JobRecord* job = ctx.jobs.find(id);
  const char* result = outcome == R::Cancelled    ? "cancelled"
                       : outcome == R::Cancelling ? "cancelling"
                                                  : "deleted";
  return CommandResult::ok({{"jobId", id},
                            {"result", result},
                            {"state", job ? Json(jobStateName(job->state)) : Json(nullptr)}},
                           outcome == R::Cancelling ? 202 : 200);
}

Json listJobsOutputSchema() {
  return Json{{"type", "object"},
              {"required", {"jobs", "total"}},
              {"properties",
               {{"jobs", {{"type", "array"}, {"items", jobJsonSchema(false)}}},
                {"total", {{"type", "integer"}, {"description", "Matching jobs in all."}}},
                {"limit", {{"type", "integer"}}},
                {"offset", {{"type", "integer"}}}}}};
}

CommandResult runListJobs(const Json& args, CommandContext& ctx) {
  std::optional<JobState> state;
  if (args.contains("state")) state = jobStateFromName(args["state"].get<std::string>());
  const int limit = args.value("limit", 50);
  const int offset = args.value("offset", 0);
  int total = 0;
  Json jobs = Json::array();
  for (const JobRecord* job : ctx.jobs.list(state, limit, offset, &total)) {
    jobs.push_back(jobJson(*job, ctx.includeServerPaths));
  }
  return CommandResult::ok(
      {{"jobs", std::move(jobs)}, {"total", total}, {"limit", limit}, {"offset", offset}});
}

Json listModelsOutputSchema() {
  const Json model = {
      {"type", "object"},
      {"required", {"id", "available"}},
      {"properties",
       {{"id", {{"type", "string"}}},
        {"name", {{"type", "string"}}},
        {"role", {{"type", "string"}, {"description", "face-detector, lip-sync, enhancer, ..."}}},
        {"available", {{"type", "boolean"}, {"description", "Every file is installed."}}},
        {"licence", {{"type", "string"}}},
        {"commercialUse", {{"type", "boolean"}}},
        {"source", {{"type", "string"}}},
        {"howToGet", {{"type", "string"}}}}}};
  return Json{{"type", "object"},
              {"required", {"models", "backends"}},
              {"properties",
               {{"models", {{"type", "array"}, {"items", model}}},
                {"backends", backendsSchema()},
                {"cudaAvailable", {{"type", "boolean"}}}}}};
}

CommandResult runListModels(const Json&, CommandContext& ctx) {
  Json models = Json::array();
  for (const auto& m : ctx.jobs.engine()->models()) {
    models.push_back({{"id", m.id},
                      {"name", m.name},
                      {"role", m.role},
                      {"available", m.available()},
                      {"licence", m.licence},
                      {"commercialUse", m.commercialUse},
                      {"source", m.source},
                      {"howToGet", m.howToGet}});
  }
  return CommandResult::ok({{"models", std::move(models)},
                            {"backends", backendsJson(*ctx.jobs.engine())},
                            {"cudaAvailable", ctx.jobs.engine()->cudaAvailable()}});
}

Json healthOutputSchema() {
  const Json check = {
      {"type", "object"},
      {"required", {"ok"}},
      {"properties", {{"ok", {{"type", "boolean"}}}, {"detail", {{"type", "string"}}}}}};
  return Json{{"type", "object"},
              {"required", {"status", "checks"}},
              {"properties",
               {{"status", {{"type", "string"}, {"enum", {"ready", "not_ready"}}}},
                {"backends", backendsSchema()},
                {"checks",
                 {{"type", "object"},
                  {"properties",
                   {{"jobStore", check},
                    {"queue", check},
                    {"disk", check},
                    {"workers", check},
                    {"backends", check}}}}}}}};
}

CommandResult runHealth(const Json&, CommandContext& ctx) {
  JobService& jobs = ctx.jobs;
  const ServiceStats s = jobs.stats();
  const auto& cfg = jobs.config();
  const int64_t freeBytes = jobs.freeDiskBytes();
  const bool storeOk = jobs.storeHealthy();
  const bool queueOk = s.queued < cfg.maxQueuedJobs || s.running < cfg.workers;
  const bool diskOk = freeBytes >= cfg.minFreeDiskBytes;
  const Json checks = {
      {"jobStore", {{"ok", storeOk}, {"detail", storeOk ? "answering" : "not answering"}}},
      {"queue",
       {{"ok", queueOk},
        {"detail", std::to_string(s.queued) + " of " + std::to_string(cfg.maxQueuedJobs) +
                       " queue places used"}}},
      {"disk",
       {{"ok", diskOk},
        {"detail", std::to_string(freeBytes >> 20) + " MiB free in the data directory (needs " +
                       std::to_string(cfg.minFreeDiskBytes >> 20) + " MiB)"}}},
      {"workers",
       {{"ok", true},
        {"detail", std::to_string(s.running) + " of " + std::to_string(cfg.workers) +
                       " render slots busy"}}}};
  // Every stage has a usable backend (the built-in ones need no weights);
  // the detail lists which.
  Json backends = backendsJson(*jobs.engine());
  std::string usable;
  for (const auto& b : backends) {
    if (!b["usable"].get<bool>()) continue;
    usable += (usable.empty() ? "" : ", ") + b["role"].get<std::string>() + " " +
              b["id"].get<std::string>();
  }
  Json allChecks = checks;
  allChecks["backends"] = {{"ok", true}, {"detail", "usable: " + usable}};
  const bool ready = storeOk && queueOk && diskOk;
  return CommandResult::ok({{"status", ready ? "ready" : "not_ready"},
                            {"backends", std::move(backends)},
                            {"checks", std::move(allChecks)}},
                           ready ? 200 : 503);
}

}  // namespace avatar::server
