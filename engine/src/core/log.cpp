#include "avatar/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace avatar {
namespace {

std::mutex& sinkMutex() {
  static std::mutex m;
  return m;
}

LogSink& sinkSlot() {
  static LogSink sink;
  return sink;
}

std::atomic<int>& levelSlot() {
  static std::atomic<int> level{static_cast<int>(LogLevel::Info)};
  return level;
}

}  // namespace

const char* logLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::Debug:
      return "debug";
    case LogLevel::Info:
      return "info";
    case LogLevel::Warning:
      return "warning";
    case LogLevel::Error:
      return "error";
    case LogLevel::Off:
      return "off";
  }
  return "info";
}

void setLogSink(LogSink sink) {
  std::lock_guard lock(sinkMutex());
  sinkSlot() = std::move(sink);
}

void setLogLevel(LogLevel level) {
  levelSlot().store(static_cast<int>(level));
}

LogLevel logLevel() {
  return static_cast<LogLevel>(levelSlot().load());
}

void log(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) < levelSlot().load() || level == LogLevel::Off) return;
  std::lock_guard lock(sinkMutex());
  if (sinkSlot()) {
    sinkSlot()(level, message);
    return;
  }
  std::string line = "avatar [";
  line += logLevelName(level);
  line += "] ";
  line += message;
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace avatar
