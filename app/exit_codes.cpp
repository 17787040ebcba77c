#include "exit_codes.h"

namespace app {

int exitCodeFor(avatar::ErrorCode code) {
  using avatar::ErrorCode;
  switch (code) {
    case ErrorCode::Ok:
      return kExitOk;
    case ErrorCode::InvalidArgument:
      return kExitUsage;
    case ErrorCode::InputNotFound:
      return 3;
    case ErrorCode::InputNotReadable:
      return 4;
    case ErrorCode::InputEmpty:
      return 5;
    case ErrorCode::UnsupportedMedia:
      return 6;
    case ErrorCode::ImageTooLarge:
      return 7;
    case ErrorCode::NoAudioStream:
      return 8;
    case ErrorCode::AudioEmpty:
      return 9;
    case ErrorCode::OutputNotWritable:
      return 10;
    case ErrorCode::OutputSameAsInput:
      return 11;
    case ErrorCode::NoFaceDetected:
      return 12;
    case ErrorCode::ModelMissing:
      return 13;
    case ErrorCode::ModelInvalid:
      return 14;
    case ErrorCode::DeviceUnavailable:
      return 15;
    case ErrorCode::OutOfMemory:
      return 16;
    case ErrorCode::EncoderFailed:
      return 17;
    case ErrorCode::Cancelled:
      return kExitCancelled;
    case ErrorCode::Internal:
      return kExitInternal;
    case ErrorCode::InputTooLarge:
      return 18;
    case ErrorCode::InputTooLong:
      return 19;
  }
  return kExitInternal;
}

}  // namespace app
