#include "cli_common.h"

#include <cstdio>
#include <optional>

#include "avatar/files.h"
#include "avatar/log.h"
#include "avatar/utf8.h"
#include "exit_codes.h"
#include "progress_printer.h"

namespace app {
namespace {

// --threads as a whole integer within 0..kMaxCpuThreads; nullopt when absent
// or invalid.
std::optional<int> threadsFlag(const ArgParser& p) {
  const auto v = p.value("threads");
  if (!v || v->empty() || v->size() > 6) return std::nullopt;
  int n = 0;
  for (char c : *v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (n > avatar::kMaxCpuThreads) return std::nullopt;
  return n;
}

std::optional<double> maxAudioSecFlag(const ArgParser& p) {
  const auto v = p.value("max-audio-sec");
  if (!v) return std::nullopt;
  try {
    size_t used = 0;
    const double d = std::stod(*v, &used);
    if (used != v->size() || !(d > 0 && d <= avatar::kMaxAudioSecLimit)) return std::nullopt;
    return d;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

void addCommonFlags(ArgParser& p) {
  p.add({"models-dir", "", true, "DIR",
         "Model files directory (default: $AVATAR_MODELS_DIR or built in)."});
  p.add({"threads", "", true, "N",
         "CPU threads for neural nets, 0.." + std::to_string(avatar::kMaxCpuThreads) +
             " (default 0: all cores)."});
  p.add({"max-audio-sec", "", true, "S",
         "Longest speech accepted, in seconds, up to " +
             std::to_string(int(avatar::kMaxAudioSecLimit)) + " (default " +
             std::to_string(int(avatar::kDefaultMaxAudioSec)) + ")."});
  p.add({"log-level", "", true, "LEVEL", "debug|info|warning|error|off (default info)."});
  p.add({"quiet", "q", false, "", "Only errors on stderr."});
  p.add({"help", "h", false, "", "Show this help."});
}

int applyCommonFlags(const ArgParser& p) {
  if (p.has("quiet")) avatar::setLogLevel(avatar::LogLevel::Error);
  if (auto level = p.value("log-level")) {
    static const std::pair<const char*, avatar::LogLevel> kLevels[] = {
        {"debug", avatar::LogLevel::Debug},
        {"info", avatar::LogLevel::Info},
        {"warning", avatar::LogLevel::Warning},
        {"error", avatar::LogLevel::Error},
        {"off", avatar::LogLevel::Off}};
    bool found = false;
    for (const auto& [name, value] : kLevels) {
      if (*level == name) {
        avatar::setLogLevel(value);
        found = true;
      }
    }
    if (!found) return usageError("", "--log-level must be debug, info, warning, error or off");
  }
  if (p.has("threads") && !threadsFlag(p)) {
    return usageError("", "--threads must be an integer from 0 (all cores) to " +
                              std::to_string(avatar::kMaxCpuThreads) + ", not \"" +
                              avatar::toValidUtf8(*p.value("threads")) + "\"");
  }
  if (p.has("max-audio-sec") && !maxAudioSecFlag(p)) {
    return usageError("", "--max-audio-sec must be a number of seconds above 0 and at most " +
                              std::to_string(int(avatar::kMaxAudioSecLimit)) + ", not \"" +
                              avatar::toValidUtf8(*p.value("max-audio-sec")) + "\"");
  }
  return kExitOk;
}

avatar::EngineConfig engineConfigFrom(const ArgParser& p, const avatar::RenderOptions& options) {
  avatar::EngineConfig config;
  config.modelsDir = p.value("models-dir").value_or("");
  config.cpuThreads = threadsFlag(p).value_or(0);
  config.maxAudioSec = maxAudioSecFlag(p).value_or(avatar::kDefaultMaxAudioSec);
  config.device = options.device;
  return config;
}

int usageError(const char* command, const std::string& message) {
  std::fprintf(stderr, "avatar-renderer%s%s: %s\nTry `avatar-renderer %s--help`.\n",
               *command ? " " : "", command, avatar::toValidUtf8(message).c_str(),
               *command ? (std::string(command) + " ").c_str() : "");
  return kExitUsage;
}

int reportFailure(ProgressPrinter& printer, const avatar::Status& status) {
  const int code = exitCodeFor(status.code());
  printer.failure(status, code);
  return code;
}

avatar::Status readTextFile(const std::string& path, const char* role, std::string* out) {
  return avatar::readInputFile(path, role, avatar::kMaxOptionsFileBytes, out);
}

}  // namespace app
