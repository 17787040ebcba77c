#include "queue/queue_worker.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "avatar/log.h"
#include "avatar/options_json.h"
#include "jobs/render_worker.h"
#include "queue/redis_job_queue.h"

namespace avatar::server {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

int64_t nowMs() {
  return QDateTime::currentMSecsSinceEpoch();
}

void info(const std::string& m) {
  avatar::log(avatar::LogLevel::Info, "worker: " + m);
}
void warn(const std::string& m) {
  avatar::log(avatar::LogLevel::Warning, "worker: " + m);
}

std::string nonce() {
  std::random_device rd;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%08x%08x", rd(), rd());
  return buf;
}

// Errors another attempt (another worker, later) may cure; the rest are the
// request's own fault and fail the job at once.
bool retryable(avatar::ErrorCode code) {
  using E = avatar::ErrorCode;
  switch (code) {
    case E::OutputNotWritable:
    case E::ModelMissing:
    case E::ModelInvalid:
    case E::DeviceUnavailable:
    case E::OutOfMemory:
    case E::EncoderFailed:
    case E::Internal:
      return true;
    default:
      return false;
  }
}

// [[stream, [[id, [k, v, ...]], ...]]] (XREADGROUP) or [[id, [k, v...]], ...].
std::optional<StreamEntry> firstEntry(const RedisValue& entries) {
  for (const auto& e : entries.items) {
    if (e.items.size() != 2 || e.items[1].kind != RedisValue::Kind::Array) continue;
    return StreamEntry{e.items[0].text(), pairsToMap(e.items[1])};
  }
  return std::nullopt;
}

std::string remap(const std::string& path, const std::string& from, const std::string& to) {
  if (from.empty() || from == to || path.rfind(from + "/", 0) != 0) return path;
  return to + path.substr(from.size());
}

}  // namespace

QueueWorker::QueueWorker(ServiceConfig service, WorkerConfig worker,
                         std::shared_ptr<const avatar::Engine> engine)
    : service_(std::move(service)),
      config_(std::move(worker)),
      engine_(std::move(engine)),
      keys_{service_.queueStream, service_.queueGroup},
      redis_([&] {
        RedisEndpoint ep;
        std::string error;
        parseRedisUrl(service_.queueUrl, &ep, &error);
        return ep;
      }()),
      instance_(config_.name + "/" + nonce()) {}

QueueWorker::~QueueWorker() {
  renderer_.reset();  // joins the render thread before the state it reports into goes
}

bool QueueWorker::ready() {
  std::string error;
  RedisValue v;
  if (!groupReady_) {
    if (!redis_.command({"XGROUP", "CREATE", keys_.stream, keys_.group, "0", "MKSTREAM"}, &v,
                        &error)) {
      if (!warnedDown_) warn(error + " (retrying)");
      warnedDown_ = true;
      return false;
    }
    if (v.isError() && v.str.find("BUSYGROUP") == std::string::npos) {
      warn("XGROUP CREATE: " + v.str);
      return false;
    }
    if (warnedDown_) info("Redis is back");
    warnedDown_ = false;
    groupReady_ = true;
  }
  return true;
}

bool QueueWorker::next(StreamEntry* entry) {
  RedisValue v;
  std::string error;
  const std::string consumer = config_.name;
  // 1. Entries this consumer name held before a restart (kill -9, a new pod),
  // read once; one still leased by the old instance comes back through 2.
  if (!ownBacklogRead_) {
    if (!redis_.command({"XREADGROUP", "GROUP", keys_.group, consumer, "COUNT", "1000", "STREAMS",
                         keys_.stream, "0"},
                        &v, &error)) {
      groupReady_ = false;
      return false;
    }
    if (!v.isError() && !v.items.empty() && v.items[0].items.size() == 2) {
      for (const auto& e : v.items[0].items[1].items) {
        if (e.items.size() == 2 && e.items[1].kind == RedisValue::Kind::Array) {
          backlog_.push_back(StreamEntry{e.items[0].text(), pairsToMap(e.items[1])});
        }
      }
    }
    ownBacklogRead_ = true;
  }
  if (!backlog_.empty()) {
    *entry = backlog_.front();
    backlog_.pop_front();
    return true;
  }
  // 2. Entries whose worker stopped renewing its lease.
  const auto leaseMs = std::to_string(int64_t(config_.leaseSec * 1000));
  if (!redis_.command(
          {"XAUTOCLAIM", keys_.stream, keys_.group, consumer, leaseMs, "0-0", "COUNT", "1"}, &v,
          &error)) {
    groupReady_ = false;
    return false;
  }
  if (!v.isError() && v.items.size() >= 2) {
    if (auto e = firstEntry(v.items[1])) {
      *entry = *e;
      return true;
    }
  }
  // 3. New entries.
  if (!redis_.command({"XREADGROUP", "GROUP", keys_.group, consumer, "COUNT", "1", "BLOCK", "500",
                       "STREAMS", keys_.stream, ">"},
                      &v, &error)) {
    groupReady_ = false;
    return false;
  }
  if (v.isError()) {
    if (v.str.find("NOGROUP") != std::string::npos) groupReady_ = false;
    warn("XREADGROUP: " + v.str);
    return false;
  }
  if (v.isNil() || v.items.empty() || v.items[0].items.size() != 2) return false;
  if (auto e = firstEntry(v.items[0].items[1])) {
    *entry = *e;
    return true;
  }
  return false;
}

