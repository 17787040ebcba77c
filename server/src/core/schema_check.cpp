#include "core/schema_check.h"

#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <string>

namespace avatar::server {
namespace {

std::string typeOf(const Json& v) {
  if (v.is_object()) return "object";
  if (v.is_array()) return "array";
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer() || v.is_number_unsigned()) return "integer";
  if (v.is_number_float()) {
    const double d = v.get<double>();
    return std::floor(d) == d && std::isfinite(d) ? "integer" : "number";
  }
  return "null";
}

bool typeMatches(const std::string& want, const Json& v) {
  const std::string have = typeOf(v);
  return want == have || (want == "number" && have == "integer");
}

std::optional<ApiError> check(const Json& schema, const Json& value, const std::string& where) {
  const auto bad = [&](const std::string& why) {
    return ApiError::make("InvalidArgument", where.empty() ? "arguments" : where, why);
  };
  if (auto t = schema.find("type");
      t != schema.end() && !typeMatches(t->get<std::string>(), value)) {
    return bad("must be " + std::string(t->get<std::string>() == "integer" ? "an " : "a ") +
               t->get<std::string>() + ", not " + typeOf(value));
  }
  if (auto e = schema.find("enum"); e != schema.end()) {
    bool found = false;
    for (const auto& option : *e) found = found || option == value;
    if (!found) return bad("must be one of " + e->dump());
  }
  if (value.is_number() && schema.contains("type") && schema["type"] == "integer") {
    // Integers are stored in 32 bits unless the schema says int64: a value
    // that would not fit is refused, never wrapped.
    const bool wide = schema.contains("format") && schema["format"] == "int64";
    const double lo = wide ? -9007199254740992.0 : double(INT32_MIN);
    const double hi = wide ? 9007199254740992.0 : double(INT32_MAX);
    const double d = value.get<double>();
    if (d < lo || d > hi) {
      return bad("must be an integer between " + std::to_string(int64_t(lo)) + " and " +
                 std::to_string(int64_t(hi)));
    }
  }
  if (value.is_number()) {
    const double d = value.get<double>();
    if (auto m = schema.find("minimum"); m != schema.end() && d < m->get<double>()) {
      return bad("must be at least " + m->dump());
    }
    if (auto m = schema.find("maximum"); m != schema.end() && d > m->get<double>()) {
      return bad("must be at most " + m->dump());
    }
  }
  if (value.is_string()) {
    const auto n = value.get<std::string>().size();
    if (auto m = schema.find("minLength"); m != schema.end() && n < m->get<size_t>()) {
      return bad("must be at least " + m->dump() + " characters long");
    }
    if (auto m = schema.find("maxLength"); m != schema.end() && n > m->get<size_t>()) {
      return bad("must be at most " + m->dump() + " characters long");
    }
  }
  if (!value.is_object()) return std::nullopt;
  const Json props = schema.value("properties", Json::object());
  for (const auto& name : schema.value("required", Json::array())) {
    if (!value.contains(name.get<std::string>())) {
      return ApiError::make("InvalidArgument", name.get<std::string>(), "is required");
    }
  }
  for (const auto& [key, item] : value.items()) {
    const auto p = props.find(key);
    if (p == props.end()) {
      if (schema.value("additionalProperties", true) == false) {
        return ApiError::make("InvalidArgument", key, "unknown field");
      }
      continue;
    }
    if (auto err = check(*p, item, key)) return err;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ApiError> checkAgainstSchema(const Json& schema, const Json& value) {
  return check(schema, value, "");
}

std::optional<ApiError> coerceQueryValues(const Json& schema, Json* args) {
  const Json props = schema.value("properties", Json::object());
  for (auto& [key, value] : args->items()) {
    const auto p = props.find(key);
    if (p == props.end() || !value.is_string()) continue;
    const std::string type = p->value("type", "string");
    const std::string text = value.get<std::string>();
    if (type == "integer") {
      long long n = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        return ApiError::make("InvalidArgument", key, "must be an integer, not \"" + text + "\"");
      }
      value = n;
    } else if (type == "number") {
      try {
        size_t used = 0;
        const double d = std::stod(text, &used);
        if (used != text.size()) throw std::invalid_argument(text);
        value = d;
      } catch (const std::exception&) {
        return ApiError::make("InvalidArgument", key, "must be a number, not \"" + text + "\"");
      }
    } else if (type == "boolean") {
      if (text != "true" && text != "false") {
        return ApiError::make("InvalidArgument", key, "must be true or false");
      }
      value = text == "true";
    }
  }
  return std::nullopt;
}

}  // namespace avatar::server
