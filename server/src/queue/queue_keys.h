// Redis key names of one queue (all derived from the stream's name) and the
// Lua scripts that move a job between states atomically (queue_scripts.cpp).
//
// Per job: <stream>:job:<id> (hash: state, progress, owner, deliveries,
// results, the stored record), <stream>:log:<id> (list: its history:
// attempts, reclaims, releases, dead letter), <stream>:lease:<id> (the
// holder's instance id, with a TTL renewed by its heartbeat). Per queue:
// <stream> (the work stream), <stream>:dead (dead letters), <stream>:index
// (sorted set of job ids by creation time), <stream>:stats (counters).
#pragma once

#include <string>

namespace avatar::server {

struct QueueKeys {
  std::string stream;
  std::string group;

  std::string job(const std::string& id) const { return stream + ":job:" + id; }
  std::string log(const std::string& id) const { return stream + ":log:" + id; }
  std::string lease(const std::string& id) const { return stream + ":lease:" + id; }
  std::string index() const { return stream + ":index"; }
  std::string dead() const { return stream + ":dead"; }
  std::string stats() const { return stream + ":stats"; }
};

namespace queue_scripts {
// KEYS job index stream log; ARGV id rec createdMs request dataDir -> entry id | "exists"
extern const char* const kSubmit;
// KEYS job lease stream dead stats log; ARGV id instance leaseMs maxDeliveries nowMs entry group
// consumer -> {"run", n} | {"dead", reason} | {"done"|"gone"|"stale"|"held"|"cancelled", ...}
extern const char* const kClaim;
// KEYS job lease stream; ARGV instance leaseMs progress stage group entry consumer
// -> {"ok", cancelFlag} | {"lost", ""}
extern const char* const kHeartbeat;
// KEYS job lease stream stats log dead; ARGV instance group entry nowMs mode consumer note
// maxDeliveries [field value]... ; mode succeeded|failed|cancelled|retry|release
// -> "ok" | "requeued" | "released" | "dead" | "lost"
extern const char* const kFinish;
// KEYS job index log lease; ARGV nowMs reason id -> notfound|cancelled|cancelling|deleted
extern const char* const kCancel;
// KEYS job log -> {hash fields..., log entries...}
extern const char* const kGet;
// KEYS index; ARGV stream state offset limit -> {total, {{hash, log}, ...}}
extern const char* const kList;
// KEYS index; ARGV stream -> flat {state, count, ...}
extern const char* const kCountStates;
}  // namespace queue_scripts

}  // namespace avatar::server