int QueueWorker::run(const std::atomic<bool>* stop, const std::atomic<bool>* hurry) {
  stop_ = stop;
  hurry_ = hurry;
  renderer_ = std::make_unique<RenderWorker>(
      engine_,
      [this](const std::string&, double p, const std::string& s) {
        std::lock_guard lock(mutex_);
        progress_ = p;
        stage_ = s;
      },
      [this](RenderOutcome o) {
        std::lock_guard lock(mutex_);
        outcome_ = std::make_unique<RenderOutcome>(std::move(o));
        done_.notify_all();
      });
  info("\"" + config_.name + "\" consuming " + keys_.stream + " (group " + keys_.group +
       ", lease " + std::to_string(config_.leaseSec) + " s, dead letter after " +
       std::to_string(config_.maxDeliveries) + " deliveries)");
  while (!stop_->load()) {
    if (!ready()) {
      std::this_thread::sleep_for(milliseconds(250));
      continue;
    }
    StreamEntry entry;
    if (!next(&entry)) {
      if (!groupReady_) std::this_thread::sleep_for(milliseconds(250));
      continue;
    }
    handle(entry);
  }
  info("stopped: no job in hand");
  renderer_.reset();
  return 0;
}

void QueueWorker::handle(const StreamEntry& entry) {
  const auto job = entry.fields.find("job");
  if (job == entry.fields.end() || job->second.empty() || job->second.size() > 64) {
    warn("stream entry " + entry.id + " names no job; acknowledged and skipped");
    RedisValue v;
    std::string error;
    redis_.command({"XACK", keys_.stream, keys_.group, entry.id}, &v, &error);
    return;
  }
  const std::string& id = job->second;
  RedisValue v;
  std::string error;
  if (!redis_.eval(queue_scripts::kClaim,
                   {keys_.job(id), keys_.lease(id), keys_.stream, keys_.dead(), keys_.stats(),
                    keys_.log(id)},
                   {id, instance_, std::to_string(int64_t(config_.leaseSec * 1000)),
                    std::to_string(config_.maxDeliveries), std::to_string(nowMs()), entry.id,
                    keys_.group, config_.name},
                   &v, &error, true) ||
      v.isError() || v.items.empty()) {
    warn("cannot claim job " + id + ": " + (v.isError() ? v.str : error));
    groupReady_ = groupReady_ && !v.isError();
    return;
  }
  const std::string verdict = v.items[0].text();
  const std::string detail = v.items.size() > 1 ? v.items[1].text() : "";
  if (verdict == "run") {
    render(entry, id, int(v.items[1].asInt(1)));
  } else if (verdict == "dead") {
    warn("job " + id + " moved to the dead-letter stream: " + detail);
  } else if (verdict == "cancelled") {
    QDir(QString::fromStdString(service_.dataDir + "/jobs/" + id)).removeRecursively();
    info("job " + id + " was cancelled while its last worker was gone");
  } else if (verdict != "held") {
    info("job " + id + ": nothing to do (" + verdict + (detail.empty() ? "" : " " + detail) + ")");
  }
}

