#include "http/file_streamer.h"

#include <QTcpSocket>

#include "http/connection_guard.h"

namespace avatar::server {
namespace {
constexpr qint64 kChunk = 256 * 1024;
constexpr qint64 kMaxQueued = 1024 * 1024;
}  // namespace

void FileStreamer::start(QTcpSocket* socket, QFile* file, qint64 offset, qint64 length,
                         bool closeWhenDone) {
  if (!file->seek(offset)) length = 0;
  auto* streamer = new FileStreamer(socket, file, length, closeWhenDone);
  streamer->pump();
}

bool FileStreamer::active(QTcpSocket* socket) {
  return socket->findChild<FileStreamer*>(QString(), Qt::FindDirectChildrenOnly) != nullptr;
}

FileStreamer::FileStreamer(QTcpSocket* socket, QFile* file, qint64 length, bool closeWhenDone)
    : QObject(socket), socket_(socket), file_(file), left_(length), closeWhenDone_(closeWhenDone) {
  file_->setParent(this);
  connect(socket, &QTcpSocket::bytesWritten, this, &FileStreamer::pump);
  if (auto* guard = ConnectionGuard::of(socket)) guard->setStreaming(true);
}

void FileStreamer::pump() {
  while (left_ > 0 && socket_->bytesToWrite() < kMaxQueued) {
    const QByteArray chunk = file_->read(qMin(kChunk, left_));
    if (chunk.isEmpty()) {
      // The file shrank under us: the promised length cannot be kept.
      socket_->abort();
      return;
    }
    left_ -= chunk.size();
    socket_->write(chunk);
  }
  if (left_ > 0) return;
  if (auto* guard = ConnectionGuard::of(socket_)) guard->setStreaming(false);
  disconnect(socket_, nullptr, this, nullptr);
  setParent(nullptr);  // no longer active() for the socket's next request
  deleteLater();
  if (closeWhenDone_) socket_->disconnectFromHost();
}

}  // namespace avatar::server
