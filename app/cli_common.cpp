#include "cli_common.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "avatar/log.h"
#include "exit_codes.h"
#include "progress_printer.h"

namespace app {

void addCommonFlags(ArgParser& p) {
  p.add({"models-dir", "", true, "DIR",
         "Model files directory (default: $AVATAR_MODELS_DIR or built in)."});
  p.add({"threads", "", true, "N", "CPU threads for neural nets (default: all cores)."});
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
  if (auto threads = p.value("threads")) {
    try {
      if (std::stoi(*threads) < 0) throw std::out_of_range("negative");
    } catch (const std::exception&) {
      return usageError("", "--threads must be a non-negative integer");
    }
  }
  return kExitOk;
}

avatar::EngineConfig engineConfigFrom(const ArgParser& p, const avatar::RenderOptions& options) {
  avatar::EngineConfig config;
  config.modelsDir = p.value("models-dir").value_or("");
  config.cpuThreads = p.has("threads") ? std::stoi(*p.value("threads")) : 0;
  config.device = options.device;
  return config;
}

int usageError(const char* command, const std::string& message) {
  std::fprintf(stderr, "avatar-renderer%s%s: %s\nTry `avatar-renderer %s--help`.\n",
               *command ? " " : "", command, message.c_str(),
               *command ? (std::string(command) + " ").c_str() : "");
  return kExitUsage;
}

int reportFailure(ProgressPrinter& printer, const avatar::Status& status) {
  const int code = exitCodeFor(status.code());
  printer.failure(status, code);
  return code;
}

avatar::Status readTextFile(const std::string& path, const char* role, std::string* out) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return avatar::Status::error(avatar::ErrorCode::InputNotFound, path,
                                 std::string(role) + " file not found");
  }
  if (!std::filesystem::is_regular_file(path, ec)) {
    return avatar::Status::error(avatar::ErrorCode::InputNotReadable, path,
                                 std::string(role) + " is not a regular file");
  }
  std::ifstream in(path);
  if (!in) {
    return avatar::Status::error(avatar::ErrorCode::InputNotFound, path,
                                 std::string("cannot open ") + role);
  }
  std::stringstream buf;
  buf << in.rdbuf();
  *out = buf.str();
  return avatar::Status::ok();
}

}  // namespace app