std::string QueueWorker::heartbeat(const StreamEntry& entry, const std::string& id, double progress,
                                   const std::string& stage, std::string* cancelFlag) {
  RedisValue v;
  std::string error;
  if (!redis_.eval(queue_scripts::kHeartbeat, {keys_.job(id), keys_.lease(id), keys_.stream},
                   {instance_, std::to_string(int64_t(config_.leaseSec * 1000)),
                    std::to_string(progress), stage, keys_.group, entry.id, config_.name},
                   &v, &error) ||
      v.isError() || v.items.size() != 2) {
    return "";  // Redis away: keep rendering, nobody can take the job meanwhile
  }
  *cancelFlag = v.items[1].text();
  return v.items[0].text();
}

void QueueWorker::render(const StreamEntry& entry, const std::string& id, int delivery) {
  const std::string jobDir = service_.dataDir + "/jobs/" + id;
  const std::string tempPath =
      jobDir + "/" + id + ".attempt-" + std::to_string(delivery) + "-" + config_.name + ".mp4";
  info("job " + id + " started (delivery " + std::to_string(delivery) + ")");
  RenderTask task;
  task.jobId = id;
  const auto req = entry.fields.find("request");
  avatar::Status parsed =
      req == entry.fields.end()
          ? avatar::Status::error(avatar::ErrorCode::InvalidArgument, "stream entry", "no request")
          : avatar::parseRenderRequest(req->second, &task.request);
  const auto from = entry.fields.find("dataDir");
  const std::string apiDataDir = from == entry.fields.end() ? "" : from->second;
  task.request.imagePath = remap(task.request.imagePath, apiDataDir, service_.dataDir);
  task.request.audioPath = remap(task.request.audioPath, apiDataDir, service_.dataDir);
  task.request.outputPath = tempPath;
  if (parsed && !QDir().mkpath(QString::fromStdString(jobDir))) {
    parsed = avatar::Status::error(avatar::ErrorCode::OutputNotWritable, jobDir,
                                   "cannot create the job directory on worker " + config_.name);
  }
  if (!parsed) {
    RenderOutcome o;
    o.jobId = id;
    o.status = parsed;
    conclude(entry, id, delivery, tempPath, std::move(o), false, false);
    return;
  }

  {
    std::lock_guard lock(mutex_);
    outcome_.reset();
    progress_ = 0;
    stage_ = "starting";
  }
  RenderWorker& worker = *renderer_;
  worker.start(std::move(task));
  bool cancelled = false, lost = false, released = false;
  std::optional<Clock::time_point> termSince;
  for (;;) {
    double p;
    std::string s;
    {
      std::unique_lock lock(mutex_);
      done_.wait_for(lock, milliseconds(100), [&] { return outcome_ != nullptr; });
      if (outcome_) break;
      p = progress_;
      s = stage_;
    }
    std::string cancelFlag;
    const std::string beat = heartbeat(entry, id, p, s, &cancelFlag);
    if (beat == "lost" && !lost) {
      lost = true;
      warn("job " + id + ": lease lost to another worker; stopping this render");
      worker.stop(false);
    }
    if (cancelFlag == "1" && !cancelled) {
      cancelled = true;
      info("job " + id + ": cancel requested; stopping");
      worker.stop(false);
    }
    if (stop_->load() && !termSince) {
      termSince = Clock::now();
      info("stopping: finishing job " + id + " within " + std::to_string(config_.graceSec) + " s");
    }
    if (termSince && !released &&
        (hurry_->load() ||
         Clock::now() - *termSince > std::chrono::duration<double>(config_.graceSec))) {
      released = true;
      info("grace period over: releasing job " + id);
      worker.stop(true);
    }
  }
  RenderOutcome o;
  {
    std::lock_guard lock(mutex_);
    o = std::move(*outcome_);
    outcome_.reset();
  }
  if (lost) {
    QFile::remove(QString::fromStdString(tempPath));
    return;
  }
  conclude(entry, id, delivery, tempPath, std::move(o), cancelled, released);
}

