#include "progress_printer.h"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "avatar/log.h"
#include "avatar/utf8.h"

namespace app {
namespace {

using Json = nlohmann::ordered_json;

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string formatDuration(double sec) {
  if (!std::isfinite(sec) || sec < 0) return "--:--";
  const int s = int(sec + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%02d:%02d", s / 60, s % 60);
  }
  return buf;
}

// Every line is valid UTF-8 JSON whatever bytes paths and messages hold:
// strings are made valid (invalid bytes shown as \xHH) where they are put
// in, and the dump replaces anything left rather than throwing.
std::string line(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string text(std::string_view s) {
  return avatar::toValidUtf8(s);
}

double round3(double v) {
  return std::round(v * 1000.0) / 1000.0;
}

}  // namespace

ProgressPrinter::ProgressPrinter(ProgressMode mode)
    : mode_(mode), start_(std::chrono::steady_clock::now()), lastEmit_(start_) {}

void ProgressPrinter::writeLine(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

ProgressPrinter::~ProgressPrinter() {
  if (sinkInstalled_) avatar::setLogSink({});
}

void ProgressPrinter::installLogSink() {
  if (mode_ != ProgressMode::Json) return;
  sinkInstalled_ = true;
  avatar::setLogSink([this](avatar::LogLevel level, std::string_view message) {
    Json j = {{"event", "log"}, {"level", avatar::logLevelName(level)}, {"message", text(message)}};
    writeLine(line(j));
  });
}

void ProgressPrinter::start(const avatar::RenderRequest& r) {
  start_ = std::chrono::steady_clock::now();
  if (mode_ != ProgressMode::Json) return;
  Json j = {{"event", "start"},
            {"image", text(r.imagePath)},
            {"audio", text(r.audioPath)},
            {"output", text(r.outputPath)}};
  writeLine(line(j));
}

void ProgressPrinter::onProgress(double overall, std::string_view stage, double stageFraction) {
  std::lock_guard lock(mutex_);
  if (mode_ == ProgressMode::None) return;
  const auto now = std::chrono::steady_clock::now();
  const double sinceLast = std::chrono::duration<double>(now - lastEmit_).count();
  // At most ~10 updates a second, plus every whole percent for JSON.
  const bool percentStep = std::floor(overall * 100) != std::floor(lastOverall_ * 100);
  if (overall < 1.0 && sinceLast < 0.1 && !(mode_ == ProgressMode::Json && percentStep)) return;
  if (overall == lastOverall_) return;
  lastEmit_ = now;
  lastOverall_ = overall;
  const double elapsed = secondsSince(start_);
  const double eta = overall > 0.02 ? elapsed * (1 - overall) / overall : NAN;
  if (mode_ == ProgressMode::Json) {
    Json j = {{"event", "progress"},
              {"progress", round3(overall)},
              {"stage", text(stage)},
              {"stageProgress", round3(stageFraction)},
              {"elapsedSec", round3(elapsed)}};
    if (std::isfinite(eta)) j["etaSec"] = round3(eta);
    writeLine(line(j));
    return;
  }
  constexpr int kWidth = 30;
  const int filled = int(overall * kWidth);
  std::string bar = "\r[" + std::string(filled, '#') + std::string(kWidth - filled, ' ') + "] ";
  char pct[64];
  std::snprintf(pct, sizeof pct, "%3d%% %-8.8s ", int(overall * 100), std::string(stage).c_str());
  bar += pct + formatDuration(elapsed) + " elapsed, " + formatDuration(eta) + " left ";
  writeLine(bar);
  barDrawn_ = true;
}

void ProgressPrinter::success(const avatar::RenderResult& r) {
  std::lock_guard lock(mutex_);
  const double elapsed = secondsSince(start_);
  if (mode_ == ProgressMode::Json) {
    Json j = {{"event", "success"},
              {"output", text(r.outputPath)},
              {"frames", r.frameCount},
              {"durationSec", round3(r.durationSec)},
              {"videoEncoder", r.videoEncoder},
              {"elapsedSec", round3(elapsed)},
              {"notes", r.notes}};
    writeLine(line(j));
  } else if (mode_ == ProgressMode::Bar) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%sWrote %s: %d frames, %.2f s, in %s\n", barDrawn_ ? "\n" : "",
                  r.outputPath.c_str(), r.frameCount, r.durationSec,
                  formatDuration(elapsed).c_str());
    writeLine(buf);
  }
}

void ProgressPrinter::failure(const avatar::Status& s, int exitCode) {
  std::lock_guard lock(mutex_);
  if (mode_ == ProgressMode::Json) {
    Json j = {{"event", "failure"},
              {"code", avatar::errorCodeName(s.code())},
              {"exitCode", exitCode},
              {"subject", text(s.subject())},
              {"message", text(s.message())}};
    writeLine(line(j));
    return;
  }
  writeLine(std::string(barDrawn_ ? "\n" : "") + "error: " + s.message() + " [" +
            avatar::errorCodeName(s.code()) + "]\n");
}

}  // namespace app
