// avatar-renderer: the desktop studio with no arguments, a headless
// subcommand otherwise. stdout is reserved for command output and MCP.
#include <cstdio>
#include <cstring>
#include <string>

#include "avatar/version.h"
#include "commands.h"
#include "exit_codes.h"
#include "frontends.h"

namespace {

void printHelp() {
  std::printf(
      "avatar-renderer %s: talking-head video from one photo and speech\n\n"
      "Usage:\n"
      "  avatar-renderer                      open the desktop studio\n"
      "  avatar-renderer render --image FACE --audio SPEECH -o OUT.mp4 [options]\n"
      "  avatar-renderer models [--json]      list model files, found or missing\n"
      "  avatar-renderer schema [--snake]     JSON Schema of render requests\n"
      "  avatar-renderer nets eval ...        run one neural net on given tensors\n"
      "  avatar-renderer serve [options]      REST server\n"
      "  avatar-renderer mcp                  MCP server on stdio\n"
      "  avatar-renderer worker --redis URL   render jobs from a Redis stream\n"
      "  avatar-renderer --version | --help\n\n"
      "`avatar-renderer COMMAND --help` describes each command.\n\n"
      "Exit codes:\n"
      "  0 success            1 internal error       2 bad usage/option\n"
      "  3 input not found    4 input not readable   5 input empty (0 bytes)\n"
      "  6 unsupported/corrupt media                 7 image too large\n"
      "  8 no audio stream    9 audio has no samples\n"
      "  10 output not writable                      11 output same as an input\n"
      "  12 no face detected  13 model missing       14 model invalid\n"
      "  15 device unavailable                       16 out of memory\n"
      "  17 encoder failed    130 cancelled\n",
      avatar::versionString());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return app::runStudio(argc, argv);
  const std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    printHelp();
    return app::kExitOk;
  }
  if (cmd == "--version" || cmd == "-V") {
    std::printf("%s\n", avatar::buildInfo());
    return app::kExitOk;
  }
  if (cmd == "render") return app::runRender(argc, argv);
  if (cmd == "models") return app::runModels(argc, argv);
  if (cmd == "schema") return app::runSchema(argc, argv);
  if (cmd == "nets") return app::runNets(argc, argv);
  if (cmd == "serve") return app::runServe(argc, argv);
  if (cmd == "mcp") return app::runMcp(argc, argv);
  if (cmd == "worker") return app::runWorker(argc, argv);
  std::fprintf(stderr, "avatar-renderer: unknown command \"%s\"\nTry `avatar-renderer --help`.\n",
               argv[1]);
  return app::kExitUsage;
}
