#include "avatar/status.h"

#include <array>
#include <utility>

namespace avatar {
namespace {

struct CodeName {
  ErrorCode code;
  const char* name;
};

constexpr std::array kCodeNames = {
    CodeName{ErrorCode::Ok, "Ok"},
    CodeName{ErrorCode::InvalidArgument, "InvalidArgument"},
    CodeName{ErrorCode::InputNotFound, "InputNotFound"},
    CodeName{ErrorCode::InputNotReadable, "InputNotReadable"},
    CodeName{ErrorCode::InputEmpty, "InputEmpty"},
    CodeName{ErrorCode::UnsupportedMedia, "UnsupportedMedia"},
    CodeName{ErrorCode::ImageTooLarge, "ImageTooLarge"},
    CodeName{ErrorCode::NoAudioStream, "NoAudioStream"},
    CodeName{ErrorCode::AudioEmpty, "AudioEmpty"},
    CodeName{ErrorCode::OutputNotWritable, "OutputNotWritable"},
    CodeName{ErrorCode::OutputSameAsInput, "OutputSameAsInput"},
    CodeName{ErrorCode::NoFaceDetected, "NoFaceDetected"},
    CodeName{ErrorCode::ModelMissing, "ModelMissing"},
    CodeName{ErrorCode::ModelInvalid, "ModelInvalid"},
    CodeName{ErrorCode::DeviceUnavailable, "DeviceUnavailable"},
    CodeName{ErrorCode::OutOfMemory, "OutOfMemory"},
    CodeName{ErrorCode::EncoderFailed, "EncoderFailed"},
    CodeName{ErrorCode::Cancelled, "Cancelled"},
    CodeName{ErrorCode::Internal, "Internal"},
    CodeName{ErrorCode::InputTooLarge, "InputTooLarge"},
    CodeName{ErrorCode::InputTooLong, "InputTooLong"},
};

}  // namespace

const char* errorCodeName(ErrorCode code) {
  for (const auto& entry : kCodeNames) {
    if (entry.code == code) return entry.name;
  }
  return "Internal";
}

bool errorCodeFromName(std::string_view name, ErrorCode* out) {
  for (const auto& entry : kCodeNames) {
    if (name == entry.name) {
      *out = entry.code;
      return true;
    }
  }
  return false;
}

Status Status::error(ErrorCode code, std::string subject, std::string detail) {
  Status s;
  s.code_ = code;
  s.subject_ = std::move(subject);
  s.detail_ = std::move(detail);
  return s;
}

Status& Status::addContext(std::string what) {
  if (!isOk()) context_.push_back(std::move(what));
  return *this;
}

std::string Status::message() const {
  if (isOk()) return "ok";
  std::string text;
  for (auto it = context_.rbegin(); it != context_.rend(); ++it) text += *it + ": ";
  if (!subject_.empty()) text += subject_ + ": ";
  text += detail_;
  return text;
}

}  // namespace avatar
