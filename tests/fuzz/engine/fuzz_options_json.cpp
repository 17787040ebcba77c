// libFuzzer target for the render options/request JSON (presets, REST bodies,
// MCP arguments). Besides "no crash, no hang, no sanitizer report": an error
// names what it is about, an accepted request serialises to valid UTF-8 JSON
// that parses back to the same request.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "avatar/options_json.h"
#include "avatar/utf8.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  avatar::RenderOptions options;
  const avatar::Status o = avatar::parseRenderOptions(text, &options);
  if (!o) FUZZ_REQUIRE(!o.detail().empty() && avatar::isValidUtf8(o.message()));

  avatar::RenderRequest request;
  const avatar::Status s = avatar::parseRenderRequest(text, &request);
  if (!s) {
    FUZZ_REQUIRE(!s.detail().empty());
    FUZZ_REQUIRE(avatar::isValidUtf8(s.message()));
    return 0;
  }
  const std::string json = avatar::renderRequestToJson(request);
  FUZZ_REQUIRE(avatar::isValidUtf8(json));
  avatar::RenderRequest back;
  FUZZ_REQUIRE(avatar::parseRenderRequest(json, &back).isOk());
  FUZZ_REQUIRE(avatar::renderRequestToJson(back) == json);
  return 0;
}
