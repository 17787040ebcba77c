// JobService in queue mode (`--queue redis://...`): jobs go to the Redis
// stream and live in Redis; `avatar-renderer worker` processes render them.
// The local SQLite store, lock and render threads are not used.
#include <QDir>

#include "avatar/log.h"
#include "jobs/job_service.h"
#include "queue/redis_job_queue.h"

namespace avatar::server {

std::optional<ApiError> JobService::openQueue() {
  queue_ = std::make_unique<RedisJobQueue>(config_);
  if (auto err = queue_->open()) {
    queue_.reset();
    return err;
  }
  // Front-ends follow the jobs they submitted (MCP waits for its renders).
  queuePoll_.setInterval(100);
  connect(&queuePoll_, &QTimer::timeout, this, &JobService::pollQueue);
  queuePoll_.start();
  avatar::log(avatar::LogLevel::Info, "jobs go to Redis stream " + config_.queueStream +
                                          " (group " + config_.queueGroup + ")");
  return std::nullopt;
}

void JobService::pollQueue() {
  if (watched_.empty()) return;
  std::vector<std::string> finished;
  const auto ids = watched_;
  for (const auto& [id, last] : ids) {
    const JobRecord* job = queue_->find(id);
    if (!job) {
      finished.push_back(id);
      continue;
    }
    if (job->progress != last.first || job->stage != last.second) {
      watched_[id] = {job->progress, job->stage};
      if (job->state == JobState::Processing) {
        Q_EMIT jobProgress(QString::fromStdString(id), job->progress,
                           QString::fromStdString(job->stage));
      }
    }
    if (isTerminal(job->state)) {
      ++counters_.finishedTotal[job->state];
      finished.push_back(id);
    }
  }
  for (const auto& id : finished) {
    watched_.erase(id);
    Q_EMIT jobFinished(QString::fromStdString(id));
  }
}

JobService::CancelResult JobService::cancelQueued(const std::string& id,
                                                  const std::string& reason) {
  const std::string result = queue_->cancel(id, reason);
  if (result.empty()) return CancelResult::Unavailable;
  if (result == "notfound") return CancelResult::NotFound;
  if (result == "cancelling") return CancelResult::Cancelling;
  // Queued and cancelled, or finished and deleted: its files go now (a
  // worker that later meets the stream entry only acknowledges it).
  JobRecord job;
  job.id = id;
  job.jobDir = jobDirFor(id);
  removeJobDir(job);
  if (result == "cancelled") {
    ++counters_.finishedTotal[JobState::Cancelled];
    watched_.erase(id);
    Q_EMIT jobFinished(QString::fromStdString(id));
    return CancelResult::Cancelled;
  }
  return CancelResult::Deleted;
}

ServiceStats JobService::queueStats() const {
  ServiceStats s = counters_;
  const QueueFigures f = queue_->figures();
  s.jobsByState = f.jobsByState;
  s.queued = int(f.lag);
  s.running = 0;  // renders run in the workers (avatar_queue_in_flight)
  s.extraMetrics = RedisJobQueue::metricsText(f);
  return s;
}

}  // namespace avatar::server