void QueueWorker::conclude(const StreamEntry& entry, const std::string& id, int delivery,
                           const std::string& tempPath, RenderOutcome o, bool cancelled,
                           bool released) {
  const std::string jobDir = service_.dataDir + "/jobs/" + id;
  const std::string finalPath = jobDir + "/" + id + ".mp4";
  const std::string attempt = "attempt " + std::to_string(delivery);
  const QString temp = QString::fromStdString(tempPath);
  const bool stopped = o.status.code() == avatar::ErrorCode::Cancelled;
  std::string answer;
  if (cancelled) {
    QDir(QString::fromStdString(jobDir)).removeRecursively();  // partial output and uploads
    answer = finish(entry, id, "cancelled",
                    "render stopped by worker " + config_.name + "; partial output removed", {});
  } else if (released && (stopped || !o.status)) {
    QFile::remove(temp);
    answer = finish(entry, id, "release",
                    "released by worker " + config_.name + " (shutting down) during " + attempt +
                        "; re-queued for another worker",
                    {});
  } else if (o.status) {
    std::string cancelFlag;
    if (heartbeat(entry, id, 1.0, "store", &cancelFlag) == "lost") {
      QFile::remove(temp);
      warn("job " + id + " was taken over before its output was stored; dropped");
      return;
    }
    if (store_) {
      const std::string key = store_->keyFor(id);
      std::string error;
      if (!s3Upload(*store_, tempPath, key, o.sha256, 3, &error)) {
        o.status = avatar::Status::error(avatar::ErrorCode::OutputNotWritable,
                                         "s3://" + store_->bucket + "/" + key, error);
        return conclude(entry, id, delivery, tempPath, std::move(o), false, false);
      }
      QFile::remove(temp);
      if (!o.result.is_object()) o.result = Json::object();
      o.result["artifact"] = {{"store", "s3"}, {"bucket", store_->bucket}, {"key", key}};
    } else {
      QFile::remove(QString::fromStdString(finalPath));
    }
    if (!store_ && !QFile::rename(temp, QString::fromStdString(finalPath))) {
      o.status = avatar::Status::error(avatar::ErrorCode::OutputNotWritable, finalPath,
                                       "cannot move the finished video into place");
      return conclude(entry, id, delivery, tempPath, std::move(o), false, false);
    }
    // Attempts of workers that died left their partial files (engine .part).
    const QStringList leftovers =
        QDir(QString::fromStdString(jobDir))
            .entryList({QString::fromStdString(id) + ".attempt-*"}, QDir::Files | QDir::Hidden);
    for (const QString& name : leftovers)
      QFile::remove(QString::fromStdString(jobDir) + "/" + name);
    Json notes = o.notes;
    answer = finish(entry, id, "succeeded", "finished on worker " + config_.name,
                    {"outputBytes", std::to_string(o.outputBytes), "sha256", o.sha256, "result",
                     o.result.dump(), "notes", notes.dump()});
  } else {
    QFile::remove(temp);
    const std::string code = avatar::errorCodeName(o.status.code());
    const std::string message = o.status.message();
    if (retryable(o.status.code())) {
      answer = finish(entry, id, "retry",
                      attempt + " failed on worker " + config_.name + ": " + code + ": " + message,
                      {"lastError", code + ": " + message, "lastCode", code});
    } else {
      QDir(QString::fromStdString(jobDir)).removeRecursively();
      const ApiError e = ApiError::fromStatus(o.status);
      answer = finish(entry, id, "failed", attempt + " failed on worker " + config_.name,
                      {"errorCode", e.code, "errorSubject", e.subject, "errorDetail", e.detail,
                       "result", o.result.dump()});
    }
  }
  info("job " + id + ": " + (answer.empty() ? "could not be recorded (Redis away)" : answer));
}

std::string QueueWorker::finish(const StreamEntry& entry, const std::string& id,
                                const std::string& mode, const std::string& note,
                                const std::vector<std::string>& fields) {
  std::vector<std::string> args{
      instance_, keys_.group,  entry.id, std::to_string(nowMs()),
      mode,      config_.name, note,     std::to_string(config_.maxDeliveries)};
  args.insert(args.end(), fields.begin(), fields.end());
  // Through a Redis restart: the output is stored, only the record is missing.
  const auto deadline = Clock::now() + std::chrono::seconds(120);
  std::string error;
  while (Clock::now() < deadline) {
    RedisValue v;
    if (redis_.eval(queue_scripts::kFinish,
                    {keys_.job(id), keys_.lease(id), keys_.stream, keys_.stats(), keys_.log(id),
                     keys_.dead()},
                    args, &v, &error)) {
      if (v.isError()) {
        warn("job " + id + ": " + v.str);
        return "";
      }
      return v.text();
    }
    if (hurry_->load()) break;
    std::this_thread::sleep_for(milliseconds(250));
  }
  warn("job " + id + ": " + error);
  return "";
}

}  // namespace avatar::server
