#include "options/enum_names.h"

namespace avatar {

#define AVATAR_ENUM_STRINGS(Type)                    \
  const char* toString(Type v) {                     \
    return detail::enumName(v);                      \
  }                                                  \
  bool fromString(const std::string& s, Type* out) { \
    return detail::enumFromName(s, out);             \
  }

AVATAR_ENUM_STRINGS(QualityMode)
AVATAR_ENUM_STRINGS(LipSyncBackend)
AVATAR_ENUM_STRINGS(Enhancer)
AVATAR_ENUM_STRINGS(HeadMotion)
AVATAR_ENUM_STRINGS(FitMode)
AVATAR_ENUM_STRINGS(VideoEncoder)
AVATAR_ENUM_STRINGS(ComputeDevice)
AVATAR_ENUM_STRINGS(VisemeMethod)
AVATAR_ENUM_STRINGS(LicencePolicy)
AVATAR_ENUM_STRINGS(MouthPaste)
AVATAR_ENUM_STRINGS(MotionBackend)
AVATAR_ENUM_STRINGS(DriverLoop)
AVATAR_ENUM_STRINGS(DriverMouth)
AVATAR_ENUM_STRINGS(DriverReference)
AVATAR_ENUM_STRINGS(FommMovement)
AVATAR_ENUM_STRINGS(FommScale)

#undef AVATAR_ENUM_STRINGS

}  // namespace avatar
