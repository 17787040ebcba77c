// FileStreamer: sends a byte range of a file on a socket in 256 KiB chunks,
// refilling as the socket drains (QHttpServer 6.4 would read the whole file
// or trickle it through a 512-byte buffer). At most ~1 MiB waits in the
// socket's write buffer. A child of the socket: a disconnect ends it.
#pragma once

#include <QFile>
#include <QObject>

class QTcpSocket;

namespace avatar::server {

class FileStreamer : public QObject {
  Q_OBJECT

 public:
  // The response head must already be written. Takes ownership of `file` (open).
  static void start(QTcpSocket* socket, QFile* file, qint64 offset, qint64 length,
                    bool closeWhenDone);
  static bool active(QTcpSocket* socket);

 private:
  FileStreamer(QTcpSocket* socket, QFile* file, qint64 length, bool closeWhenDone);
  void pump();
  QTcpSocket* socket_;
  QFile* file_;
  qint64 left_;
  bool closeWhenDone_;
};

}  // namespace avatar::server
