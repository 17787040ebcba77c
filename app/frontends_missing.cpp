// Stand-ins for front-ends that this build does not include.
#include <cstdio>

#include "exit_codes.h"
#include "frontends.h"

namespace app {

namespace {
int notBuilt(const char* what, const char* option) {
  std::fprintf(stderr,
               "avatar-renderer: the %s is not part of this build (configure with -D%s=ON).\n"
               "Try `avatar-renderer --help`.\n",
               what, option);
  return kExitUsage;
}
}  // namespace

#ifndef AVATAR_HAS_UI
int runStudio(int, char**) {
  return notBuilt("desktop studio", "AVATAR_BUILD_UI");
}
#endif
#ifndef AVATAR_HAS_SERVER
int runServe(int, char**) {
  return notBuilt("REST server", "AVATAR_BUILD_SERVER");
}
int runMcp(int, char**) {
  return notBuilt("MCP server", "AVATAR_BUILD_SERVER");
}
int runWorker(int, char**) {
  return notBuilt("render worker", "AVATAR_BUILD_SERVER");
}
#endif

}  // namespace app
