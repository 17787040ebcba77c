// DirLock: one process per data directory.
//
// An exclusive flock() on <dir>/.lock. The kernel drops it when the process
// ends however it ends (kill -9 included), so a restarted server never finds
// a stale lock, even as PID 1 of a new container or on another host name.
#pragma once

#include <string>

namespace avatar::server {

class DirLock {
 public:
  DirLock() = default;
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

  // False when another process holds it; *error then says who (by pid) or why.
  bool acquire(const std::string& dir, std::string* error);
  void release();

 private:
  int fd_ = -1;
};

}  // namespace avatar::server
