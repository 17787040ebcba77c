#include "json_strict.h"

#include <set>
#include <vector>

namespace avatar::nets::detail {
namespace {

// Thrown from the parser callback to stop at the first duplicate or at the
// depth limit; nlohmann passes it through parse().
struct Refused {
  std::string why;
};

std::string describe(const nlohmann::json::parse_error& e) {
  const std::string what = e.what();
  std::string why;
  if (what.find("UTF-8") != std::string::npos) {
    why = "invalid UTF-8";
  } else if (what.find("expected end of input") != std::string::npos) {
    why = "unexpected text after the JSON value";
  } else if (what.find("unexpected end of input") != std::string::npos) {
    why = "unexpected end of text";
  } else {
    // "[json.exception.parse_error.101] parse error at line 1, column 2: X"
    const size_t colon = what.find(": ");
    why = colon == std::string::npos ? what : what.substr(colon + 2);
  }
  return "at byte " + std::to_string(e.byte > 0 ? e.byte - 1 : 0) + ": " + why;
}

}  // namespace

bool parseJsonStrict(const char* text, size_t size, Json* out, std::string* error) {
  std::vector<std::set<std::string>> keys;  // member names of each open object
  const auto check = [&](int depth, Json::parse_event_t event, Json& parsed) {
    using E = Json::parse_event_t;
    if (depth > kJsonMaxDepth) throw Refused{"nested more than 64 levels deep"};
    if (event == E::object_start) keys.emplace_back();
    if (event == E::object_end && !keys.empty()) keys.pop_back();
    if (event == E::key && !keys.empty()) {
      const std::string& name = parsed.get_ref<const std::string&>();
      if (!keys.back().insert(name).second) {
        throw Refused{"member " + dumpJson(name) + " appears twice"};
      }
    }
    return true;
  };
  try {
    *out = Json::parse(text, text + size, check);
    return true;
  } catch (const Refused& r) {
    *error = r.why;
  } catch (const nlohmann::json::parse_error& e) {
    *error = describe(e);
  } catch (const std::exception& e) {
    *error = e.what();
  }
  *out = Json();
  return false;
}

std::string dumpJson(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace avatar::nets::detail
