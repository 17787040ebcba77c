// ApiError::fromStatus: the one place the error vocabulary meets the
// engine's Status (kept apart so the rest of api_error.cpp builds without the
// engine, e.g. in the fuzz targets).
#include "core/api_error.h"

namespace avatar::server {

ApiError ApiError::fromStatus(const avatar::Status& status) {
  std::string detail = status.detail();
  for (const auto& c : status.context()) detail += " (" + c + ")";
  return make(avatar::errorCodeName(status.code()), status.subject(), detail);
}

}  // namespace avatar::server
