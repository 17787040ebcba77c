// The render command: validation (the engine's request parser, the input
// roots, a cheap probe of the photo) and submission to the job queue.
#include <QFileInfo>

#include "avatar/media.h"
#include "avatar/options_json.h"
#include "commands/command_table.h"
#include "core/path_policy.h"
#include "jobs/job_service.h"
#include "jobs/job_views.h"

namespace avatar::server {
namespace {

ApiError withSubject(const avatar::Status& s, const std::string& field) {
  ApiError e = ApiError::fromStatus(s);
  e.subject = field;  // the client's field, not a server path
  return e;
}

}  // namespace

Json renderInputSchema(avatar::JsonNameStyle style) {
  Json schema = Json::parse(avatar::renderRequestJsonSchema(style, true));
  // Tool schemas default to JSON Schema 2020-12; an explicit $schema trips
  // draft-07 validators some clients use.
  schema.erase("$schema");
  // The server chooses where videos go (GET /jobs/{id}/video, or the MCP result's path).
  schema["properties"].erase(argName("outputPath", style));
  return schema;
}

CommandResult runRender(const Json& args, CommandContext& ctx) {
  const auto name = [&](const char* camel) { return argName(camel, ctx.style); };
  avatar::RenderRequest request;
  if (avatar::Status s = avatar::mergeRenderRequest(dumpJson(args), &request); !s) {
    return CommandResult::fail(ApiError::fromStatus(s));
  }
  if (!request.outputPath.empty()) {
    return CommandResult::fail(ApiError::make(
        "InvalidArgument", name("outputPath"),
        "is chosen by the server; fetch the video from the job (GET /jobs/{jobId}/video, or "
        "the output path in the MCP result)"));
  }
  struct Input {
    std::string* path;
    const char* field;
    bool required;
  };
  const Input inputs[] = {{&request.imagePath, "avatarPath", true},
                          {&request.audioPath, "audioPath", true},
                          {&request.driverVideoPath, "driverVideo", false},
                          {&request.visemeTrackPath, "visemeJson", false}};
  for (const Input& in : inputs) {
    if (in.path->empty()) {
      if (in.required) {
        return CommandResult::fail(
            ApiError::make("InvalidArgument", name(in.field), "is required"));
      }
      continue;
    }
    const auto uploaded = ctx.uploadedPaths.find(in.field);
    if (uploaded != ctx.uploadedPaths.end() && uploaded->second == *in.path) continue;
    std::string resolved;
    if (auto err = ctx.paths.resolveInputFile(*in.path, name(in.field), &resolved)) {
      return CommandResult::fail(*err);
    }
    *in.path = resolved;
  }
  // Cheap checks now (header only), so a bad photo fails the request, not the job.
  avatar::ImageInfo image;
  if (avatar::Status s = avatar::probeImage(request.imagePath, &image); !s) {
    return CommandResult::fail(withSubject(s, name("avatarPath")));
  }
  if (QFileInfo(QString::fromStdString(request.audioPath)).size() == 0) {
    return CommandResult::fail(
        ApiError::make("InputEmpty", name("audioPath"), "the audio file is empty (0 bytes)"));
  }
  SubmitSpec spec;
  spec.request = std::move(request);
  spec.origin = ctx.origin;
  spec.reservedJobId = ctx.reservedJobId;
  JobRecord job;
  if (auto err = ctx.jobs.submit(std::move(spec), &job)) return CommandResult::fail(*err);
  return CommandResult::ok(submittedJson(job), 202);
}

}  // namespace avatar::server
