// avatar-renderer worker: renders jobs from a Redis stream (avatar_server).
#include <cstdio>

#include "avatar/options.h"
#include "avatar_server/server.h"
#include "cli_common.h"
#include "cli_service_flags.h"
#include "exit_codes.h"
#include "frontends.h"

namespace app {

int runWorker(int argc, char** argv) {
  ArgParser p;
  p.add({"redis", "", true, "URL", "redis://[:password@]host[:port][/db] (required)."});
  p.add({"stream", "", true, "S", "Job stream (default avatar:jobs; as serve --queue-stream)."});
  p.add({"group", "", true, "G", "Consumer group (default renderers)."});
  p.add({"name", "", true, "N", "Consumer name (default <hostname>-<pid>; keep it per pod)."});
  p.add({"data-dir", "", true, "DIR",
         "The shared data directory (uploads, videos), as mounted on the API replicas."});
  p.add({"artifacts", "", true, "URL",
         "Where finished videos go: s3://bucket[/prefix] uploads them to S3-compatible "
         "storage (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL_S3; "
         "docs/DEPLOY.md). Default: the shared data directory."});
  p.add({"lease-sec", "", true, "S",
         "A job whose worker stops renewing its lease is reclaimed after S s (default 30)."});
  p.add({"max-deliveries", "", true, "N",
         "Deliveries of a job before it goes to the dead-letter stream (default 3)."});
  p.add({"grace-sec", "", true, "S",
         "On SIGTERM, finish the current job within S s, else release it (default 25)."});
  p.add({"device", "", true, "DEVICE", "auto|cpu|cuda: default device for neural nets."});
  addCommonFlags(p);
  std::string error;
  if (!p.parse(argc, argv, 2, &error)) return usageError("worker", error);
  if (p.has("help")) {
    std::printf(
        "Usage: avatar-renderer worker --redis URL [--stream S --group G --name N]\n"
        "                              [--data-dir DIR] [--artifacts URL] [options]\n\n"
        "Joins the consumer group of the job stream that `serve --queue URL` writes to,\n"
        "renders one job at a time and records progress and results in Redis. SIGTERM:\n"
        "takes no new job, finishes the current one within --grace-sec or hands it back;\n"
        "a second signal hands it back at once. docs/DEPLOY.md describes the semantics.\n\n"
        "Options:\n%s",
        p.helpText().c_str());
    return kExitOk;
  }
  if (int rc = applyCommonFlags(p); rc != kExitOk) return rc;
  avatar::server::ServiceConfig service;
  avatar::server::WorkerConfig worker;
  service.queueUrl = p.value("redis").value_or("");
  if (service.queueUrl.empty()) return usageError("worker", "--redis URL is required");
  service.queueStream = p.value("stream").value_or(service.queueStream);
  service.queueGroup = p.value("group").value_or(service.queueGroup);
  service.dataDir = p.value("data-dir").value_or("");
  worker.name = p.value("name").value_or("");
  worker.artifacts = p.value("artifacts").value_or("");
  double v = 0;
  if (!numberFlag(p, "lease-sec", 0.5, 86400, worker.leaseSec, &v, &error)) {
    return usageError("worker", error);
  }
  worker.leaseSec = v;
  if (!numberFlag(p, "max-deliveries", 1, 1000, worker.maxDeliveries, &v, &error)) {
    return usageError("worker", error);
  }
  worker.maxDeliveries = int(v);
  if (!numberFlag(p, "grace-sec", 0, 86400, worker.graceSec, &v, &error)) {
    return usageError("worker", error);
  }
  worker.graceSec = v;
  avatar::RenderOptions options;
  if (auto device = p.value("device")) {
    if (!avatar::fromString(*device, &options.device)) {
      return usageError("worker", "--device must be auto, cpu or cuda");
    }
  }
  service.engine = engineConfigFrom(p, options);
  return avatar::server::runQueueWorker(service, worker);
}

}  // namespace app
