// What every server fuzz target checks besides "no crash": each JSON text the
// server would send is valid UTF-8 JSON that parses back.
#pragma once

#include <cstdlib>
#include <string>

#include "core/json.h"

inline void checkEmittedJson(const avatar::server::Json& value) {
  const std::string text = avatar::server::dumpJson(value);
  // nlohmann's parser rejects invalid UTF-8 in strings.
  const auto back = avatar::server::Json::parse(text, nullptr, false);
  if (back.is_discarded()) std::abort();
}
