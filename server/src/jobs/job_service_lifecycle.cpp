// JobService: opening the data directory, crash recovery, retention, shutdown.
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QStorageInfo>
#include <algorithm>
#include <filesystem>

#include "avatar/files.h"
#include "avatar/log.h"
#include "jobs/job_service.h"
#include "queue/redis_job_queue.h"

namespace avatar::server {
namespace {

int64_t nowMs() {
  return QDateTime::currentMSecsSinceEpoch();
}
QString qs(const std::string& s) {
  return QString::fromStdString(s);
}

std::string hoursText(double hours) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", hours);
  return buf;
}

}  // namespace

std::optional<ApiError> JobService::open() {
  QDir dir;
  if (!dir.mkpath(qs(config_.dataDir + "/jobs"))) {
    return ApiError::make("OutputNotWritable", config_.dataDir, "cannot create the data directory");
  }
  config_.dataDir = QFileInfo(qs(config_.dataDir)).canonicalFilePath().toStdString();
  if (!config_.queueUrl.empty()) return openQueue();  // shared data dir: no lock, no SQLite
  std::string lockError;
  if (!lock_.acquire(config_.dataDir, &lockError)) {
    return ApiError::make("Internal", config_.dataDir, lockError);
  }
  if (auto err = store_.open(config_.dataDir + "/jobs.sqlite")) return err;
  std::vector<JobRecord> loaded;
  if (auto err = store_.loadAll(&loaded)) return err;
  for (int i = 0; i < std::max(1, config_.workers); ++i) {
    workers_.push_back(std::make_unique<RenderWorker>(
        engine_,
        [this](const std::string& id, double p, const std::string& stage) {
          QMetaObject::invokeMethod(
              this, [this, id, p, stage] { onWorkerProgress(id, p, stage); }, Qt::QueuedConnection);
        },
        [this](RenderOutcome o) {
          QMetaObject::invokeMethod(
              this, [this, o = std::move(o)]() mutable { onWorkerDone(std::move(o)); },
              Qt::QueuedConnection);
        }));
  }
  recover(std::move(loaded));
  reconcileDataDir();
  sweepRetention();
  // Age-based expiry also needs a clock, not only job completions.
  const double retentionMs = config_.retentionHours * 3600e3;
  retentionTimer_.setInterval(int(std::clamp(retentionMs / 4, 500.0, 60e3)));
  connect(&retentionTimer_, &QTimer::timeout, this, &JobService::sweepRetention);
  retentionTimer_.start();
  dispatch();
  return std::nullopt;
}

void JobService::recover(std::vector<JobRecord> loaded) {
  int requeued = 0, failed = 0;
  for (auto& job : loaded) {
    // Paths follow the data directory, wherever it is now.
    job.jobDir = jobDirFor(job.id);
    job.outputPath = job.jobDir + "/" + job.id + ".mp4";
    if (job.state == JobState::Processing ||
        (job.state == JobState::Queued && job.origin == "mcp")) {
      removeOutput(job);
      if (job.origin == "mcp") {
        job.errorCode = "Interrupted";
        job.errorSubject = "";
        job.errorDetail = "the MCP server stopped before the job finished";
        job.state = JobState::Failed;
        job.finishedMs = nowMs();
        removeJobDir(job);
        ++failed;
      } else if (job.attempts >= config_.maxAttempts) {
        job.errorCode = "Interrupted";
        // Most likely the input crashed the process: do not run it again.
        job.errorDetail = "the server stopped during this job " + std::to_string(job.attempts) +
                          " time(s) (last in stage \"" + job.stage +
                          "\"); giving up (attempt limit " + std::to_string(config_.maxAttempts) +
                          ")";
        job.state = JobState::Failed;
        job.finishedMs = nowMs();
        removeJobDir(job);
        ++failed;
      } else {
        requeueInterrupted(job, "re-queued after the server stopped during attempt " +
                                    std::to_string(job.attempts));
        ++requeued;
      }
      persist(job);
    } else if (job.state == JobState::Succeeded) {
      const QFileInfo video(qs(job.outputPath));
      if (!video.isFile() || video.size() != job.outputBytes) {
        job.state = JobState::Expired;
        job.notes.push_back("the video was missing or changed on disk at startup");
        persist(job);
      }
    }
    jobs_[job.id] = job;
  }
  std::vector<const JobRecord*> queued;
  for (const auto& [id, job] : jobs_) {
    if (job.state == JobState::Queued) queued.push_back(&job);
  }
  std::sort(queued.begin(), queued.end(),
            [](const JobRecord* a, const JobRecord* b) { return a->createdMs < b->createdMs; });
  for (const auto* job : queued) pending_.push_back(job->id);
  avatar::log(avatar::LogLevel::Info, "job store: " + std::to_string(jobs_.size()) + " job(s), " +
                                          std::to_string(pending_.size()) + " queued (" +
                                          std::to_string(requeued) +
                                          " re-queued after an interruption, " +
                                          std::to_string(failed) + " failed as interrupted)");
}

