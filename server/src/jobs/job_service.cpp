// JobService: submitting, listing, cancelling and running jobs.
// (Opening, recovery, retention and shutdown: job_service_lifecycle.cpp.)
#include "jobs/job_service.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QUuid>
#include <algorithm>

#include "avatar/log.h"
#include "avatar/options_json.h"
#include "queue/redis_job_queue.h"

namespace avatar::server {
namespace {

int64_t nowMs() {
  return QDateTime::currentMSecsSinceEpoch();
}

}  // namespace

JobService::JobService(ServiceConfig config, std::shared_ptr<const avatar::Engine> engine)
    : config_(std::move(config)), engine_(std::move(engine)) {}

JobService::~JobService() {
  shutdown();
}

std::string JobService::jobDirFor(const std::string& id) const {
  return config_.dataDir + "/jobs/" + id;
}

std::string JobService::redactServerPaths(std::string text) const {
  const std::string jobsPrefix = config_.dataDir + "/jobs/";
  for (size_t pos; (pos = text.find(jobsPrefix)) != std::string::npos;) {
    const size_t slash = text.find('/', pos + jobsPrefix.size());
    const size_t end = slash == std::string::npos ? pos + jobsPrefix.size() : slash + 1;
    text.erase(pos, end - pos);
  }
  for (size_t pos;
       !config_.dataDir.empty() && (pos = text.find(config_.dataDir)) != std::string::npos;) {
    text.replace(pos, config_.dataDir.size(), "<data-dir>");
  }
  return text;
}

ApiError JobService::redactServerPaths(ApiError error) const {
  error.subject = redactServerPaths(std::move(error.subject));
  error.detail = redactServerPaths(std::move(error.detail));
  return error;
}

std::optional<ApiError> JobService::reserveJob(std::string* jobId, std::string* inputsDir) {
  *jobId = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
  *inputsDir = jobDirFor(*jobId) + "/inputs";
  if (!QDir().mkpath(QString::fromStdString(*inputsDir))) {
    return ApiError::make("OutputNotWritable", "data directory",
                          "cannot create the job directory for uploads");
  }
  reserved_.insert(*jobId);
  return std::nullopt;
}

void JobService::discardReservedJob(const std::string& jobId) {
  if (reserved_.erase(jobId) == 0) return;
  QDir(QString::fromStdString(jobDirFor(jobId))).removeRecursively();
}

std::optional<ApiError> JobService::submit(SubmitSpec spec, JobRecord* out) {
  if (shuttingDown_) return ApiError::make("ShuttingDown", "", "the server is shutting down");
  int idleWorkers = 0;
  for (const auto& w : workers_) idleWorkers += w->busy() ? 0 : 1;
  if (int(pending_.size()) >= config_.maxQueuedJobs + idleWorkers) {
    return ApiError::make("QueueFull", "",
                          "the render queue is full (" + std::to_string(config_.maxQueuedJobs) +
                              " jobs waiting); retry later");
  }
  JobRecord job;
  if (!spec.reservedJobId.empty()) {
    if (reserved_.erase(spec.reservedJobId) == 0) {
      return ApiError::make("Internal", spec.reservedJobId, "job id was not reserved");
    }
    job.id = spec.reservedJobId;
  } else {
    job.id = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
  }
  job.jobDir = jobDirFor(job.id);
  if (!QDir().mkpath(QString::fromStdString(job.jobDir))) {
    return ApiError::make("OutputNotWritable", "data directory", "cannot create the job directory");
  }
  job.outputPath = job.jobDir + "/" + job.id + ".mp4";
  spec.request.outputPath = job.outputPath;
  job.requestJson = avatar::renderRequestToJson(spec.request, avatar::JsonNameStyle::Camel, -1);
  job.qualityMode = avatar::toString(spec.request.options.qualityMode);
  job.origin = spec.origin;
  job.createdMs = nowMs();
  job.stage = "queued";
  for (const auto& path : {spec.request.imagePath, spec.request.audioPath}) {
    if (path.rfind(job.jobDir + "/", 0) == 0)
      job.diskBytes += QFile(QString::fromStdString(path)).size();
  }
  if (auto err = queue_ ? queue_->submit(job) : store_.save(job)) {
    QDir(QString::fromStdString(job.jobDir)).removeRecursively();
    return err;
  }
  if (queue_) {
    watched_[job.id] = {0.0, job.stage};
    ++counters_.submittedTotal;
    avatar::log(avatar::LogLevel::Info,
                "job " + job.id + " queued on the stream (" + job.origin + ")");
    *out = job;
    return std::nullopt;
  }
  jobs_[job.id] = job;
  pending_.push_back(job.id);
  ++counters_.submittedTotal;
  avatar::log(avatar::LogLevel::Info, "job " + job.id + " queued (" + job.origin + ")");
  dispatch();
  *out = jobs_[job.id];
  return std::nullopt;
}

const JobRecord* JobService::find(const std::string& id) const {
  if (queue_) return queue_->find(id);
  const auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : &it->second;
}

std::vector<const JobRecord*> JobService::list(std::optional<JobState> state, int limit, int offset,
                                               int* total) const {
  if (queue_) return queue_->list(state, limit, offset, total);
  std::vector<const JobRecord*> all;
  for (const auto& [id, job] : jobs_) {
    if (!state || job.state == *state) all.push_back(&job);
  }
  std::sort(all.begin(), all.end(), [](const JobRecord* a, const JobRecord* b) {
    return a->createdMs != b->createdMs ? a->createdMs > b->createdMs : a->id > b->id;
  });
  *total = int(all.size());
  const size_t from = std::min(all.size(), size_t(std::max(offset, 0)));
  const size_t to = std::min(all.size(), from + size_t(std::max(limit, 0)));
  return {all.begin() + long(from), all.begin() + long(to)};
}

JobService::CancelResult JobService::cancel(const std::string& id, const std::string& reason) {
  if (queue_) return cancelQueued(id, reason);
  const auto it = jobs_.find(id);
  if (it == jobs_.end()) return CancelResult::NotFound;
  JobRecord& job = it->second;
  switch (job.state) {
    case JobState::Queued:
      pending_.erase(std::remove(pending_.begin(), pending_.end(), id), pending_.end());
      job.notes.push_back(reason);
      removeJobDir(job);
      finish(job, JobState::Cancelled);
      return CancelResult::Cancelled;
    case JobState::Processing:
      if (cancelRequested_.insert(id).second) job.notes.push_back(reason);
      for (auto& w : workers_) {
        if (w->currentJob() == id) w->stop(false);
      }
      return CancelResult::Cancelling;
    default:
      removeJobDir(job);
      if (auto err = store_.remove(id)) avatar::log(avatar::LogLevel::Error, err->message());
      jobs_.erase(it);
      return CancelResult::Deleted;
  }
}

void JobService::dispatch() {
  if (shuttingDown_) return;
  for (auto& worker : workers_) {
    if (pending_.empty()) return;
    if (worker->busy()) continue;
    JobRecord& job = jobs_.at(pending_.front());
    pending_.pop_front();
    RenderTask task;
    task.jobId = job.id;
    if (avatar::Status s = avatar::parseRenderRequest(job.requestJson, &task.request); !s) {
      const ApiError e = redactServerPaths(ApiError::fromStatus(s));
      job.errorCode = "Internal";
      job.errorSubject = "stored request";
      job.errorDetail = e.message();
      finish(job, JobState::Failed);
      continue;
    }
    task.request.outputPath = job.outputPath;
    job.state = JobState::Processing;
    job.startedMs = nowMs();
    job.finishedMs = 0;
    job.progress = 0;
    job.stage = "starting";
    ++job.attempts;
    persist(job);  // saved before the render starts: a crash finds it processing
    avatar::log(avatar::LogLevel::Info,
                "job " + job.id + " started (attempt " + std::to_string(job.attempts) + ")");
    worker->start(std::move(task));
  }
}

void JobService::onWorkerProgress(const std::string& jobId, double progress,
                                  const std::string& stage) {
  const auto it = jobs_.find(jobId);
  if (it == jobs_.end() || it->second.state != JobState::Processing) return;
  JobRecord& job = it->second;
  job.progress = std::max(job.progress, std::clamp(progress, 0.0, 1.0));
  const bool newStage = job.stage != stage;
  job.stage = stage;
  // Stage changes are few; saved so a job that crashes the process is
  // reported with the stage it crashed in.
  if (newStage) persist(job);
  Q_EMIT jobProgress(QString::fromStdString(jobId), job.progress, QString::fromStdString(stage));
}

void JobService::onWorkerDone(RenderOutcome o) {
  const bool cancelRequested = cancelRequested_.erase(o.jobId) > 0;
  const auto it = jobs_.find(o.jobId);
  if (it == jobs_.end()) return;
  JobRecord& job = it->second;
  const bool stopped = o.status.code() == avatar::ErrorCode::Cancelled;
  if (o.stoppedForShutdown && !cancelRequested && (stopped || !o.status)) {
    if (job.origin == "mcp") {
      job.notes.push_back("cancelled: the MCP server stopped");
      removeJobDir(job);
      finish(job, JobState::Cancelled);
    } else {
      // A clean stop is not the job's fault: the attempt does not count.
      job.attempts = std::max(0, job.attempts - 1);
      requeueInterrupted(job, "re-queued: the server shut down during the render");
    }
    return;
  }
  if (cancelRequested || stopped) {
    removeJobDir(job);  // partial output and uploads
    finish(job, JobState::Cancelled);
  } else if (o.status) {
    job.progress = 1.0;
    job.stage = "done";
    job.outputBytes = o.outputBytes;
    job.sha256 = o.sha256;
    job.diskBytes += o.outputBytes;
    job.result = std::move(o.result);
    for (auto& n : o.notes) job.notes.push_back(redactServerPaths(std::move(n)));
    counters_.renderSecondsSum +=
        job.result.value("renderSec", 0.0) + job.result.value("analyseSec", 0.0);
    ++counters_.renderCount;
    finish(job, JobState::Succeeded);
  } else {
    const ApiError e = redactServerPaths(ApiError::fromStatus(o.status));
    job.errorCode = e.code;
    job.errorSubject = e.subject;
    job.errorDetail = e.detail;
    if (!o.result.empty()) job.result = std::move(o.result);
    removeJobDir(job);  // partial output and uploads
    finish(job, JobState::Failed);
  }
  dispatch();
  sweepRetention();
}

void JobService::finish(JobRecord& job, JobState state) {
  job.state = state;
  job.finishedMs = nowMs();
  if (state != JobState::Succeeded) job.stage = jobStateName(state);
  persist(job);
  ++counters_.finishedTotal[state];
  avatar::log(state == JobState::Failed ? avatar::LogLevel::Warning : avatar::LogLevel::Info,
              "job " + job.id + " " + jobStateName(state) +
                  (job.errorCode.empty() ? "" : ": " + job.errorCode + " " + job.errorDetail));
  Q_EMIT jobFinished(QString::fromStdString(job.id));
}

void JobService::persist(const JobRecord& job) {
  if (auto err = store_.save(job)) avatar::log(avatar::LogLevel::Error, err->message());
}

}  // namespace avatar::server
