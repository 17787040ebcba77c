// The table of request and option fields: names, aliases, JSON Schema, and
// how each is read and written. Parsing, serialising and the schema all come
// from this one table.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "avatar/options.h"
#include "avatar/status.h"

namespace avatar::detail {

using Json = nlohmann::ordered_json;

enum class FieldScope { Request, Options };

struct FieldSpec {
  std::string name;                  // canonical, camelCase
  std::vector<std::string> aliases;  // seed and convenience names (camelCase)
  FieldScope scope = FieldScope::Options;
  Json schema;  // JSON Schema fragment, without "default"
  // Type-checks `value` and stores it; the Status names the field as given.
  std::function<Status(const Json& value, const std::string& givenName, RenderRequest& req)> read;
  std::function<Json(const RenderRequest& req)> write;
};

const std::vector<FieldSpec>& fieldSpecs();

// "avatarPath" -> "avatar_path".
std::string toSnakeCase(std::string_view camel);

}  // namespace avatar::detail
