// Strict JSON for safetensors headers, on nlohmann-json: members keep their
// order, a duplicate member name is an error (nlohmann would keep the last),
// nesting is bounded, integers stay exact up to 64 bits. Torch-free, so the
// fuzz target compiles it alone.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace avatar::nets::detail {

using Json = nlohmann::ordered_json;

constexpr int kJsonMaxDepth = 64;

// Parses `text` (exactly one value, surrounded by optional whitespace).
// Returns false with *error set ("at byte N: reason").
bool parseJsonStrict(const char* text, size_t size, Json* out, std::string* error);

// Compact JSON of a value for messages and files; never throws (invalid
// UTF-8 is replaced).
std::string dumpJson(const Json& value);

}  // namespace avatar::nets::detail
