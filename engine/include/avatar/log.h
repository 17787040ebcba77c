// Logging: the engine never writes to stdout (stdout belongs to MCP).
//
// Messages go to one process-wide sink, stderr by default. The sink may be
// called from any engine thread at once; the engine serialises calls, so a
// sink need not be thread-safe itself, but it must not call back into the
// engine.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace avatar {

enum class LogLevel { Debug = 0, Info = 1, Warning = 2, Error = 3, Off = 4 };

using LogSink = std::function<void(LogLevel, std::string_view message)>;

// Replaces the sink; an empty function restores the stderr sink.
void setLogSink(LogSink sink);
// Messages below this level are dropped (default Info).
void setLogLevel(LogLevel level);
LogLevel logLevel();
void log(LogLevel level, std::string_view message);
const char* logLevelName(LogLevel level);

}  // namespace avatar
