// ApiError: one error vocabulary for REST and MCP.
//
// Codes are the engine's ErrorCode names (InvalidArgument, InputNotFound, ...)
// plus the service's own (NotFound, PathNotAllowed, QueueFull, ...). One table
// maps each code to an HTTP status (never 2xx); MCP turns the same errors into
// isError tool results. docs/API.md lists the table.
#pragma once

#include <string>
#include <vector>

#include "avatar/status.h"
#include "core/json.h"

namespace avatar::server {

struct ApiError {
  std::string code;     // stable name, e.g. "InvalidArgument"
  std::string subject;  // the field, path or job the error is about; may be empty
  std::string detail;   // readable English reason

  static ApiError make(std::string code, std::string subject, std::string detail);
  static ApiError fromStatus(const avatar::Status& status);

  int httpStatus() const;
  // "<subject>: <detail>" (or just the detail).
  std::string message() const;
  // {"error": {"code", "subject", "message"}, "detail": "<message()>"}; the
  // top-level "detail" is what clients of the seed (FastAPI) read.
  Json toJson() const;
};

// HTTP status for a code; 500 for codes the table does not know.
int httpStatusForCode(const std::string& code);
// Every code with its HTTP status, for documentation and tests.
std::vector<std::pair<std::string, int>> errorCodeTable();

// Schema of ApiError::toJson(), for OpenAPI.
Json errorJsonSchema();

}  // namespace avatar::server
