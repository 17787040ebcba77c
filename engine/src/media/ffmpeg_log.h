#pragma once

namespace avatar::detail {

// Routes FFmpeg's own log lines into the engine log at debug level, so
// library chatter never reaches stdout and only our errors reach users.
void installFfmpegLogBridge();

}  // namespace avatar::detail
