#include "core/json.h"

namespace avatar::server {

bool parseClientJson(std::string_view text, Json* out, std::string* error) {
  bool tooDeep = false;
  // The callback sees each container as it opens, with its depth; a container
  // past the limit is discarded (never built), and parsing itself keeps its
  // state on the heap, so the whole text is read in bounded stack.
  const Json::parser_callback_t limit = [&tooDeep](int depth, Json::parse_event_t event, Json&) {
    if ((event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) &&
        depth >= kMaxJsonDepth) {
      tooDeep = true;
      return false;
    }
    return !tooDeep;
  };
  Json parsed;
  try {
    parsed = Json::parse(text.begin(), text.end(), limit, true);
  } catch (const Json::parse_error& e) {
    // e.what() quotes the last bytes read; give the position only.
    *error = "syntax error at byte " + std::to_string(e.byte);
    return false;
  } catch (const std::exception&) {
    *error = "not valid JSON";
    return false;
  }
  if (tooDeep) {
    *error = "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    return false;
  }
  *out = std::move(parsed);
  return true;
}

std::string dumpJson(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string validUtf8(std::string_view text) {
  // The JSON serializer's replacement is a well-tested UTF-8 validator; strip
  // the quotes and unescape nothing else (only '"', '\\' and controls are
  // escaped, so decode those back).
  const Json decoded = Json::parse(dumpJson(Json(std::string(text))), nullptr, false);
  return decoded.is_string() ? decoded.get<std::string>() : std::string();
}

}  // namespace avatar::server
