#include "core/path_policy.h"

#include <filesystem>
#include <system_error>

namespace avatar::server {
namespace fs = std::filesystem;

PathPolicy::PathPolicy(std::vector<std::string> roots, bool anyPathWhenNoRoots)
    : roots_(std::move(roots)), anyPath_(anyPathWhenNoRoots) {}

std::optional<ApiError> PathPolicy::init() {
  for (auto& root : roots_) {
    std::error_code ec;
    const fs::path canonical = fs::canonical(root, ec);
    if (ec || !fs::is_directory(canonical, ec)) {
      return ApiError::make("InputNotFound", root, "input root is not an existing directory");
    }
    root = canonical.string();
  }
  return std::nullopt;
}

bool PathPolicy::underRoot(const std::string& canonical) const {
  for (const auto& root : roots_) {
    if (canonical == root) return true;
    const std::string prefix = root == "/" ? root : root + "/";
    if (canonical.compare(0, prefix.size(), prefix) == 0) return true;
  }
  return false;
}

std::optional<ApiError> PathPolicy::resolveInputFile(const std::string& given,
                                                     const std::string& field,
                                                     std::string* resolved) const {
  if (given.find('\0') != std::string::npos) {
    return ApiError::make("InvalidArgument", field, "path contains a NUL byte");
  }
  if (roots_.empty() && !anyPath_) {
    return ApiError::make("PathNotAllowed", field,
                          "server-side paths are disabled on this server (no --input-root); "
                          "upload the files with POST /render-upload");
  }
  fs::path path(given);
  for (const auto& part : path) {
    if (part == "..") {
      return ApiError::make(
          "PathNotAllowed", field,
          "\"" + given + "\" contains \"..\"; give a path inside the input roots");
    }
  }
  if (path.is_relative()) path = roots_.empty() ? fs::current_path() / path : roots_[0] / path;
  path = path.lexically_normal();
  if (!roots_.empty() && !underRoot(path.string())) {
    return ApiError::make("PathNotAllowed", field,
                          "\"" + given + "\" is outside the server's input roots");
  }
  std::error_code ec;
  const fs::path canonical = fs::canonical(path, ec);
  if (ec) {
    return ApiError::make("InputNotFound", field, "\"" + given + "\" does not exist");
  }
  if (!roots_.empty() && !underRoot(canonical.string())) {
    return ApiError::make(
        "PathNotAllowed", field,
        "\"" + given + "\" leads outside the input roots through a symbolic link");
  }
  if (!fs::is_regular_file(canonical, ec)) {
    return ApiError::make("InputNotReadable", field, "\"" + given + "\" is not a regular file");
  }
  *resolved = canonical.string();
  return std::nullopt;
}

}  // namespace avatar::server
