// Process exit codes of avatar-renderer: stable, documented in README and
// docs/CLI.md. Each engine error code has its own exit code.
#pragma once

#include "avatar/status.h"

namespace app {

constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitUsage = 2;        // bad command line or option value
constexpr int kExitCancelled = 130;  // interrupted (SIGINT) or cancelled

int exitCodeFor(avatar::ErrorCode code);

}  // namespace app
