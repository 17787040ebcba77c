// Progress output of the render command, on stderr (stdout belongs to MCP
// and to command output): a redrawn bar on a terminal, JSON lines for
// machines, or nothing.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "avatar/progress.h"
#include "avatar/session.h"

namespace app {

enum class ProgressMode { Bar, Json, None };

class ProgressPrinter final : public avatar::ProgressSink {
 public:
  explicit ProgressPrinter(ProgressMode mode);
  ~ProgressPrinter() override;
  void start(const avatar::RenderRequest& request);
  // In JSON mode, engine log lines become {"event":"log"} objects so every
  // stderr line parses.
  void installLogSink();
  void onProgress(double overall, std::string_view stage, double stageFraction) override;
  void success(const avatar::RenderResult& result);
  void failure(const avatar::Status& status, int exitCode);

 private:
  void writeLine(const std::string& line);
  ProgressMode mode_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point lastEmit_;
  double lastOverall_ = -1;
  bool barDrawn_ = false;
  bool sinkInstalled_ = false;
  std::mutex mutex_;
};

}  // namespace app
