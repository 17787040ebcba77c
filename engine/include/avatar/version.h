#pragma once

namespace avatar {

// "0.1.0"
const char* versionString();
// One line naming the versions of the libraries the engine was built with.
const char* buildInfo();

}  // namespace avatar
