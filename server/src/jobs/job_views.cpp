#include "jobs/job_views.h"

#include <QDateTime>

namespace avatar::server {
namespace {

Json numberOrNull(const Json& result, const char* key) {
  const auto it = result.find(key);
  return it == result.end() ? Json(nullptr) : *it;
}

Json secondsBetween(int64_t fromMs, int64_t toMs) {
  if (fromMs <= 0 || toMs <= 0) return nullptr;
  return double(toMs - fromMs) / 1000.0;
}

Json nullable(Json schema) {
  const std::string type = schema["type"];
  schema["type"] = {type, "null"};
  return schema;
}

Json str(const char* description) {
  return {{"type", "string"}, {"description", description}};
}
Json num(const char* description) {
  return {{"type", "number"}, {"description", description}};
}
Json integer(const char* description) {
  return {{"type", "integer"}, {"description", description}};
}

Json stateSchema() {
  Json names = Json::array();
  for (const auto& n : jobStateNames()) names.push_back(n);
  return {{"type", "string"}, {"enum", names}, {"description", "Job state (docs/API.md)."}};
}

}  // namespace

Json isoTime(int64_t epochMs) {
  if (epochMs <= 0) return nullptr;
  return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(Qt::ISODateWithMs).toStdString();
}

Json jobJson(const JobRecord& job, bool includeServerPaths) {
  const Json& r = job.result;
  Json video = nullptr;
  if (job.state == JobState::Succeeded) {
    video = {{"url", "/jobs/" + job.id + "/video"},
             {"bytes", job.outputBytes},
             {"sha256", job.sha256},
             {"frameCount", numberOrNull(r, "frameCount")},
             {"durationSec", numberOrNull(r, "durationSec")},
             {"width", numberOrNull(r, "width")},
             {"height", numberOrNull(r, "height")},
             {"fps", numberOrNull(r, "fps")}};
    if (includeServerPaths) video["path"] = job.outputPath;
  }
  Json backends = nullptr;
  if (r.contains("lipSyncBackend")) {
    backends = {{"lipSync", r.value("lipSyncBackend", "")},
                {"enhancer", r.value("enhancer", "")},
                {"videoEncoder", r.value("videoEncoder", "")}};
  }
  Json error = nullptr;
  if (!job.errorCode.empty()) {
    error = {{"code", job.errorCode}, {"subject", job.errorSubject}, {"message", job.errorDetail}};
  }
  return Json{{"jobId", job.id},
              {"state", jobStateName(job.state)},
              {"progress", job.progress},
              {"stage", job.stage},
              {"origin", job.origin},
              {"qualityMode", job.qualityMode},
              {"createdAt", isoTime(job.createdMs)},
              {"startedAt", isoTime(job.startedMs)},
              {"finishedAt", isoTime(job.finishedMs)},
              {"attempts", job.attempts},
              {"timings",
               {{"queuedSec", secondsBetween(job.createdMs, job.startedMs)},
                {"runSec", secondsBetween(job.startedMs, job.finishedMs)},
                {"analyseSec", numberOrNull(r, "analyseSec")},
                {"renderSec", numberOrNull(r, "renderSec")}}},
              {"backends", backends},
              {"video", video},
              {"error", error},
              {"notes", job.notes},
              {"statusUrl", "/status/" + job.id}};
}

Json jobJsonSchema(bool includeServerPaths) {
  Json videoProps = {{"url", str("GET this for the MP4 (HTTP Range supported).")},
                     {"bytes", integer("Size of the MP4.")},
                     {"sha256", str("SHA-256 of the MP4, hex.")},
                     {"frameCount", nullable(integer("Frames in the video."))},
                     {"durationSec", nullable(num("Video duration."))},
                     {"width", nullable(integer("Frame width in pixels."))},
                     {"height", nullable(integer("Frame height in pixels."))},
                     {"fps", nullable(integer("Frames per second."))}};
  if (includeServerPaths) videoProps["path"] = str("Absolute path of the MP4 on the server.");
  const Json video = {{"type", {"object", "null"}},
                      {"description", "The finished video; null unless state is succeeded."},
                      {"properties", videoProps},
                      {"required", {"url", "bytes", "sha256"}}};
  const Json backends = {{"type", {"object", "null"}},
                         {"description", "Backends the engine chose (null until the job started)."},
                         {"properties",
                          {{"lipSync", str("builtin, wav2lip, diff2lip or still.")},
                           {"enhancer", str("none or gfpgan.")},
                           {"videoEncoder", str("libx264 or h264_nvenc.")}}}};
  const Json error = {{"type", {"object", "null"}},
                      {"description", "Why the job failed (null otherwise)."},
                      {"properties",
                       {{"code", str("Stable error code (docs/API.md).")},
                        {"subject", str("The input or field concerned.")},
                        {"message", str("Readable reason.")}}},
                      {"required", {"code", "message"}}};
  const Json timings = {{"type", "object"},
                        {"properties",
                         {{"queuedSec", nullable(num("Waiting time before the render started."))},
                          {"runSec", nullable(num("Wall time of the render."))},
                          {"analyseSec", nullable(num("Input decoding and analysis."))},
                          {"renderSec", nullable(num("Frame rendering and encoding."))}}}};
  return Json{{"type", "object"},
              {"required", {"jobId", "state", "progress", "createdAt", "statusUrl"}},
              {"properties",
               {{"jobId", str("Job id (UUID).")},
                {"state", stateSchema()},
                {"progress", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
                {"stage", str("Current engine stage.")},
                {"origin", str("rest, upload or mcp.")},
                {"qualityMode", str("Requested quality mode.")},
                {"createdAt", nullable(str("ISO 8601 UTC."))},
                {"startedAt", nullable(str("ISO 8601 UTC."))},
                {"finishedAt", nullable(str("ISO 8601 UTC."))},
                {"attempts", integer("Runs started (re-queues after a server stop count).")},
                {"timings", timings},
                {"backends", backends},
                {"video", video},
                {"error", error},
                {"notes", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                {"statusUrl", str("Seed-compatible status URL.")}}}};
}

Json submittedJson(const JobRecord& job) {
  return Json{{"jobId", job.id},
              {"statusUrl", "/status/" + job.id},
              {"async", true},
              {"state", jobStateName(job.state)},
              {"qualityMode", job.qualityMode},
              {"jobUrl", "/jobs/" + job.id},
              {"videoUrl", "/jobs/" + job.id + "/video"}};
}

Json submittedJsonSchema() {
  return Json{{"type", "object"},
              {"required", {"jobId", "statusUrl", "async"}},
              {"properties",
               {{"jobId", str("Job id (UUID).")},
                {"statusUrl", str("Poll this: state JSON while running, the MP4 when done.")},
                {"async", {{"type", "boolean"}, {"const", true}}},
                {"state", stateSchema()},
                {"qualityMode", str("Requested quality mode.")},
                {"jobUrl", str("Job details.")},
                {"videoUrl", str("The MP4 once the job succeeded.")}}}};
}

Json renderResultJson(const JobRecord& job) {
  const Json& r = job.result;
  return Json{{"jobId", job.id},
              {"output", job.outputPath},
              {"qualityMode", job.qualityMode},
              {"state", jobStateName(job.state)},
              {"bytes", job.outputBytes},
              {"sha256", job.sha256},
              {"frameCount", numberOrNull(r, "frameCount")},
              {"durationSec", numberOrNull(r, "durationSec")},
              {"width", numberOrNull(r, "width")},
              {"height", numberOrNull(r, "height")},
              {"fps", numberOrNull(r, "fps")},
              {"lipSyncBackend", r.value("lipSyncBackend", "")},
              {"enhancer", r.value("enhancer", "")},
              {"videoEncoder", r.value("videoEncoder", "")},
              {"renderSec", numberOrNull(r, "renderSec")},
              {"notes", job.notes}};
}

Json renderResultJsonSchema() {
  return Json{{"type", "object"},
              {"required", {"jobId", "output", "qualityMode"}},
              {"properties",
               {{"jobId", str("Job id (UUID).")},
                {"output", str("Absolute path of the MP4.")},
                {"qualityMode", str("Requested quality mode.")},
                {"state", stateSchema()},
                {"bytes", integer("Size of the MP4.")},
                {"sha256", str("SHA-256 of the MP4, hex.")},
                {"frameCount", nullable(integer("Frames in the video."))},
                {"durationSec", nullable(num("Video duration."))},
                {"width", nullable(integer("Frame width."))},
                {"height", nullable(integer("Frame height."))},
                {"fps", nullable(integer("Frames per second."))},
                {"lipSyncBackend", str("Lip-sync backend used.")},
                {"enhancer", str("Enhancer used.")},
                {"videoEncoder", str("Video encoder used.")},
                {"renderSec", nullable(num("Render wall time."))},
                {"notes", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}};
}

}  // namespace avatar::server
