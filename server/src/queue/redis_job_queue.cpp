#include "queue/redis_job_queue.h"

#include <QDateTime>
#include <sstream>

#include "avatar/log.h"
#include "queue/job_codec.h"

namespace avatar::server {
namespace {

int64_t nowMs() {
  return QDateTime::currentMSecsSinceEpoch();
}

RedisEndpoint endpointOf(const std::string& url) {
  RedisEndpoint ep;
  std::string error;
  parseRedisUrl(url, &ep, &error);  // validated by the CLI; a bad URL fails in open()
  return ep;
}

}  // namespace

std::map<std::string, std::string> pairsToMap(const RedisValue& flat) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i + 1 < flat.items.size(); i += 2) {
    out[flat.items[i].text()] = flat.items[i + 1].text();
  }
  return out;
}

std::vector<std::string> stringsOf(const RedisValue& array) {
  std::vector<std::string> out;
  for (const auto& v : array.items) out.push_back(v.text());
  return out;
}

RedisJobQueue::RedisJobQueue(const ServiceConfig& config)
    : config_(config),
      keys_{config.queueStream, config.queueGroup},
      redis_(endpointOf(config.queueUrl)) {}

ApiError RedisJobQueue::unavailable(const std::string& what) const {
  return ApiError::make("QueueUnavailable", config_.queueUrl,
                        "the job queue (Redis) cannot be reached: " + what);
}

std::optional<ApiError> RedisJobQueue::open() {
  RedisEndpoint ep;
  std::string error;
  if (!parseRedisUrl(config_.queueUrl, &ep, &error)) {
    return ApiError::make("InvalidArgument", "--queue", error);
  }
  RedisValue v;
  if (!redis_.command({"XGROUP", "CREATE", keys_.stream, keys_.group, "0", "MKSTREAM"}, &v, &error,
                      true)) {
    return unavailable(error);
  }
  if (v.isError() && v.str.find("BUSYGROUP") == std::string::npos) {
    return ApiError::make("QueueUnavailable", config_.queueUrl, "XGROUP CREATE: " + v.str);
  }
  return std::nullopt;
}

std::optional<ApiError> RedisJobQueue::submit(const JobRecord& job) {
  RedisValue v;
  std::string error;
  // Safe to send twice: the script does nothing for an id it already has.
  if (!redis_.eval(queue_scripts::kSubmit,
                   {keys_.job(job.id), keys_.index(), keys_.stream, keys_.log(job.id)},
                   {job.id, jobRecordToJson(job).dump(), std::to_string(job.createdMs),
                    job.requestJson, config_.dataDir},
                   &v, &error, true)) {
    return unavailable(error);
  }
  if (v.isError()) return ApiError::make("QueueUnavailable", config_.queueUrl, v.str);
  remember(job);
  return std::nullopt;
}

const JobRecord* RedisJobQueue::remember(JobRecord job) {
  JobRecord& slot = cache_[job.id];
  slot = std::move(job);
  return &slot;
}

const JobRecord* RedisJobQueue::find(const std::string& id) {
  RedisValue v;
  std::string error;
  if (!redis_.eval(queue_scripts::kGet, {keys_.job(id), keys_.log(id)}, {}, &v, &error, true) ||
      v.isError()) {
    avatar::log(avatar::LogLevel::Warning, "queue: " + (v.isError() ? v.str : error));
    const auto it = cache_.find(id);
    return it == cache_.end() ? nullptr : &it->second;
  }
  JobRecord job;
  if (v.items.size() != 2 ||
      !jobFromRedis(pairsToMap(v.items[0]), stringsOf(v.items[1]), config_.dataDir, &job)) {
    cache_.erase(id);
    return nullptr;
  }
  return remember(std::move(job));
}

std::vector<const JobRecord*> RedisJobQueue::list(std::optional<JobState> state, int limit,
                                                  int offset, int* total) {
  *total = 0;
  RedisValue v;
  std::string error;
  if (!redis_.eval(queue_scripts::kList, {keys_.index()},
                   {keys_.stream, state ? jobStateName(*state) : "", std::to_string(offset),
                    std::to_string(limit)},
                   &v, &error, true) ||
      v.isError() || v.items.size() != 2) {
    avatar::log(avatar::LogLevel::Warning, "queue: list failed: " + (v.isError() ? v.str : error));
    return {};
  }
  *total = int(v.items[0].asInt());
  std::vector<const JobRecord*> out;
  for (const auto& pair : v.items[1].items) {
    JobRecord job;
    if (pair.items.size() == 2 &&
        jobFromRedis(pairsToMap(pair.items[0]), stringsOf(pair.items[1]), config_.dataDir, &job)) {
      out.push_back(remember(std::move(job)));
    }
  }
  return out;
}

