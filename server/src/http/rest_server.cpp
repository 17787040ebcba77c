#include "http/rest_server.h"

#include <QElapsedTimer>
#include <QFile>
#include <QHostInfo>
#include <QHttpServerRequest>
#include <QTcpSocket>
#include <algorithm>

#include "avatar/log.h"
#include "http/file_streamer.h"

namespace avatar::server {
namespace {

std::string methodName(QHttpServerRequest::Method m) {
  using M = QHttpServerRequest::Method;
  switch (m) {
    case M::Get:
      return "GET";
    case M::Put:
      return "PUT";
    case M::Delete:
      return "DELETE";
    case M::Post:
      return "POST";
    case M::Head:
      return "HEAD";
    case M::Options:
      return "OPTIONS";
    case M::Patch:
      return "PATCH";
    case M::Connect:
      return "CONNECT";
    case M::Trace:
      return "TRACE";
    default:
      return "UNKNOWN";
  }
}

}  // namespace

GuardedTcpServer::GuardedTcpServer(const GuardPolicy& policy, int maxConnections, Metrics* metrics,
                                   QObject* httpServer)
    : policy_(policy),
      maxConnections_(maxConnections),
      metrics_(metrics),
      httpServer_(httpServer) {}

void GuardedTcpServer::incomingConnection(qintptr socketDescriptor) {
  auto* socket = new QTcpSocket(this);
  if (!socket->setSocketDescriptor(socketDescriptor)) {
    delete socket;
    return;
  }
  const int open = metrics_->openConnections();
  if (open >= maxConnections_ + kProbeConnections) {
    metrics_->countRejected("too_many_connections");
    socket->write(errorResponseBytes(
        ApiError::make("TooManyConnections", "", "too many open connections; retry later"), false));
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
    return;
  }
  // The guard connects to readyRead before QHttpServer does (on addPendingConnection).
  // Beyond the limit a few connections are kept for orchestrator probes, so a
  // server whose clients hold every connection still answers /health/*.
  new ConnectionGuard(socket, policy_, httpServer_, metrics_, open >= maxConnections_);
  addPendingConnection(socket);
}

RestServer::RestServer(JobService& jobs, const PathPolicy& paths, const HttpConfig& http)
    : http_(http) {
  policy_.maxUploadBytes = http_.maxUploadBytes;
  policy_.maxJsonBytes = http_.maxJsonBytes;
  policy_.maxHeaderBytes = http_.maxHeaderBytes;
  policy_.idleTimeoutMs = http_.idleTimeoutMs;
  policy_.headerTimeoutMs = http_.headerTimeoutMs;
  policy_.token = http_.token;
  // The budget must admit at least one body of the largest size allowed.
  policy_.maxInflightBodyBytes =
      http_.maxInflightBodyBytes > 0
          ? std::max({http_.maxInflightBodyBytes, http_.maxUploadBytes, http_.maxJsonBytes})
          : 0;
  policy_.minBodyBytesPerSec = http_.minBodyBytesPerSec;
  policy_.inflightBodyBytes = &inflightBodyBytes_;
  policy_.uploadPath = "/render-upload";
  policy_.isPublicPath = isPublicPath;
  ctx_.jobs = &jobs;
  ctx_.paths = &paths;
  ctx_.http = &http_;
  ctx_.metrics = &metrics_;
  ctx_.routes = &routes_;
  routes_ = buildRoutes(&ctx_);
}

RestServer::~RestServer() {
  // Sockets (and their guards, which count into metrics_) go before the members.
  for (QTcpServer* server : servers()) delete server;
}

bool RestServer::start(std::string* error, quint16* boundPort) {
  QHostAddress address;
  if (!address.setAddress(QString::fromStdString(http_.host))) {
    const QHostInfo info = QHostInfo::fromName(QString::fromStdString(http_.host));
    if (info.addresses().isEmpty()) {
      *error = "cannot resolve host \"" + http_.host + "\"";
      return false;
    }
    address = info.addresses().first();
  }
  auto* server = new GuardedTcpServer(policy_, http_.maxConnections, &metrics_, this);
  if (!server->listen(address, quint16(http_.port))) {
    *error = "cannot listen on " + http_.host + ":" + std::to_string(http_.port) + ": " +
             server->errorString().toStdString();
    delete server;
    return false;
  }
  bind(server);
  *boundPort = server->serverPort();
  http_.port = *boundPort;
  return true;
}

bool RestServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) {
  ConnectionGuard* guard = ConnectionGuard::of(socket);
  if (!guard || FileStreamer::active(socket)) {
    // No guard: not our socket. A download in progress: pipelining is not supported.
    socket->abort();
    return true;
  }
  const bool keepAlive = guard->keepAlive();
  guard->requestDispatched();
  QElapsedTimer timer;
  timer.start();
  HttpRequest req;
  req.method = methodName(request.method());
  req.path = request.url().path(QUrl::FullyDecoded).toStdString();
  req.query = request.query();
  req.raw = &request;
  std::string route;
  HttpResponse response;
  if (!request.value("upgrade").isEmpty()) {
    response = HttpResponse::error(
        ApiError::make("MalformedRequest", "Upgrade", "protocol upgrades are not supported"));
  } else {
    // An exception must never unwind through Qt's event loop (std::terminate):
    // it fails this request and nothing else.
    try {
      response = dispatchRoute(routes_, http_, req, &route);
    } catch (const std::exception& e) {
      avatar::log(avatar::LogLevel::Error,
                  "request " + req.method + " " + req.path + " failed: " + e.what());
      response = HttpResponse::error(
          ApiError::make("Internal", "", "the request could not be handled; see the server log"));
    }
  }
  metrics_.countRequest(req.method, route, response.status, double(timer.nsecsElapsed()) / 1e9);
  send(socket, response, keepAlive, req.headOnly());
  return true;
}

void RestServer::missingHandler(const QHttpServerRequest&, QTcpSocket*) {
  // Only reached for protocol upgrades, which handleRequest() already refused.
}

void RestServer::send(QTcpSocket* socket, HttpResponse& response, bool keepAlive, bool headOnly) {
  if (response.file) {
    auto* file = new QFile(QString::fromStdString(response.file->path));
    if (!file->open(QIODevice::ReadOnly)) {
      delete file;
      response = HttpResponse::error(ApiError::make("Expired", "", "the video file is gone"));
    } else {
      socket->write(responseHead(response, response.file->length, keepAlive));
      if (headOnly || response.file->length == 0) {
        delete file;
        if (!keepAlive) socket->disconnectFromHost();
        return;
      }
      FileStreamer::start(socket, file, response.file->offset, response.file->length, !keepAlive);
      return;
    }
  }
  QByteArray bytes = responseHead(response, response.body.size(), keepAlive);
  if (!headOnly) bytes += response.body;
  socket->write(bytes);
  if (!keepAlive) socket->disconnectFromHost();
}

}  // namespace avatar::server
