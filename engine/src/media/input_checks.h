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
// removes a temporary file beside it to prove the directory is writable.
Status checkOutputPath(const std::string& output, const std::vector<std::string>& inputs);

// Creates, exclusively (O_EXCL), a new empty file <out>.<random>.part beside
// `output` and sets *partPath to it: where a writer puts its bytes before
// the final atomic rename, so two writers of one output never share a file.
Status createPartialFile(const std::string& output, std::string* partPath);

}  // namespace avatar::detail
