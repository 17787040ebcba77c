#include "media/ffmpeg_log.h"

#include <cstdio>
#include <mutex>
#include <string>

#include "avatar/log.h"

extern "C" {
#include <libavutil/log.h>
}

namespace avatar::detail {
namespace {

void bridge(void* avcl, int level, const char* fmt, va_list args) {
  if (level > AV_LOG_WARNING || logLevel() > LogLevel::Debug) return;
  char line[1024];
  int prefix = 1;
  av_log_format_line2(avcl, level, fmt, args, line, sizeof line, &prefix);
  std::string text = std::string("ffmpeg: ") + line;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  log(LogLevel::Debug, text);
}

}  // namespace

void installFfmpegLogBridge() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_callback(bridge); });
}

}  // namespace avatar::detail