void JobService::reconcileDataDir() {
  // A process killed at any moment (during an upload, between a state change
  // and a clean-up) leaves folders the job store does not account for. Each
  // entry of <data-dir>/jobs is adopted (a queued or succeeded job's folder:
  // its size is re-measured so the disk budget sees it) or removed.
  namespace fs = std::filesystem;
  const fs::path root = fs::path(config_.dataDir) / "jobs";
  std::error_code ec;
  int adopted = 0, removed = 0;
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(it->path());
  }
  for (const fs::path& entry : entries) {
    const std::string name = entry.filename().string();
    const auto job = jobs_.find(name);
    const bool isDir = fs::is_directory(fs::symlink_status(entry, ec));
    const bool keeps = job != jobs_.end() && (job->second.state == JobState::Queued ||
                                              job->second.state == JobState::Succeeded);
    if (isDir && keeps) {
      int64_t bytes = 0;
      for (fs::recursive_directory_iterator f(entry, ec), end; !ec && f != end; f.increment(ec)) {
        if (f->is_regular_file(ec)) bytes += int64_t(f->file_size(ec));
      }
      if (bytes != job->second.diskBytes) {
        job->second.diskBytes = bytes;
        persist(job->second);
      }
      ++adopted;
      continue;
    }
    std::error_code rmError;
    fs::remove_all(entry, rmError);
    ++removed;
    avatar::log(
        rmError ? avatar::LogLevel::Error : avatar::LogLevel::Warning,
        std::string(rmError ? "cannot remove " : "removed ") + "leftover jobs/" + validUtf8(name) +
            " (" +
            (job == jobs_.end() ? "no job record: an interrupted upload or submission"
                                : std::string("job is ") + jobStateName(job->second.state)) +
            ")" + (rmError ? ": " + rmError.message() : ""));
  }
  avatar::log(avatar::LogLevel::Info, "data directory: " + std::to_string(adopted) +
                                          " job folder(s) adopted, " + std::to_string(removed) +
                                          " leftover(s) removed");
}

void JobService::requeueInterrupted(JobRecord& job, const std::string& why) {
  removeOutput(job);
  job.state = JobState::Queued;
  job.progress = 0;
  job.stage = "queued";
  job.startedMs = 0;
  job.notes.push_back(why);
  persist(job);
}

void JobService::shutdown() {
  if (shuttingDown_) return;
  shuttingDown_ = true;
  retentionTimer_.stop();
  queuePoll_.stop();
  for (auto& w : workers_) w->stop(true);
  workers_.clear();  // joins; their last outcomes are queued calls to this object
  QCoreApplication::sendPostedEvents(this);
  store_.close();
  lock_.release();
}

void JobService::removeOutput(const JobRecord& job) {
  avatar::removePartialOutputs(job.outputPath);  // <out>.<tag>.part of a killed render
  QFile::remove(qs(job.outputPath));
}

void JobService::removeJobDir(JobRecord& job) {
  // Only ever inside <data-dir>/jobs/, whatever the database says.
  const std::string root = config_.dataDir + "/jobs/";
  if (job.jobDir.rfind(root, 0) != 0 || job.jobDir.find("..") != std::string::npos) return;
  QDir(qs(job.jobDir)).removeRecursively();
  job.diskBytes = 0;
}

void JobService::expire(JobRecord& job, const std::string& reason) {
  removeJobDir(job);
  job.state = JobState::Expired;
  job.notes.push_back(reason);
  persist(job);
  avatar::log(avatar::LogLevel::Info, "job " + job.id + " expired: " + reason);
}

void JobService::sweepRetention() {
  if (shuttingDown_) return;
  const int64_t now = nowMs();
  const double keepMs = config_.retentionHours * 3600e3;
  std::vector<std::string> forget;
  for (auto& [id, job] : jobs_) {
    if (!isTerminal(job.state)) continue;
    if (job.state == JobState::Expired) {
      if (keepMs > 0 && now - job.finishedMs > 2 * keepMs) forget.push_back(id);
    } else if (keepMs > 0 && now - job.finishedMs > keepMs) {
      expire(job, "removed by the retention policy (finished more than " +
                      hoursText(config_.retentionHours) + " h ago)");
    }
  }
  for (const auto& id : forget) {
    if (auto err = store_.remove(id)) avatar::log(avatar::LogLevel::Error, err->message());
    jobs_.erase(id);
  }
  if (config_.diskBudgetBytes <= 0) return;
  int64_t used = 0;
  std::vector<JobRecord*> finished;
  for (auto& [id, job] : jobs_) {
    used += job.diskBytes;
    if (isTerminal(job.state) && job.state != JobState::Expired && job.diskBytes > 0) {
      finished.push_back(&job);
    }
  }
  std::sort(finished.begin(), finished.end(),
            [](const JobRecord* a, const JobRecord* b) { return a->finishedMs < b->finishedMs; });
  for (JobRecord* job : finished) {
    if (used <= config_.diskBudgetBytes) break;
    used -= job->diskBytes;
    expire(*job, "removed by the disk budget (" + std::to_string(config_.diskBudgetBytes) +
                     " bytes), oldest first");
  }
}

ServiceStats JobService::stats() const {
  if (queue_) return queueStats();
  ServiceStats s = counters_;
  for (const auto& name : jobStateNames()) s.jobsByState[*jobStateFromName(name)] = 0;
  for (const auto& [id, job] : jobs_) {
    ++s.jobsByState[job.state];
    s.diskBytes += job.diskBytes;
  }
  s.queued = int(pending_.size());
  for (const auto& w : workers_) s.running += w->busy() ? 1 : 0;
  return s;
}

bool JobService::storeHealthy() {
  if (queue_) return !shuttingDown_ && queue_->healthy();
  return !shuttingDown_ && store_.ping();
}

int64_t JobService::freeDiskBytes() const {
  return QStorageInfo(qs(config_.dataDir)).bytesAvailable();
}

}  // namespace avatar::server
