// Pieces shared by the headless subcommands.
#pragma once

#include <string>

#include "avatar/engine.h"
#include "avatar/status.h"
#include "cli_args.h"

namespace app {

class ProgressPrinter;

// --models-dir, --threads, --max-audio-sec, --log-level, --quiet, --help.
void addCommonFlags(ArgParser& p);
// Applies --log-level/--quiet; returns kExitOk or a usage exit code.
int applyCommonFlags(const ArgParser& p);
avatar::EngineConfig engineConfigFrom(const ArgParser& p, const avatar::RenderOptions& options);

// Prints "avatar-renderer <command>: <message>" and returns kExitUsage.
int usageError(const char* command, const std::string& message);
// Reports through the printer (JSON or text) and returns the exit code.
int reportFailure(ProgressPrinter& printer, const avatar::Status& status);

// A preset/options file, at most avatar::kMaxOptionsFileBytes (checked before
// reading).
avatar::Status readTextFile(const std::string& path, const char* role, std::string* out);

}  // namespace app
