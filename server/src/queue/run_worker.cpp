// runQueueWorker(): `avatar-renderer worker --redis URL`.
#include <unistd.h>
#include <QDir>
#include <QFileInfo>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <optional>

#include "avatar/log.h"
#include "avatar_server/server.h"
#include "core/service_setup.h"
#include "queue/queue_worker.h"
#include "queue/redis_client.h"
#include "queue/s3_store.h"

namespace avatar::server {
namespace {

std::atomic<bool> gStop{false};
std::atomic<bool> gHurry{false};

void onSignal(int) {
  // The first signal stops taking jobs; a second one releases the current job now.
  if (gStop.exchange(true)) gHurry.store(true);
}

bool validName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

int runQueueWorker(const ServiceConfig& serviceConfig, const WorkerConfig& workerConfig) {
  ServiceConfig service = serviceConfig;
  WorkerConfig worker = workerConfig;
  RedisEndpoint ep;
  std::string error;
  if (!parseRedisUrl(service.queueUrl, &ep, &error)) {
    std::fprintf(stderr, "avatar-renderer worker: --redis %s\n", error.c_str());
    return kServerExitUsage;
  }
  if (worker.name.empty()) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    worker.name = std::string(host) + "-" + std::to_string(::getpid());
  }
  if (!validName(worker.name)) {
    std::fprintf(stderr,
                 "avatar-renderer worker: --name \"%s\" must be 1-64 letters, digits, '.', '-' "
                 "or '_'\n",
                 worker.name.c_str());
    return kServerExitUsage;
  }
  std::optional<S3Store> store;
  if (!worker.artifacts.empty()) {
    store.emplace();
    if (!parseS3Url(worker.artifacts, &*store, &error)) {
      std::fprintf(stderr, "avatar-renderer worker: --artifacts %s\n", error.c_str());
      return kServerExitUsage;
    }
  }
  if (service.dataDir.empty()) service.dataDir = defaultDataDir("server");
  if (!QDir().mkpath(QString::fromStdString(service.dataDir + "/jobs"))) {
    std::fprintf(stderr, "avatar-renderer worker: --data-dir %s: cannot create it\n",
                 service.dataDir.c_str());
    return kServerExitFailure;
  }
  service.dataDir =
      QFileInfo(QString::fromStdString(service.dataDir)).canonicalFilePath().toStdString();
  auto engine = createEngine(service.engine);
  if (!engine) return kServerExitFailure;

  std::signal(SIGPIPE, SIG_IGN);
  struct sigaction sa {};
  sa.sa_handler = onSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  QueueWorker loop(service, worker, engine);
  if (store) loop.setArtifactStore(*store);
  std::fprintf(stderr, "avatar-renderer worker: %s ready (data: %s, artifacts: %s)\n",
               worker.name.c_str(), service.dataDir.c_str(),
               store ? (store->endpoint + "/" + store->bucket).c_str() : "data directory");
  return loop.run(&gStop, &gHurry);
}

}  // namespace avatar::server
