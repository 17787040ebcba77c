// PathPolicy: which client-given file paths the service may read.
//
// A path is accepted only when it lies inside one of the configured input
// roots after every symbolic link is resolved. Refused: any ".." component,
// absolute paths outside the roots, links that lead outside, NUL bytes.
// Every path outside the roots gets the same PathNotAllowed answer, whether
// or not anything exists there (links are followed component by component
// even when their target is missing), so answers reveal nothing about the file
// system outside. Relative paths are taken relative to the first root. With no roots, either
// every path is refused (REST) or every readable path is accepted (MCP,
// whose client is the local user); see ServiceConfig::anyPathWhenNoRoots.
// Thread-safe after init().
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/api_error.h"

namespace avatar::server {

class PathPolicy {
 public:
  PathPolicy(std::vector<std::string> roots, bool anyPathWhenNoRoots);

  // Canonicalises the roots; each must be an existing directory.
  std::optional<ApiError> init();

  // Resolves `given` (the value of request field `field`) to the canonical
  // path of an existing regular file, or returns why it is refused.
  std::optional<ApiError> resolveInputFile(const std::string& given, const std::string& field,
                                           std::string* resolved) const;

  const std::vector<std::string>& roots() const { return roots_; }

 private:
  bool underRoot(const std::string& canonical) const;
  std::vector<std::string> roots_;
  bool anyPath_;
};

}  // namespace avatar::server
