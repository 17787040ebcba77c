// Status: how every public engine call reports success or failure.
//
// Exceptions never cross the engine boundary. A failed call returns a Status
// with a stable ErrorCode (names and numbers never change meaning), the input
// it concerns (a path, an option name) and a readable English detail for logs.
// Front-ends map codes to their own words: ui/ to tr() strings, REST to HTTP
// statuses, the CLI to exit codes, MCP to isError results.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace avatar {

enum class ErrorCode : int {
  Ok = 0,
  InvalidArgument,    // an option or request field is malformed or out of range
  InputNotFound,      // an input path does not exist
  InputNotReadable,   // exists but is a directory, not a file, or permission denied
  InputEmpty,         // a zero-byte input file
  UnsupportedMedia,   // not a format we decode, or corrupt/truncated data
  ImageTooLarge,      // image dimensions beyond the configured limit
  NoAudioStream,      // a media file without any audio stream
  AudioEmpty,         // decodable audio that holds no samples
  OutputNotWritable,  // the output directory is missing or not writable
  OutputSameAsInput,  // the output path would overwrite an input
  NoFaceDetected,     // no usable face in the photo
  ModelMissing,       // a model file the request needs is not installed
  ModelInvalid,       // a model file is corrupt or does not match the architecture
  DeviceUnavailable,  // e.g. CUDA asked for but absent
  OutOfMemory,
  EncoderFailed,  // the video/audio encoder or muxer failed
  Cancelled,      // a stop was requested
  Internal,       // a bug: please report it
  // Appended later (numbers never change meaning).
  InputTooLarge,  // an input file is larger than its limit (e.g. an options file)
  InputTooLong,   // audio longer than the configured limit (EngineConfig::maxAudioSec)
};

// The highest code: loops over every code end here, not at Internal.
constexpr ErrorCode kLastErrorCode = ErrorCode::InputTooLong;

// Stable identifier, e.g. "InputNotFound". Used in JSON and logs.
const char* errorCodeName(ErrorCode code);
// Inverse of errorCodeName; returns false for an unknown name.
bool errorCodeFromName(std::string_view name, ErrorCode* out);

class Status {
 public:
  Status() = default;  // Ok
  static Status ok() { return {}; }
  // `subject` names what the error is about (a path, a field); may be empty.
  static Status error(ErrorCode code, std::string subject, std::string detail);

  bool isOk() const { return code_ == ErrorCode::Ok; }
  explicit operator bool() const { return isOk(); }
  ErrorCode code() const { return code_; }
  const std::string& subject() const { return subject_; }
  const std::string& detail() const { return detail_; }
  // Outer context added while the error travelled up ("while opening session").
  const std::vector<std::string>& context() const { return context_; }

  // Adds outer context; returns *this for chaining. No-op on Ok.
  Status& addContext(std::string what);
  // "<subject>: <detail>" plus context, for logs and CLI messages.
  std::string message() const;

 private:
  ErrorCode code_ = ErrorCode::Ok;
  std::string subject_;
  std::string detail_;
  std::vector<std::string> context_;
};

}  // namespace avatar
