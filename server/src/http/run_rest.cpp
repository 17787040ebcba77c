// runRestServer(): `avatar-renderer serve`.
#include <cstdio>

#include "avatar/log.h"
#include "avatar_server/server.h"
#include "core/path_policy.h"
#include "core/service_setup.h"
#include "http/rest_server.h"
#include "jobs/job_service.h"

namespace avatar::server {

int runRestServer(const ServiceConfig& serviceConfig, const HttpConfig& http) {
  auto app = makeHeadlessApp();
  ServiceConfig config = serviceConfig;
  if (config.dataDir.empty()) config.dataDir = defaultDataDir("server");
  PathPolicy paths(config.inputRoots, config.anyPathWhenNoRoots);
  if (auto err = paths.init()) {
    std::fprintf(stderr, "avatar-renderer serve: --input-root %s\n", err->message().c_str());
    return kServerExitUsage;
  }
  auto engine = createEngine(config.engine);
  if (!engine) return kServerExitFailure;
  JobService jobs(config, engine);
  if (auto err = jobs.open()) {
    std::fprintf(stderr, "avatar-renderer serve: %s\n", err->message().c_str());
    return kServerExitFailure;
  }
  int rc = kServerExitOk;
  {
    RestServer server(jobs, paths, http);
    std::string error;
    quint16 port = 0;
    if (!server.start(&error, &port)) {
      std::fprintf(stderr, "avatar-renderer serve: %s\n", error.c_str());
      jobs.shutdown();
      return kServerExitFailure;
    }
    std::printf("avatar-renderer serve: listening on http://%s:%u (data: %s)\n", http.host.c_str(),
                unsigned(port), jobs.config().dataDir.c_str());
    std::fflush(stdout);
    if (paths.roots().empty()) {
      avatar::log(avatar::LogLevel::Info,
                  "no --input-root: server-side paths are refused; use POST /render-upload");
    }
    if (http.host != "127.0.0.1" && http.host != "localhost" && http.host != "::1" &&
        http.token.empty()) {
      avatar::log(avatar::LogLevel::Warning,
                  "listening beyond loopback without --token: anyone who reaches the port can "
                  "submit renders");
    }
    rc = app->exec();
  }
  jobs.shutdown();
  avatar::log(avatar::LogLevel::Info, "server stopped");
  return rc;
}

}  // namespace avatar::server
