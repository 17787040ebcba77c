// QueueWorker: `avatar-renderer worker`, one consumer of the job stream.
//
// Takes one job at a time (XREADGROUP; entries whose lease expired are taken
// over with XAUTOCLAIM), claims it with a fenced Lua script, renders it with
// the engine (RenderWorker), renews its lease while rendering (heartbeat,
// which also carries progress and the cancel flag), stores the output, and
// only then marks it done and acknowledges the entry. Failures that another
// attempt may cure are re-queued; after maxDeliveries the job goes to the
// dead-letter stream with its reason. On SIGTERM it takes no new job and
// finishes the current one within the grace period, or releases it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "avatar/engine.h"
#include "avatar_server/server.h"
#include "queue/queue_keys.h"
#include "queue/redis_client.h"
#include "queue/s3_store.h"

namespace avatar::server {

class RenderWorker;
struct RenderOutcome;

struct StreamEntry {
  std::string id;
  std::map<std::string, std::string> fields;
};

class QueueWorker {
 public:
  QueueWorker(ServiceConfig service, WorkerConfig worker,
              std::shared_ptr<const avatar::Engine> engine);
  ~QueueWorker();
  // Runs until *stop is set (SIGTERM); returns the process exit code.
  // A second signal (*hurry) releases the current job at once.
  int run(const std::atomic<bool>* stop, const std::atomic<bool>* hurry);
  // Finished videos go to this object store (uploaded before the job is
  // marked done) instead of the shared data directory.
  void setArtifactStore(S3Store store) { store_ = std::move(store); }

 private:
  bool ready();
  bool next(StreamEntry* entry);
  void handle(const StreamEntry& entry);
  void render(const StreamEntry& entry, const std::string& jobId, int delivery);
  void conclude(const StreamEntry& entry, const std::string& jobId, int delivery,
                const std::string& tempPath, RenderOutcome outcome, bool cancelled, bool released);
  // FINISH script, retried through Redis outages; returns its answer or "".
  std::string finish(const StreamEntry& entry, const std::string& jobId, const std::string& mode,
                     const std::string& note, const std::vector<std::string>& fields);
  std::string heartbeat(const StreamEntry& entry, const std::string& jobId, double progress,
                        const std::string& stage, std::string* cancelFlag);

  ServiceConfig service_;
  WorkerConfig config_;
  std::shared_ptr<const avatar::Engine> engine_;
  QueueKeys keys_;
  RedisClient redis_;
  std::string instance_;  // consumer name + a per-process nonce: the fence token
  const std::atomic<bool>* stop_ = nullptr;
  const std::atomic<bool>* hurry_ = nullptr;
  bool groupReady_ = false;
  bool ownBacklogRead_ = false;
  std::deque<StreamEntry> backlog_;  // entries this consumer name held before a restart
  bool warnedDown_ = false;
  // One render thread for the process: the engine's per-thread state (nets,
  // caches) survives from job to job, as in the embedded runner.
  std::unique_ptr<RenderWorker> renderer_;
  std::mutex mutex_;
  std::condition_variable done_;
  std::unique_ptr<RenderOutcome> outcome_;
  double progress_ = 0;
  std::string stage_;
  std::optional<S3Store> store_;
};

}  // namespace avatar::server
