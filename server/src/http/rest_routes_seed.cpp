// The seed service's routes that are not plain commands: GET /status/{jobId}
// (state JSON, the MP4 when done, error JSON on failure), GET /avatars and
// GET /health/live. POST /render-upload: rest_routes_upload.cpp.
#include "avatar/backends.h"
#include "avatar/engine.h"
#include "avatar/version.h"
#include "commands/command_table.h"
#include "http/rest_routes.h"
#include "jobs/job_service.h"
#include "jobs/job_views.h"

namespace avatar::server {
namespace {

Json statusRunningSchema() {
  return {{"type", "object"},
          {"required", {"state"}},
          {"properties",
           {{"state", {{"type", "string"}, {"enum", {"queued", "processing"}}}},
            {"jobId", {{"type", "string"}}},
            {"progress", {{"type", "number"}}},
            {"stage", {{"type", "string"}}}}}};
}

Json statusErrorSchema() {
  return {{"type", "object"},
          {"required", {"state", "detail"}},
          {"properties",
           {{"state", {{"type", "string"}, {"enum", {"error", "cancelled", "expired"}}}},
            {"detail", {{"type", "string"}}},
            {"code", {{"type", "string"}}},
            {"jobId", {{"type", "string"}}}}}};
}

HttpResponse handleStatus(RestContext& ctx, const HttpRequest& req) {
  const std::string id = req.pathParams.at("jobId");
  const JobRecord* job = ctx.jobs->find(id);
  if (!job) return HttpResponse::error(ApiError::make("NotFound", id, "no job with this id"));
  switch (job->state) {
    case JobState::Queued:
    case JobState::Processing:
      return HttpResponse::json(200, {{"state", jobStateName(job->state)},
                                      {"jobId", id},
                                      {"progress", job->progress},
                                      {"stage", job->stage}});
    case JobState::Succeeded:
      return videoResponse(*job, req);
    case JobState::Failed: {
      const ApiError e = ApiError::make(job->errorCode, job->errorSubject, job->errorDetail);
      return HttpResponse::json(
          e.httpStatus(),
          {{"state", "error"}, {"detail", e.message()}, {"code", e.code}, {"jobId", id}});
    }
    case JobState::Cancelled:
    case JobState::Expired: {
      const bool cancelled = job->state == JobState::Cancelled;
      const std::string why = job->notes.empty() ? "" : job->notes.back();
      return HttpResponse::json(httpStatusForCode(cancelled ? "Cancelled" : "Expired"),
                                {{"state", jobStateName(job->state)},
                                 {"detail", why},
                                 {"code", cancelled ? "Cancelled" : "Expired"},
                                 {"jobId", id}});
    }
  }
  return HttpResponse::error(ApiError::make("Internal", id, "unknown job state"));
}

HttpResponse handleAvatars(RestContext& ctx) {
  const auto& engine = ctx.jobs->engine();
  // Model files (the seed's "models" object) and the backend table as this
  // installation sees it: which backend of each role can run, and why not.
  Json models = Json::object();
  for (const auto& m : engine->models()) {
    models[m.id] = {{"name", m.name},
                    {"role", m.role},
                    {"available", m.available()},
                    {"licence", m.licence},
                    {"commercialUse", m.commercialUse}};
  }
  const auto backends = engine->backends();
  std::map<std::string, std::vector<std::string>> byRole;
  for (const auto& b : backends) {
    if (b.usable) byRole[avatar::toString(b.backend.role)].push_back(b.backend.id);
  }
  const ServiceStats s = ctx.jobs->stats();
  const auto& cfg = ctx.jobs->config();
  const Json system = {
      {"version", avatar::versionString()},
      {"device", engine->cudaAvailable() ? "cuda" : "cpu"},
      {"cudaAvailable", engine->cudaAvailable()},
      {"workers", cfg.workers},
      {"queue", {{"queued", s.queued}, {"running", s.running}, {"capacity", cfg.maxQueuedJobs}}}};
  const Json modes = {
      {"real_time",
       {{"available", true}, {"description", "fastest lip-sync path, no enhancement"}}},
      {"high_quality",
       {{"available", true},
        {"description",
         "best installed models (motion from a driver video, Diff2Lip or Wav2Lip, GFPGAN)"},
        {"installedModels", byRole}}},
      {"auto",
       {{"available", true},
        {"description", "best the installed weights and the device allow, with fallbacks"}}}};
  CommandContext cctx{*ctx.jobs, *ctx.paths, avatar::JsonNameStyle::Camel, "rest", false, "", {}};
  const CommandResult health = runCommand(*findCommand("health"), Json::object(), cctx);
  return HttpResponse::json(200, {{"status", health.data.value("status", "not_ready")},
                                  {"models", models},
                                  {"backends", Json::parse(avatar::backendsToJson(backends))},
                                  {"system", system},
                                  {"rendering_modes", modes}});
}

}  // namespace

void addSeedRoutes(RestContext* ctx, std::vector<Route>* routes) {
  addUploadRoute(ctx, routes);

  Route status;
  status.method = "GET";
  status.pattern = "/status/{jobId}";
  Json statusResponses = errorResponses({401, 404});
  statusResponses["200"] = {
      {"description", "State JSON while the job runs; the MP4 once it succeeded."},
      {"content",
       {{"application/json", {{"schema", statusRunningSchema()}}},
        {"video/mp4", {{"schema", {{"type", "string"}, {"contentMediaType", "video/mp4"}}}}}}}};
  statusResponses["206"] = {{"description", "Part of the MP4 (Range request)."}};
  for (const char* code : {"409", "410", "415", "422", "500", "503"}) {
    statusResponses[code] = {
        {"description", "The job failed, was cancelled or expired (status by error code)."},
        {"content", jsonContent(statusErrorSchema())}};
  }
  status.operation = {
      {"operationId", "status"},
      {"summary", "Seed-compatible job status"},
      {"tags", {"jobs"}},
      {"parameters",
       {{{"name", "jobId"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}}}},
      {"responses", statusResponses}};
  status.handler = [ctx](const HttpRequest& req) { return handleStatus(*ctx, req); };
  routes->push_back(std::move(status));

  Route avatars;
  avatars.method = "GET";
  avatars.pattern = "/avatars";
  avatars.operation = {
      {"operationId", "avatars"},
      {"summary", "Seed-compatible capabilities"},
      {"description",
       "{status, models, backends, system, rendering_modes}: model files with their licences, "
       "the backend table as this installation sees it (as GET /models), and per role the "
       "backends that can run (rendering_modes.high_quality.installedModels)."},
      {"tags", {"health"}},
      {"responses",
       {{"200",
         {{"description", "OK"},
          {"content",
           jsonContent(
               {{"type", "object"},
                {"required", {"status", "models", "backends", "system", "rendering_modes"}}})}}},
        {"401", errorResponses({401})["401"]}}}};
  avatars.handler = [ctx](const HttpRequest&) { return handleAvatars(*ctx); };
  routes->push_back(std::move(avatars));

  Route live;
  live.method = "GET";
  live.pattern = "/health/live";
  live.isPublic = true;
  live.operation = {
      {"operationId", "live"},
      {"summary", "Liveness"},
      {"description", "200 while the server's event loop answers."},
      {"tags", {"health"}},
      {"responses",
       {{"200",
         {{"description", "Alive"},
          {"content", jsonContent({{"type", "object"},
                                   {"properties", {{"status", {{"type", "string"}}}}}})}}}}}};
  live.handler = [](const HttpRequest&) { return HttpResponse::json(200, {{"status", "alive"}}); };
  routes->push_back(std::move(live));
}

}  // namespace avatar::server
