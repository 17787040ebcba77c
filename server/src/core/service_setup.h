// Start-up pieces shared by `serve` and `mcp`: the Qt application object,
// signal handling, the default data directory, the engine.
#pragma once

#include <QCoreApplication>
#include <memory>
#include <string>

#include "avatar/engine.h"

namespace avatar::server {

// Exit codes of run*Server() (the CLI's documented codes).
constexpr int kServerExitOk = 0;
constexpr int kServerExitFailure = 1;  // could not start (port in use, data dir locked, ...)
constexpr int kServerExitUsage = 2;    // bad configuration (missing input root, ...)

// A QCoreApplication for a headless front-end; SIGINT/SIGTERM quit its event
// loop (for a clean shutdown); SIGPIPE is ignored.
std::unique_ptr<QCoreApplication> makeHeadlessApp();

// $XDG_DATA_HOME/avatar-renderer/<frontEnd>, else ~/.local/share/avatar-renderer/<frontEnd>.
std::string defaultDataDir(const std::string& frontEnd);

// Creates the shared engine; prints the reason on stderr on failure.
std::shared_ptr<const avatar::Engine> createEngine(const avatar::EngineConfig& config);

}  // namespace avatar::server
