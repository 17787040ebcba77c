#include "core/api_error.h"

#include <map>

namespace avatar::server {
namespace {

const std::vector<std::pair<std::string, int>>& table() {
  static const std::vector<std::pair<std::string, int>> t = {
      // The request itself.
      {"MalformedRequest", 400},  // unparsable JSON or multipart body
      {"Unauthorized", 401},
      {"PathNotAllowed", 403},  // outside the input roots, "..", symlink escape
      {"NotFound", 404},        // unknown job id or route
      {"MethodNotAllowed", 405},
      {"RequestTimeout", 408},
      {"JobNotFinished", 409},  // the video of a job that has not succeeded (yet)
      {"Cancelled", 410},       // the job was cancelled: its video will never exist
      {"Expired", 410},         // removed by the retention policy
      {"LengthRequired", 411},
      {"PayloadTooLarge", 413},
      {"UnsupportedMedia", 415},  // not a format we decode, or a wrong Content-Type
      {"RangeNotSatisfiable", 416},
      {"InvalidArgument", 422},  // a field is missing, unknown, of the wrong type or out of range
      {"InputNotFound", 422},
      {"InputNotReadable", 422},
      {"InputEmpty", 422},
      {"ImageTooLarge", 422},
      {"NoAudioStream", 422},
      {"AudioEmpty", 422},
      {"InputTooLarge", 422},  // an input file beyond its size limit
      {"InputTooLong", 422},   // audio beyond the duration limit
      {"NoFaceDetected", 422},
      {"HeaderTooLarge", 431},
      // The server.
      {"Internal", 500},
      {"Interrupted", 500},  // the server stopped during the job too often
      {"EncoderFailed", 500},
      {"OutputNotWritable", 500},
      {"OutputSameAsInput", 500},
      {"ModelMissing", 503},
      {"ModelInvalid", 503},
      {"DeviceUnavailable", 503},
      {"OutOfMemory", 503},
      {"QueueFull", 503},
      {"TooManyConnections", 503},
      {"ServerBusy", 503},  // too many request bodies in flight
      {"ShuttingDown", 503},
      {"QueueUnavailable", 503},  // --queue: Redis cannot be reached
  };
  return t;
}

}  // namespace

ApiError ApiError::make(std::string code, std::string subject, std::string detail) {
  return ApiError{std::move(code), std::move(subject), std::move(detail)};
}

int ApiError::httpStatus() const {
  return httpStatusForCode(code);
}

std::string ApiError::message() const {
  return subject.empty() ? detail : subject + ": " + detail;
}

Json ApiError::toJson() const {
  return Json{{"error", {{"code", code}, {"subject", subject}, {"message", detail}}},
              {"detail", message()}};
}

int httpStatusForCode(const std::string& code) {
  static const std::map<std::string, int> index(table().begin(), table().end());
  const auto it = index.find(code);
  return it == index.end() ? 500 : it->second;
}

std::vector<std::pair<std::string, int>> errorCodeTable() {
  return table();
}

Json errorJsonSchema() {
  Json codes = Json::array();
  for (const auto& [code, status] : table()) codes.push_back(code);
  return Json{
      {"type", "object"},
      {"required", {"error", "detail"}},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"required", {"code", "message"}},
          {"properties",
           {{"code", {{"type", "string"}, {"enum", codes}}},
            {"subject", {{"type", "string"}, {"description", "The field, path or job concerned."}}},
            {"message", {{"type", "string"}}}}}}},
        {"detail", {{"type", "string"}, {"description", "\"<subject>: <message>\""}}}}}};
}

}  // namespace avatar::server
