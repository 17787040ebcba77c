// RestServer: QAbstractHttpServer (Qt 6.4) with our own accept loop and
// dispatch. QHttpServer parses requests; a ConnectionGuard on every socket
// enforces limits and timeouts before that; handleRequest() answers at once
// from the route table (long work is queued as jobs), writing the response
// straight to the socket (video bodies through a FileStreamer), so no
// deferred responder can outlive its socket.
#pragma once

#include <QAbstractHttpServer>
#include <QTcpServer>
#include <string>
#include <vector>

#include "avatar_server/server.h"
#include "http/connection_guard.h"
#include "http/metrics.h"
#include "http/rest_routes.h"

namespace avatar::server {

class GuardedTcpServer : public QTcpServer {
  Q_OBJECT
 public:
  GuardedTcpServer(const GuardPolicy& policy, int maxConnections, Metrics* metrics,
                   QObject* httpServer);

 protected:
  void incomingConnection(qintptr socketDescriptor) override;

 private:
  const GuardPolicy& policy_;
  int maxConnections_;
  Metrics* metrics_;
  QObject* httpServer_;
};

class RestServer : public QAbstractHttpServer {
  Q_OBJECT
 public:
  RestServer(JobService& jobs, const PathPolicy& paths, const HttpConfig& http);
  ~RestServer() override;

  // Binds host:port; *boundPort gets the port (useful with port 0).
  bool start(std::string* error, quint16* boundPort);

 protected:
  bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
  void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

 private:
  void send(QTcpSocket* socket, HttpResponse& response, bool keepAlive, bool headOnly);

  HttpConfig http_;
  Metrics metrics_;
  qint64 inflightBodyBytes_ = 0;  // before policy_, which points to it
  GuardPolicy policy_;
  RestContext ctx_;
  std::vector<Route> routes_;
};

}  // namespace avatar::server
