#include "core/path_policy.h"

#include <deque>
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

namespace {

// Where the absolute, lexically normal `path` really leads: every symbolic
// link is followed, one component at a time, as realpath() does. From the
// first component that is missing or unreadable on, the rest is appended
// lexically and *exists becomes false. So the location of a path is known
// (and checked against the roots) whether or not its target exists: a link
// to a missing file outside the roots gets the same answer as a link to an
// existing one.
fs::path realLocation(const fs::path& path, bool* exists) {
  constexpr int kMaxLinks = 40;  // as the kernel's ELOOP limit
  std::deque<fs::path> todo(path.begin(), path.end());
  fs::path cur = "/";
  int links = 0;
  *exists = true;
  while (!todo.empty()) {
    const fs::path part = todo.front();
    todo.pop_front();
    if (part.empty() || part == "." || part == "/" || part.has_root_name()) continue;
    if (part == "..") {
      cur = cur.parent_path();
      continue;
    }
    const fs::path next = cur / part;
    if (!*exists) {
      cur = next;
      continue;
    }
    std::error_code ec;
    const fs::file_status st = fs::symlink_status(next, ec);
    if (ec || !fs::exists(st)) {
      *exists = false;
      cur = next;
      continue;
    }
    if (!fs::is_symlink(st)) {
      cur = next;
      continue;
    }
    const fs::path target = fs::read_symlink(next, ec);
    if (ec || ++links > kMaxLinks) {
      *exists = false;
      cur = next;
      continue;
    }
    if (target.is_absolute()) cur = "/";
    todo.insert(todo.begin(), target.begin(), target.end());
  }
  return cur.lexically_normal();
}

}  // namespace

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
  // One answer for every path that is, or leads, outside the roots, whether
  // or not something exists there (no probing of the file system outside).
  const auto outside = [&] {
    return ApiError::make("PathNotAllowed", field,
                          "\"" + given +
                              "\" is outside the server's input roots (checked after following "
                              "symbolic links)");
  };
  if (path.is_relative()) path = roots_.empty() ? fs::current_path() / path : roots_[0] / path;
  path = path.lexically_normal();
  if (!roots_.empty() && !underRoot(path.string())) return outside();
  bool exists = false;
  const fs::path real = realLocation(path, &exists);
  if (!roots_.empty() && !underRoot(real.string())) return outside();
  if (!exists) {
    return ApiError::make("InputNotFound", field, "\"" + given + "\" does not exist");
  }
  std::error_code ec;
  if (!fs::is_regular_file(real, ec)) {
    return ApiError::make("InputNotReadable", field, "\"" + given + "\" is not a regular file");
  }
  *resolved = real.string();
  return std::nullopt;
}

}  // namespace avatar::server
