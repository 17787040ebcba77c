// The JSON type of the service: insertion-ordered, so documents and replies
// keep the field order they are written in.
//
// Every byte that reaches the service is hostile: parse client JSON with
// parseClientJson() (nesting bounded while parsing, so a deeply nested body
// cannot exhaust the stack in later copies, dumps or destructors) and write
// every JSON text with dumpJson() (strings holding invalid UTF-8, e.g. from a
// header, a multipart part name or a file name, are written with U+FFFD
// instead of throwing).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace avatar::server {
using Json = nlohmann::ordered_json;

// Deepest nesting of arrays/objects accepted in client JSON.
constexpr int kMaxJsonDepth = 64;

// Parses `text`. On failure returns false and sets *error to a readable reason
// (valid UTF-8) without the offending bytes.
bool parseClientJson(std::string_view text, Json* out, std::string* error);

// value.dump(indent) that never throws on invalid UTF-8 (replaced by U+FFFD).
std::string dumpJson(const Json& value, int indent = -1);

// `text` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string validUtf8(std::string_view text);

}  // namespace avatar::server
