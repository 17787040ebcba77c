// RedisJobQueue: the API side of the Redis queue (`serve|mcp --queue URL`).
//
// JobService delegates to it when a queue URL is configured: submit() stores
// the record and XADDs the canonical request to the stream; find(), list()
// and cancel() read and change the state that workers keep in Redis, so any
// API replica answers for any job. Runs on the service's thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "avatar_server/server.h"
#include "core/api_error.h"
#include "jobs/job_record.h"
#include "queue/queue_keys.h"
#include "queue/redis_client.h"

namespace avatar::server {

struct QueueFigures {
  std::map<JobState, int> jobsByState;
  int64_t streamLength = 0;                 // entries kept in the stream
  int64_t lag = 0;                          // entries not yet delivered to any worker
  int64_t pending = 0;                      // delivered, not yet acknowledged (in flight)
  int64_t deadLetters = 0;                  // entries in the dead-letter stream
  std::map<std::string, int64_t> counters;  // <stream>:stats (jobs:<w>, failures:<w>, reclaims...)
  bool ok = false;
};

class RedisJobQueue {
 public:
  explicit RedisJobQueue(const ServiceConfig& config);

  // Connects and creates the stream and consumer group if missing.
  std::optional<ApiError> open();
  std::optional<ApiError> submit(const JobRecord& job);
  // Fresh from Redis; when Redis cannot be reached, the last copy seen (or null).
  const JobRecord* find(const std::string& id);
  std::vector<const JobRecord*> list(std::optional<JobState> state, int limit, int offset,
                                     int* total);
  // "notfound", "cancelled", "cancelling", "deleted", or "" when Redis is unreachable.
  std::string cancel(const std::string& id, const std::string& reason);
  bool healthy();
  QueueFigures figures();
  // Prometheus text for the queue (appended to /metrics).
  static std::string metricsText(const QueueFigures& f);

  const QueueKeys& keys() const { return keys_; }

 private:
  const JobRecord* remember(JobRecord job);
  ApiError unavailable(const std::string& what) const;

  ServiceConfig config_;
  QueueKeys keys_;
  RedisClient redis_;
  std::map<std::string, JobRecord> cache_;
};

// Shared by both sides: a flat Redis reply [k, v, k, v, ...] as a map.
std::map<std::string, std::string> pairsToMap(const RedisValue& flat);
std::vector<std::string> stringsOf(const RedisValue& array);

}  // namespace avatar::server
