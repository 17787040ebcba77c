#include "core/dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>

namespace avatar::server {

DirLock::~DirLock() {
  release();
}

bool DirLock::acquire(const std::string& dir, std::string* error) {
  const std::string path = dir + "/.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    *error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    char holder[32] = {};
    [[maybe_unused]] const auto n = ::pread(fd_, holder, sizeof holder - 1, 0);
    *error = "data directory is in use by another server (pid " + std::string(holder) +
             "); give each server its own --data-dir";
    ::close(fd_);
    fd_ = -1;
    return false;
  }
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const auto n = ::pwrite(fd_, pid.data(), pid.size(), 0);
  }
  return true;
}

void DirLock::release() {
  if (fd_ < 0) return;
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
  fd_ = -1;
}

}  // namespace avatar::server
