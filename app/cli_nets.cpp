// avatar-renderer nets: placeholder until the neural backends stream lands
// (issue 6), which replaces this file.
#include <cstdio>

#include "commands.h"
#include "exit_codes.h"

namespace app {

int runNets(int, char**) {
  std::fprintf(stderr, "avatar-renderer nets: not part of this build yet\n");
  return kExitUsage;
}

}  // namespace app
