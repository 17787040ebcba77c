// A small strict JSON reader and string escaper for safetensors headers, so
// avatar_nets needs nothing but LibTorch (it must build on a bare CUDA box).
// Objects keep member order; duplicate member names are an error; nesting is
// bounded; integers are kept exactly (up to 64 bits).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace avatar::nets::detail {

struct JsonMember;

struct JsonValue {
  enum class Type { Null, Bool, Number, String, Array, Object };
  Type type = Type::Null;
  bool boolean = false;
  // Numbers: `integer` says whether the text was an integer that fits in
  // int64 (negative) or uint64; `number` holds the value as a double.
  bool integer = false;
  bool negative = false;
  uint64_t magnitude = 0;
  double number = 0;
  std::string string;
  std::vector<JsonValue> items;     // Array
  std::vector<JsonMember> members;  // Object, in order

  const JsonValue* find(const std::string& key) const;
  // The compact JSON text of this value (for error messages).
  std::string dump() const;
};

struct JsonMember {
  std::string first;  // name
  JsonValue second;   // value
};

constexpr int kJsonMaxDepth = 64;

// Parses `text` (exactly one value, surrounded by optional whitespace).
// Returns false with *error set ("at byte N: reason").
bool parseJson(const char* text, size_t size, JsonValue* out, std::string* error);

// "text" with JSON escapes.
std::string jsonQuote(const std::string& s);

}  // namespace avatar::nets::detail
