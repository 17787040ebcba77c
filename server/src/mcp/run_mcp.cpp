// runMcpServer(): `avatar-renderer mcp`, and the gateway registration file.
#include <QCoreApplication>
#include <cstdio>

#include "avatar/log.h"
#include "avatar/version.h"
#include "avatar_server/server.h"
#include "core/path_policy.h"
#include "core/service_setup.h"
#include "jobs/job_service.h"
#include "mcp/mcp_server.h"
#include "mcp/stdio_channel.h"

namespace avatar::server {

int runMcpServer(const ServiceConfig& serviceConfig) {
  auto app = makeHeadlessApp();
  ServiceConfig config = serviceConfig;
  if (config.dataDir.empty()) config.dataDir = defaultDataDir("mcp");
  PathPolicy paths(config.inputRoots, config.anyPathWhenNoRoots);
  if (auto err = paths.init()) {
    std::fprintf(stderr, "avatar-renderer mcp: --input-root %s\n", err->message().c_str());
    return kServerExitUsage;
  }
  auto engine = createEngine(config.engine);
  if (!engine) return kServerExitFailure;
  JobService jobs(config, engine);
  if (auto err = jobs.open()) {
    std::fprintf(stderr, "avatar-renderer mcp: %s\n", err->message().c_str());
    return kServerExitFailure;
  }
  int rc = kServerExitOk;
  {
    StdioChannel channel;
    McpServer server(jobs, paths, channel);
    QObject::connect(&server, &McpServer::finished, app.get(), &QCoreApplication::quit,
                     Qt::QueuedConnection);
    channel.start();
    avatar::log(avatar::LogLevel::Info,
                "MCP server ready on stdio (data: " + jobs.config().dataDir + ")");
    rc = app->exec();
    server.cancelInFlight("cancelled: the MCP server is stopping");
    jobs.shutdown();
  }
  return rc;
}

std::string mcpToolManifest() {
  Json tools = Json::array();
  for (const Json& tool : McpServer::toolList("2025-11-25")) tools.push_back(tool);
  const Json manifest = {
      {"name", "avatar-renderer"},
      {"title", "Avatar Renderer"},
      {"description", "Talking-head video from one photo and speech (MCP over stdio)."},
      {"version", avatar::versionString()},
      {"transport", "stdio"},
      {"protocolVersions", {"2025-11-25", "2025-06-18", "2025-03-26"}},
      {"command", "avatar-renderer"},
      {"args", {"mcp"}},
      {"tools", tools}};
  return dumpJson(manifest, 2);
}

}  // namespace avatar::server
