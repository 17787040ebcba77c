#include "mcp/stdio_channel.h"

#include <poll.h>
#include <unistd.h>
#include <cerrno>

namespace avatar::server {

StdioChannel::StdioChannel(int inFd, int outFd) : in_(inFd), out_(outFd) {
  if (::pipe(stopPipe_) != 0) stopPipe_[0] = stopPipe_[1] = -1;
}

StdioChannel::~StdioChannel() {
  if (reader_.joinable()) {
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(stopPipe_[1], &byte, 1);
    reader_.join();
  }
  for (int fd : stopPipe_) {
    if (fd >= 0) ::close(fd);
  }
}

void StdioChannel::start() {
  reader_ = std::thread([this] { readLoop(); });
}

void StdioChannel::post(const QByteArray& line) {
  QMetaObject::invokeMethod(
      this, [this, line] { Q_EMIT lineReceived(line); }, Qt::QueuedConnection);
}

void StdioChannel::readLoop() {
  QByteArray pending;
  bool skipping = false;  // inside a line that exceeded kMaxLineBytes
  char buffer[64 * 1024];
  for (;;) {
    pollfd fds[2] = {{in_, POLLIN, 0}, {stopPipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents) return;  // stop requested: no end-of-input report
    const ssize_t n = ::read(in_, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;
    qsizetype start = 0;
    for (qsizetype i = 0; i < n; ++i) {
      if (buffer[i] != '\n') continue;
      if (!skipping) {
        pending.append(buffer + start, i - start);
        if (pending.endsWith('\r')) pending.chop(1);
        post(pending);
      }
      pending.clear();
      skipping = false;
      start = i + 1;
    }
    if (!skipping) pending.append(buffer + start, n - start);
    if (!skipping && pending.size() > kMaxLineBytes) {
      skipping = true;
      pending.clear();
      QMetaObject::invokeMethod(
          this, [this] { Q_EMIT lineTooLong(); }, Qt::QueuedConnection);
    }
  }
  if (!pending.isEmpty() && !skipping) post(pending);  // a last line without newline
  QMetaObject::invokeMethod(
      this, [this] { Q_EMIT endOfInput(); }, Qt::QueuedConnection);
}

void StdioChannel::writeLine(const std::string& line) {
  std::lock_guard lock(writeMutex_);
  std::string data = line;
  data += '\n';
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(out_, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // the client is gone; the reader will see end of input
    }
    off += size_t(n);
  }
}

}  // namespace avatar::server
