// The JSON type of the service: insertion-ordered, so documents and replies
// keep the field order they are written in.
#pragma once

#include <nlohmann/json.hpp>

namespace avatar::server {
using Json = nlohmann::ordered_json;
}  // namespace avatar::server
