#include "avatar_nets/net_status.h"

namespace avatar::nets {

const char* netErrorName(NetError e) {
  switch (e) {
    case NetError::Ok:
      return "Ok";
    case NetError::InvalidArgument:
      return "InvalidArgument";
    case NetError::FileNotFound:
      return "FileNotFound";
    case NetError::InvalidFile:
      return "InvalidFile";
    case NetError::WeightsMismatch:
      return "WeightsMismatch";
    case NetError::InvalidWeights:
      return "InvalidWeights";
    case NetError::DeviceUnavailable:
      return "DeviceUnavailable";
    case NetError::OutOfMemory:
      return "OutOfMemory";
    case NetError::Internal:
      return "Internal";
  }
  return "Internal";
}

}  // namespace avatar::nets
