// The one JSON form of RenderOptions / RenderRequest, and its JSON Schema.
//
// A request is one flat object: request fields (avatarPath, audioPath, ...)
// and option fields (qualityMode, fps, ...) side by side. Canonical names are
// camelCase; every field is also accepted in snake_case (MCP style), and the
// seed service's names are accepted as aliases (avatar -> avatarPath,
// enhancements -> enhancer, ...). Unknown fields, wrong types, out-of-range
// values and a field given twice under two names are errors that name the
// field. All functions are thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "avatar/options.h"
#include "avatar/status.h"

namespace avatar {

enum class JsonNameStyle { Camel, Snake };

// Options only (a preset file): request fields are rejected.
Status parseRenderOptions(std::string_view json, RenderOptions* out);
// Merges the given fields onto *inout (fields not present keep their value).
Status mergeRenderOptions(std::string_view json, RenderOptions* inout);
// Request fields plus option fields.
Status parseRenderRequest(std::string_view json, RenderRequest* out);
Status mergeRenderRequest(std::string_view json, RenderRequest* inout);

// Range and consistency checks (also run by the parsers).
Status validateRenderOptions(const RenderOptions& options);

// Serialises every option (defaults included). Round-trips through parse.
std::string renderOptionsToJson(const RenderOptions& options,
                                JsonNameStyle style = JsonNameStyle::Camel, int indent = 2);
std::string renderRequestToJson(const RenderRequest& request,
                                JsonNameStyle style = JsonNameStyle::Camel, int indent = 2);

// JSON Schema (draft 2020-12) of the options object / the request object.
// `requireInputs` marks the photo and audio fields required.
std::string renderOptionsJsonSchema(JsonNameStyle style = JsonNameStyle::Camel);
std::string renderRequestJsonSchema(JsonNameStyle style = JsonNameStyle::Camel,
                                    bool requireInputs = true);

// Describes one field of the schema, for generated CLI flags, help texts and
// settings panels.
struct RenderFieldInfo {
  std::string name;  // canonical camelCase JSON name
  std::string type;  // "string", "integer", "number"
  std::string description;
  std::vector<std::string> choices;  // for enum-like strings
  std::string defaultJson;  // JSON text of the default ("25", "\"auto\""); empty for inputs
  double minimum = 0;       // integer/number fields
  double maximum = 0;
  bool requestField = false;  // input/output paths rather than an option
};
std::vector<RenderFieldInfo> renderFieldInfo();

}  // namespace avatar