std::string RedisJobQueue::cancel(const std::string& id, const std::string& reason) {
  RedisValue v;
  std::string error;
  // Not re-sent: a second run would delete a job the first one cancelled.
  if (!redis_.eval(queue_scripts::kCancel,
                   {keys_.job(id), keys_.index(), keys_.log(id), keys_.lease(id)},
                   {std::to_string(nowMs()), reason, id}, &v, &error) ||
      v.isError()) {
    avatar::log(avatar::LogLevel::Warning,
                "queue: cancel failed: " + (v.isError() ? v.str : error));
    return "";
  }
  if (v.str == "deleted" || v.str == "notfound") cache_.erase(id);
  return v.str;
}

bool RedisJobQueue::healthy() {
  RedisValue v;
  std::string error;
  return redis_.command({"PING"}, &v, &error, true) && !v.isError();
}

QueueFigures RedisJobQueue::figures() {
  QueueFigures f;
  for (const auto& name : jobStateNames()) f.jobsByState[*jobStateFromName(name)] = 0;
  RedisValue v;
  std::string error;
  if (!redis_.eval(queue_scripts::kCountStates, {keys_.index()}, {keys_.stream}, &v, &error,
                   true) ||
      v.isError()) {
    return f;
  }
  for (const auto& [name, n] : pairsToMap(v)) {
    if (auto s = jobStateFromName(name)) f.jobsByState[*s] = int(std::stoll(n));
  }
  if (redis_.command({"XLEN", keys_.stream}, &v, &error)) f.streamLength = v.asInt();
  if (redis_.command({"XLEN", keys_.dead()}, &v, &error)) f.deadLetters = v.asInt();
  if (redis_.command({"XINFO", "GROUPS", keys_.stream}, &v, &error) && !v.isError()) {
    for (const auto& group : v.items) {
      const auto g = pairsToMap(group);
      if (g.count("name") == 0 || g.at("name") != keys_.group) continue;
      f.pending = std::stoll(g.count("pending") ? g.at("pending") : "0");
      const auto lag = g.find("lag");
      f.lag = lag == g.end() || lag->second.empty() ? 0 : std::stoll(lag->second);
    }
  }
  if (redis_.command({"HGETALL", keys_.stats()}, &v, &error) && !v.isError()) {
    for (const auto& [k, n] : pairsToMap(v)) f.counters[k] = std::stoll(n);
  }
  f.ok = true;
  return f;
}

std::string RedisJobQueue::metricsText(const QueueFigures& f) {
  std::ostringstream o;
  auto family = [&](const char* name, const char* type, const char* help) {
    o << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  };
  auto counter = [&](const std::string& key) {
    const auto it = f.counters.find(key);
    return it == f.counters.end() ? int64_t(0) : it->second;
  };
  family("avatar_queue_up", "gauge", "1 when Redis answered this scrape.");
  o << "avatar_queue_up " << (f.ok ? 1 : 0) << '\n';
  family("avatar_queue_stream_length", "gauge", "Entries in the job stream.");
  o << "avatar_queue_stream_length " << f.streamLength << '\n';
  family("avatar_queue_lag", "gauge", "Jobs not yet delivered to a worker (KEDA's lagCount).");
  o << "avatar_queue_lag " << f.lag << '\n';
  family("avatar_queue_in_flight", "gauge", "Jobs delivered to a worker and not yet acknowledged.");
  o << "avatar_queue_in_flight " << f.pending << '\n';
  family("avatar_queue_dead_letters", "gauge", "Entries in the dead-letter stream.");
  o << "avatar_queue_dead_letters " << f.deadLetters << '\n';
  family("avatar_queue_reclaims_total", "counter",
         "Jobs taken over after their worker stopped renewing its lease.");
  o << "avatar_queue_reclaims_total " << counter("reclaims") << '\n';
  family("avatar_queue_released_total", "counter",
         "Jobs handed back by a stopping worker (SIGTERM) for another one.");
  o << "avatar_queue_released_total " << counter("released") << '\n';
  family("avatar_queue_dead_lettered_total", "counter", "Jobs moved to the dead-letter stream.");
  o << "avatar_queue_dead_lettered_total " << counter("deadLetters") << '\n';
  family("avatar_worker_jobs_total", "counter", "Jobs finished successfully, by worker.");
  for (const auto& [k, n] : f.counters) {
    if (k.rfind("jobs:", 0) == 0)
      o << "avatar_worker_jobs_total{worker=\"" << k.substr(5) << "\"} " << n << '\n';
  }
  family("avatar_worker_failures_total", "counter", "Failed render attempts, by worker.");
  for (const auto& [k, n] : f.counters) {
    if (k.rfind("failures:", 0) == 0)
      o << "avatar_worker_failures_total{worker=\"" << k.substr(9) << "\"} " << n << '\n';
  }
  return o.str();
}

}  // namespace avatar::server
