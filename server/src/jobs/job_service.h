// JobService: the jobs of one server process (REST or MCP).
//
// Owns the job store (SQLite in the data directory), the queue of waiting
// jobs and the render workers (one render per device at a time). All public
// methods run on the thread that created the service (the Qt event loop);
// worker threads report back through queued calls.
//
// Restart safety: every transition is saved before it takes effect. On
// open(), jobs that were processing when the previous process died are
// re-queued (REST) or failed with code Interrupted (MCP, or after
// maxAttempts runs); queued jobs are queued again; finished videos are
// checked on disk; folders in <data-dir>/jobs without a job that keeps files
// (interrupted uploads, clean-ups) are removed and logged. Retention expires finished jobs by age
// and disk budget.
#pragma once

#include <QObject>
#include <QTimer>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "avatar/engine.h"
#include "avatar/options.h"
#include "avatar_server/server.h"
#include "core/api_error.h"
#include "core/dir_lock.h"
#include "jobs/job_record.h"
#include "jobs/job_store.h"
#include "jobs/render_worker.h"

namespace avatar::server {

class RedisJobQueue;

struct SubmitSpec {
  avatar::RenderRequest request;  // input paths already resolved; outputPath empty
  std::string origin;             // "rest", "upload", "mcp"
  std::string reservedJobId;      // from reserveJob() (uploads); empty: a new id
};

struct ServiceStats {
  std::map<JobState, int> jobsByState;
  int queued = 0;
  int running = 0;
  int64_t diskBytes = 0;
  int64_t submittedTotal = 0;  // since this process started
  std::map<JobState, int64_t> finishedTotal;
  double renderSecondsSum = 0;
  int64_t renderCount = 0;
  std::string extraMetrics;  // queue mode: the queue's own Prometheus families
};

class JobService : public QObject {
  Q_OBJECT

 public:
  JobService(ServiceConfig config, std::shared_ptr<const avatar::Engine> engine);
  ~JobService() override;

  std::optional<ApiError> open();
  // Stops the workers. Running REST jobs go back to the queue for the next
  // start; running MCP jobs are cancelled (nobody will collect them).
  void shutdown();

  // A job id and its directory for files that arrive before the job does.
  std::optional<ApiError> reserveJob(std::string* jobId, std::string* inputsDir);
  void discardReservedJob(const std::string& jobId);

  std::optional<ApiError> submit(SubmitSpec spec, JobRecord* out);
  const JobRecord* find(const std::string& id) const;
  // Newest first. *total counts every match before limit/offset.
  std::vector<const JobRecord*> list(std::optional<JobState> state, int limit, int offset,
                                     int* total) const;

  enum class CancelResult { NotFound, Cancelled, Cancelling, Deleted, Unavailable };
  // Queued: cancelled now. Processing: stop requested (cancelled when the
  // engine stops; output removed). Finished: record and files deleted.
  CancelResult cancel(const std::string& id, const std::string& reason);

  ServiceStats stats() const;
  bool storeHealthy();
  int64_t freeDiskBytes() const;
  const ServiceConfig& config() const { return config_; }
  // `text` without the server's own absolute paths: "<data-dir>/jobs/<id>/x"
  // becomes "x" (e.g. "inputs/audio.wav"), any other mention of the data
  // directory "<data-dir>". For errors shown to clients.
  std::string redactServerPaths(std::string text) const;
  ApiError redactServerPaths(ApiError error) const;
  const std::shared_ptr<const avatar::Engine>& engine() const { return engine_; }
  void sweepRetention();

 Q_SIGNALS:
  void jobProgress(const QString& jobId, double progress, const QString& stage);
  void jobFinished(const QString& jobId);  // reached succeeded, failed or cancelled

 private:
  void dispatch();
  void onWorkerProgress(const std::string& jobId, double progress, const std::string& stage);
  void onWorkerDone(RenderOutcome outcome);
  void finish(JobRecord& job, JobState state);
  void persist(const JobRecord& job);
  void recover(std::vector<JobRecord> loaded);
  void reconcileDataDir();
  void requeueInterrupted(JobRecord& job, const std::string& why);
  void expire(JobRecord& job, const std::string& reason);
  void removeOutput(const JobRecord& job);
  void removeJobDir(JobRecord& job);
  std::string jobDirFor(const std::string& id) const;
  // Queue mode (queue/job_service_queue.cpp): jobs live in Redis.
  std::optional<ApiError> openQueue();
  void pollQueue();
  CancelResult cancelQueued(const std::string& id, const std::string& reason);
  ServiceStats queueStats() const;

  ServiceConfig config_;
  std::shared_ptr<const avatar::Engine> engine_;
  JobStore store_;
  DirLock lock_;
  std::map<std::string, JobRecord> jobs_;
  std::deque<std::string> pending_;
  std::set<std::string> reserved_;
  std::set<std::string> cancelRequested_;
  std::vector<std::unique_ptr<RenderWorker>> workers_;
  QTimer retentionTimer_;
  ServiceStats counters_;
  bool shuttingDown_ = false;
  std::unique_ptr<RedisJobQueue> queue_;
  QTimer queuePoll_;
  std::map<std::string, std::pair<double, std::string>> watched_;  // submitted here, running
};

}  // namespace avatar::server
