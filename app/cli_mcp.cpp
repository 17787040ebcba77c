// avatar-renderer mcp: the MCP server on stdio (avatar_server).
#include <cstdio>

#include "avatar_server/server.h"
#include "cli_common.h"
#include "cli_service_flags.h"
#include "exit_codes.h"
#include "frontends.h"

namespace app {

int runMcp(int argc, char** argv) {
  ArgParser p;
  p.add({"print-manifest", "", false, "",
         "Print the gateway registration (packaging/mcp-tool.json) and exit."});
  addServiceFlags(p);
  std::string error;
  if (!p.parse(argc, argv, 2, &error)) return usageError("mcp", error);
  if (p.has("help")) {
    std::printf(
        "Usage: avatar-renderer mcp [--data-dir DIR] [--input-root DIR ...] [options]\n\n"
        "MCP server on stdio (JSON-RPC 2.0, one message per line; protocol 2025-11-25,\n"
        "2025-06-18, 2025-03-26) with tools render_avatar, get_job, list_jobs, cancel_job,\n"
        "list_models; also the seed's {\"tool\": ..., \"params\": ...} lines. Logs go to\n"
        "stderr. Without --input-root any readable path is accepted. Exits at the end of\n"
        "stdin once the calls in flight have been answered.\n\nOptions:\n%s",
        p.helpText().c_str());
    return kExitOk;
  }
  if (int rc = applyCommonFlags(p); rc != kExitOk) return rc;
  if (p.has("print-manifest")) {
    std::printf("%s\n", avatar::server::mcpToolManifest().c_str());
    return kExitOk;
  }
  avatar::server::ServiceConfig config;
  config.anyPathWhenNoRoots = true;
  if (!serviceConfigFrom(p, &config, &error)) return usageError("mcp", error);
  return avatar::server::runMcpServer(config);
}

}  // namespace app
