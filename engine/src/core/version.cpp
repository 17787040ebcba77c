#include "avatar/version.h"

#include <string>

extern "C" {
#include <libavcodec/version.h>
#include <libavformat/version.h>
}
#include <opencv2/core/version.hpp>

#include "avatar_nets/runtime.h"

#ifndef AVATAR_VERSION
#define AVATAR_VERSION "0.0.0"
#endif

namespace avatar {

const char* versionString() {
  return AVATAR_VERSION;
}

const char* buildInfo() {
  static const std::string info = std::string("avatar-renderer ") + AVATAR_VERSION +
                                  " (FFmpeg libavcodec " LIBAVCODEC_IDENT ", libavformat " +
                                  LIBAVFORMAT_IDENT + ", OpenCV " CV_VERSION ", LibTorch " +
                                  nets::torchVersion() + ")";
  return info.c_str();
}

}  // namespace avatar
