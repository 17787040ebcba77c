#include "avatar/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "media/input_checks.h"

namespace avatar {
namespace {

std::string sizeText(size_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
    return std::to_string(bytes / (1024 * 1024)) + " MiB";
  }
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
  return std::to_string(bytes) + " bytes";
}

Status tooLarge(const std::string& path, const char* role, size_t maxBytes) {
  return Status::error(
      ErrorCode::InputTooLarge, path,
      std::string(role) + " file is larger than the limit of " + sizeText(maxBytes));
}

}  // namespace

Status readInputFile(const std::string& path, const char* role, size_t maxBytes, std::string* out) {
  out->clear();
  if (Status s = detail::checkInputFile(path, role); !s) return s;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    return Status::error(ErrorCode::InputNotReadable, path,
                         std::string("cannot open ") + role + " file: " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::error(ErrorCode::InputNotReadable, path,
                         std::string("is not a regular file, expected a ") + role + " file");
  }
  if (st.st_size < 0 || uint64_t(st.st_size) > maxBytes) {
    ::close(fd);
    return tooLarge(path, role, maxBytes);
  }
  out->resize(size_t(st.st_size));
  size_t used = 0;
  for (;;) {
    if (used == out->size()) {
      if (used > maxBytes) break;
      out->resize(std::min(maxBytes + 1, used + 64 * 1024));  // it grew: read on, bounded
      if (used == out->size()) break;
    }
    const ssize_t n = ::read(fd, out->data() + used, out->size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      out->clear();
      return Status::error(ErrorCode::InputNotReadable, path,
                           std::string("cannot read ") + role + " file: " + std::strerror(err));
    }
    if (n == 0) break;
    used += size_t(n);
  }
  ::close(fd);
  out->resize(used);
  if (used > maxBytes) {
    out->clear();
    return tooLarge(path, role, maxBytes);
  }
  return Status::ok();
}

std::vector<std::string> partialOutputs(const std::string& output) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  const fs::path p(output);
  const std::string prefix = p.filename().string() + ".";
  std::error_code ec;
  fs::directory_iterator it(p.has_parent_path() ? p.parent_path() : fs::path("."), ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > prefix.size() + 4 && name.rfind(prefix, 0) == 0 &&
        name.compare(name.size() - 5, 5, ".part") == 0) {
      out.push_back(it->path().string());
    }
  }
  return out;
}

int removePartialOutputs(const std::string& output) {
  int n = 0;
  for (const auto& part : partialOutputs(output)) {
    std::error_code ec;
    if (std::filesystem::remove(part, ec)) ++n;
  }
  return n;
}

}  // namespace avatar
