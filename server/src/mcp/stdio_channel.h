// StdioChannel: line-delimited messages on stdin/stdout for the MCP server.
//
// A reader thread blocks on stdin and hands each complete line to the event
// loop (lineReceived, queued); end of input is reported once. writeLine()
// writes one line to stdout atomically (thread-safe, unbuffered). Nothing
// else in the process may write to stdout.
#pragma once

#include <QByteArray>
#include <QObject>
#include <mutex>
#include <string>
#include <thread>

namespace avatar::server {

class StdioChannel : public QObject {
  Q_OBJECT

 public:
  static constexpr qsizetype kMaxLineBytes = 16 << 20;

  explicit StdioChannel(int inFd = 0, int outFd = 1);
  ~StdioChannel() override;  // stops and joins the reader
  void start();
  void writeLine(const std::string& line);

 Q_SIGNALS:
  void lineReceived(const QByteArray& line);
  void lineTooLong();
  void endOfInput();

 private:
  void readLoop();
  void post(const QByteArray& line);
  int in_, out_;
  int stopPipe_[2] = {-1, -1};
  std::mutex writeMutex_;
  std::thread reader_;
};

}  // namespace avatar::server
