// Name tables for the option enums: one place that lists every value's JSON name.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "avatar/options.h"

namespace avatar::detail {

template <typename E>
struct EnumNames;

#define AVATAR_ENUM_NAMES(Type, ...)                                         \
  template <>                                                                \
  struct EnumNames<Type> {                                                   \
    static constexpr std::pair<Type, const char*> kValues[] = {__VA_ARGS__}; \
  };

AVATAR_ENUM_NAMES(QualityMode, {QualityMode::Auto, "auto"}, {QualityMode::RealTime, "real_time"},
                  {QualityMode::HighQuality, "high_quality"})
AVATAR_ENUM_NAMES(LipSyncBackend, {LipSyncBackend::Auto, "auto"},
                  {LipSyncBackend::Builtin, "builtin"}, {LipSyncBackend::Wav2Lip, "wav2lip"},
                  {LipSyncBackend::Diff2Lip, "diff2lip"})
AVATAR_ENUM_NAMES(Enhancer, {Enhancer::None, "none"}, {Enhancer::Gfpgan, "gfpgan"})
AVATAR_ENUM_NAMES(HeadMotion, {HeadMotion::Natural, "natural"}, {HeadMotion::Still, "still"})
AVATAR_ENUM_NAMES(FitMode, {FitMode::Cover, "cover"}, {FitMode::Contain, "contain"})
AVATAR_ENUM_NAMES(VideoEncoder, {VideoEncoder::Auto, "auto"}, {VideoEncoder::Libx264, "libx264"},
                  {VideoEncoder::Nvenc, "h264_nvenc"})
AVATAR_ENUM_NAMES(ComputeDevice, {ComputeDevice::Auto, "auto"}, {ComputeDevice::Cpu, "cpu"},
                  {ComputeDevice::Cuda, "cuda"})

AVATAR_ENUM_NAMES(VisemeMethod, {VisemeMethod::Spectral, "spectral"},
                  {VisemeMethod::EnglishPhonemes, "english"})
AVATAR_ENUM_NAMES(LicencePolicy, {LicencePolicy::Any, "any"},
                  {LicencePolicy::Commercial, "commercial"})
AVATAR_ENUM_NAMES(MouthPaste, {MouthPaste::Feathered, "feathered"}, {MouthPaste::Hard, "hard"})

AVATAR_ENUM_NAMES(MotionBackend, {MotionBackend::Auto, "auto"}, {MotionBackend::Builtin, "builtin"},
                  {MotionBackend::Fomm, "fomm"})
AVATAR_ENUM_NAMES(DriverLoop, {DriverLoop::PingPong, "pingpong"}, {DriverLoop::Loop, "loop"},
                  {DriverLoop::Hold, "hold"})
AVATAR_ENUM_NAMES(DriverMouth, {DriverMouth::Audio, "audio"}, {DriverMouth::Video, "video"})
AVATAR_ENUM_NAMES(DriverReference, {DriverReference::First, "first"},
                  {DriverReference::Best, "best"})
AVATAR_ENUM_NAMES(FommMovement, {FommMovement::Relative, "relative"},
                  {FommMovement::Absolute, "absolute"})
AVATAR_ENUM_NAMES(FommScale, {FommScale::Adapt, "adapt"}, {FommScale::None, "none"})

#undef AVATAR_ENUM_NAMES

template <typename E>
const char* enumName(E value) {
  for (const auto& [v, name] : EnumNames<E>::kValues) {
    if (v == value) return name;
  }
  return EnumNames<E>::kValues[0].second;
}

template <typename E>
bool enumFromName(const std::string& s, E* out) {
  for (const auto& [v, name] : EnumNames<E>::kValues) {
    if (s == name) {
      *out = v;
      return true;
    }
  }
  return false;
}

template <typename E>
std::vector<std::string> enumNameList() {
  std::vector<std::string> names;
  for (const auto& entry : EnumNames<E>::kValues) names.emplace_back(entry.second);
  return names;
}

}  // namespace avatar::detail
