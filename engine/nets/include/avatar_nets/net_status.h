// NetStatus: how avatar_nets reports errors (the engine maps it to
// avatar::Status). No torch types: this header is included by the engine,
// the app, the benchmarks and the tests.
#pragma once

#include <string>

namespace avatar::nets {

enum class NetError {
  Ok = 0,
  InvalidArgument,    // bad call: wrong batch, shapes, options
  FileNotFound,       // a weights or tensor file does not exist / cannot be opened
  InvalidFile,        // not a well-formed safetensors file (truncated, lying header, ...)
  WeightsMismatch,    // well-formed, but not the weights this net needs (keys, shapes, dtypes)
  InvalidWeights,     // NaN or infinite values in the weights
  DeviceUnavailable,  // CUDA asked for but absent, fp16 asked for on CPU
  OutOfMemory,
  Internal,  // an unexpected LibTorch failure
};

const char* netErrorName(NetError e);

class NetStatus {
 public:
  NetStatus() = default;
  static NetStatus ok() { return {}; }
  // `subject` names the file, tensor or argument the error is about.
  static NetStatus error(NetError code, std::string subject, std::string detail) {
    NetStatus s;
    s.code_ = code;
    s.subject_ = std::move(subject);
    s.detail_ = std::move(detail);
    return s;
  }
  bool isOk() const { return code_ == NetError::Ok; }
  explicit operator bool() const { return isOk(); }
  NetError code() const { return code_; }
  const std::string& subject() const { return subject_; }
  const std::string& detail() const { return detail_; }
  // "<subject>: <detail>"
  std::string message() const { return subject_.empty() ? detail_ : subject_ + ": " + detail_; }

 private:
  NetError code_ = NetError::Ok;
  std::string subject_;
  std::string detail_;
};

}  // namespace avatar::nets
