// Text that leaves the program as JSON (progress events, error messages, REST
// and MCP answers) must be valid UTF-8, but paths and messages may hold any
// bytes: Linux file names are bytes, and requests are hostile. Paths stay
// bytes inside the engine; these helpers make text safe at the edge.
#pragma once

#include <string>
#include <string_view>

namespace avatar {

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
bool isValidUtf8(std::string_view text);

// `text` with every byte that is not part of a well-formed UTF-8 sequence
// written as the four characters "\xHH" (e.g. Latin-1 "caf\xE9.png"), so a
// message still names the file. Valid text is returned unchanged.
std::string toValidUtf8(std::string_view text);

}  // namespace avatar
