// GET /jobs/{jobId}/video (HTTP Range: 206/416), GET /openapi.json, GET /metrics.
#include <QDateTime>
#include <QFileInfo>

#include "http/byte_range.h"
#include "http/metrics.h"
#include "http/rest_routes.h"
#include "jobs/job_service.h"
#include "queue/s3_store.h"

namespace avatar::server {
namespace {

Json videoOperation() {
  Json responses = errorResponses({401, 404, 409, 410, 416});
  responses["200"] = {{"description", "The MP4."},
                      {"content", {{"video/mp4", {{"schema", {{"type", "string"}}}}}}}};
  responses["206"] = {{"description", "The requested byte range (Content-Range)."},
                      {"content", {{"video/mp4", {{"schema", {{"type", "string"}}}}}}}};
  return {
      {"operationId", "get_video"},
      {"summary", "Download the video"},
      {"description",
       "Supports one HTTP byte range (Range: bytes=first-last, first-, -suffix). 409 while "
       "the job is not finished or failed, 410 when cancelled or expired."},
      {"tags", {"jobs"}},
      {"parameters",
       {{{"name", "jobId"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}},
        {{"name", "Range"},
         {"in", "header"},
         {"required", false},
         {"schema", {{"type", "string"}}}}}},
      {"responses", responses}};
}

}  // namespace

HttpResponse videoResponse(const JobRecord& job, const HttpRequest& req) {
  switch (job.state) {
    case JobState::Succeeded:
      break;
    case JobState::Cancelled:
      return HttpResponse::error(ApiError::make("Cancelled", job.id, "the job was cancelled"));
    case JobState::Expired:
      return HttpResponse::error(
          ApiError::make("Expired", job.id, "the video was removed by the retention policy"));
    case JobState::Failed:
      return HttpResponse::error(ApiError::make(
          "JobNotFinished", job.id, "the job failed (" + job.errorCode + "): no video"));
    default:
      return HttpResponse::error(ApiError::make(
          "JobNotFinished", job.id, std::string("the job is ") + jobStateName(job.state)));
  }
  // Rendered by `worker --artifacts s3://...`: a redirect to a presigned GET
  // (valid 15 min) on the object store; Range requests go to the store.
  const auto artifact = job.result.find("artifact");
  if (artifact != job.result.end() && artifact->is_object() &&
      artifact->value("store", "") == "s3") {
    S3Store store;
    std::string error;
    store.bucket = artifact->value("bucket", "");
    const std::string key = artifact->value("key", "");
    if (store.bucket.empty() || key.empty() || !s3FromEnvironment(&store, &error)) {
      return HttpResponse::error(ApiError::make(
          "Internal", job.id,
          "the video is in the S3 artifact store (s3://" + store.bucket + "/" + key +
              ") but this API cannot sign for it: " + (error.empty() ? "no bucket/key" : error)));
    }
    const std::string url = s3PresignGet(store, key, 900, QDateTime::currentSecsSinceEpoch());
    HttpResponse r;
    r.status = 302;
    r.contentType = "";
    r.withHeader("Location", QByteArray::fromStdString(url))
        .withHeader("Cache-Control", "no-store");
    return r;
  }
  const QFileInfo info(QString::fromStdString(job.outputPath));
  if (!info.isFile()) {
    return HttpResponse::error(ApiError::make("Expired", job.id, "the video file is gone"));
  }
  const qint64 size = info.size();
  HttpResponse r;
  r.contentType = "video/mp4";
  r.withHeader("Accept-Ranges", "bytes")
      .withHeader("ETag", QByteArray::fromStdString("\"" + job.sha256 + "\""))
      .withHeader("Cache-Control", "private, max-age=3600")
      .withHeader("Content-Disposition",
                  QByteArray::fromStdString("inline; filename=\"" + job.id + ".mp4\""));
  const QByteArray rangeHeader = req.header("range");
  const ByteRange range = rangeHeader.isEmpty() ? ByteRange{} : parseByteRange(rangeHeader, size);
  if (range.kind == ByteRange::Unsatisfiable) {
    return HttpResponse::error(ApiError::make("RangeNotSatisfiable", "Range",
                                              "\"" + rangeHeader.toStdString() +
                                                  "\" is outside the video (" +
                                                  std::to_string(size) + " bytes)"))
        .withHeader("Content-Range", "bytes */" + QByteArray::number(size));
  }
  if (range.kind == ByteRange::Part) {
    r.status = 206;
    r.withHeader("Content-Range", "bytes " + QByteArray::number(range.first) + "-" +
                                      QByteArray::number(range.last) + "/" +
                                      QByteArray::number(size));
    r.file = FileBody{job.outputPath, range.first, range.last - range.first + 1};
  } else {
    r.file = FileBody{job.outputPath, 0, size};
  }
  return r;
}

void addFileRoutes(RestContext* ctx, std::vector<Route>* routes) {
  Route video;
  video.method = "GET";
  video.pattern = "/jobs/{jobId}/video";
  video.operation = videoOperation();
  video.handler = [ctx](const HttpRequest& req) {
    const std::string id = req.pathParams.at("jobId");
    const JobRecord* job = ctx->jobs->find(id);
    if (!job) return HttpResponse::error(ApiError::make("NotFound", id, "no job with this id"));
    return videoResponse(*job, req);
  };
  routes->push_back(std::move(video));

  Route openapi;
  openapi.method = "GET";
  openapi.pattern = "/openapi.json";
  openapi.operation = {{"operationId", "openapi"},
                       {"summary", "This document"},
                       {"tags", {"meta"}},
                       {"responses",
                        {{"200",
                          {{"description", "OpenAPI 3.1 document"},
                           {"content", jsonContent({{"type", "object"}})}}}}}};
  openapi.handler = [ctx](const HttpRequest&) {
    return HttpResponse::json(200, openApiJson(*ctx->routes, *ctx->http));
  };
  routes->push_back(std::move(openapi));

  Route metrics;
  metrics.method = "GET";
  metrics.pattern = "/metrics";
  metrics.operation = {{"operationId", "metrics"},
                       {"summary", "Prometheus metrics"},
                       {"tags", {"meta"}},
                       {"responses",
                        {{"200",
                          {{"description", "Prometheus text format 0.0.4"},
                           {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}}}}}};
  metrics.handler = [ctx](const HttpRequest&) {
    return HttpResponse::text(
        200, "text/plain; version=0.0.4; charset=utf-8",
        QByteArray::fromStdString(ctx->metrics->prometheusText(ctx->jobs->stats())));
  };
  routes->push_back(std::move(metrics));
}

}  // namespace avatar::server
