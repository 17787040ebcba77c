// avatar-renderer serve: the REST server (avatar_server).
#include <cstdio>
#include <cstdlib>

#include "avatar_server/server.h"
#include "cli_common.h"
#include "cli_service_flags.h"
#include "exit_codes.h"
#include "frontends.h"

namespace app {

int runServe(int argc, char** argv) {
  ArgParser p;
  p.add({"host", "", true, "HOST", "Address to bind (default 127.0.0.1: this machine only)."});
  p.add({"port", "", true, "N", "TCP port (default 8080; 0 = any free port, printed)."});
  p.add({"token", "", true, "TOKEN",
         "Require Authorization: Bearer TOKEN (default: $AVATAR_SERVER_TOKEN, else none)."});
  p.add({"max-upload-mb", "", true, "MB", "Largest /render-upload body (default 64)."});
  p.add({"max-json-kb", "", true, "KB", "Largest body of other requests (default 1024)."});
  p.add({"idle-timeout-sec", "", true, "S", "Close idle connections after S s (default 15)."});
  p.add(
      {"header-timeout-sec", "", true, "S", "A request head must arrive within S s (default 10)."});
  p.add({"max-connections", "", true, "N",
         "Open connections at most (default 256; 4 more are kept for /health probes)."});
  p.add({"max-inflight-body-mb", "", true, "MB",
         "Request bodies being received at once, in all (default 256; 0 = no limit): "
         "beyond it 503 + Retry-After."});
  p.add({"min-body-kbps", "", true, "KB",
         "Slowest accepted body upload in KB/s (default 64; 0 = no body deadline): a body must "
         "arrive within the header timeout + its size at this rate."});
  p.add({"print-openapi", "", false, "", "Print the OpenAPI document and exit."});
  addServiceFlags(p);
  std::string error;
  if (!p.parse(argc, argv, 2, &error)) return usageError("serve", error);
  if (p.has("help")) {
    std::printf(
        "Usage: avatar-renderer serve [--host H] [--port N] [--input-root DIR ...] [--token T]\n"
        "                             [--data-dir DIR] [options]\n\n"
        "REST server: POST /render, POST /render-upload, GET /status/{jobId}, GET /jobs, ...\n"
        "(docs/API.md, or GET /openapi.json). Stops cleanly on SIGINT/SIGTERM: a running\n"
        "render goes back to the queue for the next start.\n\nOptions:\n%s",
        p.helpText().c_str());
    return kExitOk;
  }
  if (int rc = applyCommonFlags(p); rc != kExitOk) return rc;
  avatar::server::HttpConfig http;
  http.host = p.value("host").value_or(http.host);
  const char* envToken = std::getenv("AVATAR_SERVER_TOKEN");
  http.token = p.value("token").value_or(envToken ? envToken : "");
  double v = 0;
  if (!numberFlag(p, "port", 0, 65535, http.port, &v, &error)) return usageError("serve", error);
  http.port = int(v);
  if (!numberFlag(p, "max-upload-mb", 0.001, 1 << 20, double(http.maxUploadBytes) / (1 << 20), &v,
                  &error)) {
    return usageError("serve", error);
  }
  http.maxUploadBytes = int64_t(v * (1 << 20));
  if (!numberFlag(p, "max-json-kb", 1, 1 << 20, double(http.maxJsonBytes) / 1024, &v, &error)) {
    return usageError("serve", error);
  }
  http.maxJsonBytes = int64_t(v * 1024);
  if (!numberFlag(p, "idle-timeout-sec", 0.1, 86400, http.idleTimeoutMs / 1000.0, &v, &error)) {
    return usageError("serve", error);
  }
  http.idleTimeoutMs = int(v * 1000);
  if (!numberFlag(p, "header-timeout-sec", 0.1, 3600, http.headerTimeoutMs / 1000.0, &v, &error)) {
    return usageError("serve", error);
  }
  http.headerTimeoutMs = int(v * 1000);
  if (!numberFlag(p, "max-connections", 1, 100000, http.maxConnections, &v, &error)) {
    return usageError("serve", error);
  }
  http.maxConnections = int(v);
  if (!numberFlag(p, "max-inflight-body-mb", 0, 1 << 20,
                  double(http.maxInflightBodyBytes) / (1 << 20), &v, &error)) {
    return usageError("serve", error);
  }
  http.maxInflightBodyBytes = int64_t(v * (1 << 20));
  if (!numberFlag(p, "min-body-kbps", 0, 1 << 20, double(http.minBodyBytesPerSec) / 1024, &v,
                  &error)) {
    return usageError("serve", error);
  }
  http.minBodyBytesPerSec = int64_t(v * 1024);
  if (p.has("print-openapi")) {
    std::printf("%s\n", avatar::server::openApiDocument(http).c_str());
    return kExitOk;
  }
  avatar::server::ServiceConfig config;
  config.anyPathWhenNoRoots = false;
  if (!serviceConfigFrom(p, &config, &error)) return usageError("serve", error);
  return avatar::server::runRestServer(config, http);
}

}  // namespace app
