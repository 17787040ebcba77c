// Reading small input files (presets, viseme tracks) whole, with a bound.
#pragma once

#include <cstddef>
#include <string>

#include "avatar/status.h"

namespace avatar {

// Largest options/preset file the front-ends read.
constexpr size_t kMaxOptionsFileBytes = 1024 * 1024;

// Reads the regular file at `path` into *out. The size is checked before a
// byte is read and again while reading (the file may grow meanwhile); a FIFO
// or device never blocks the call. `role` names the file in messages
// ("options preset"). Errors: InputNotFound, InputNotReadable, InputEmpty,
// InputTooLarge (more than maxBytes).
Status readInputFile(const std::string& path, const char* role, size_t maxBytes, std::string* out);

}  // namespace avatar
