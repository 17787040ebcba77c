// A small JSON Schema checker for the service's own command arguments
// (job ids, list filters). It understands the subset those schemas use:
// type, properties, required, additionalProperties: false, enum, minimum,
// maximum, minLength, maxLength. Render requests are checked by the engine's
// own parser (avatar/options_json.h), which the render schema describes.
#pragma once

#include <optional>

#include "core/api_error.h"
#include "core/json.h"

namespace avatar::server {

// Returns an InvalidArgument error naming the first offending field.
std::optional<ApiError> checkAgainstSchema(const Json& schema, const Json& value);

// Converts query-string values (always strings) to the types the schema's
// properties declare ("integer", "number", "boolean"); other values stay strings.
// Returns an InvalidArgument error when a value does not convert.
std::optional<ApiError> coerceQueryValues(const Json& schema, Json* args);

}  // namespace avatar::server
