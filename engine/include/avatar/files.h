// Reading small input files (presets, viseme tracks) whole, with a bound.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

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

// The temporary files a writer of `output` leaves if it is killed: each
// render writes <out>.<random>.part (unique, created O_EXCL) and renames it
// on success. Also lists the legacy <out>.part.
std::vector<std::string> partialOutputs(const std::string& output);
// Removes them (after a crash, before a retry); returns how many.
int removePartialOutputs(const std::string& output);

}  // namespace avatar
