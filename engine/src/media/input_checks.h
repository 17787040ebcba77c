// Checks on input and output paths before any decoding, so errors name the
// file and the reason instead of surfacing as a decoder failure.
#pragma once

#include <string>
#include <vector>

#include "avatar/status.h"

namespace avatar::detail {

// `role` names the input in messages: "photo", "audio", "driver video".
// Fails with InputNotFound, InputNotReadable (directory, permissions) or
// InputEmpty (zero bytes).
Status checkInputFile(const std::string& path, const char* role);

// The output must have a known video extension, live in an existing writable
// directory, not be a directory, and not be one of `inputs`. Creates and
// removes <out>.part to prove the directory is writable.
Status checkOutputPath(const std::string& output, const std::vector<std::string>& inputs);

// <out>.part: where encoders write before the final rename.
std::string partialPath(const std::string& output);

}  // namespace avatar::detail
