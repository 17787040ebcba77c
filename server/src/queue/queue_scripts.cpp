// The queue's state transitions as Lua scripts: each runs atomically inside
// Redis, so a job is claimed, finished or dead-lettered exactly once however
// many workers and API replicas race. Every finishing script is fenced on the
// job's owner (the instance id of the worker that claimed it): a worker whose
// job was reclaimed cannot finish it any more.
#include "queue/queue_keys.h"

namespace avatar::server::queue_scripts {

// Dead-letters a job: failed with the last error, an entry in the dead stream.
// Expects locals: job, stream, group, entry, dead, stats, log, lease, now, n.
#define AVATAR_DEAD_LETTER                                                                     \
  "local reason = redis.call('HGET', job, 'lastError') or ('delivered ' .. n .. "              \
  "' times and no worker finished it (each stopped renewing its lease)')\n"                    \
  "local code = redis.call('HGET', job, 'lastCode') or 'Interrupted'\n"                        \
  "redis.call('HSET', job, 'state', 'failed', 'stage', 'failed', 'finishedMs', now, "          \
  "'errorCode', code, 'errorSubject', '', 'errorDetail', "                                     \
  "'dead-lettered after ' .. n .. ' deliveries: ' .. reason, 'deliveries', n)\n"               \
  "redis.call('DEL', lease)\n"                                                                 \
  "redis.call('XADD', dead, '*', 'job', redis.call('HGET', job, 'id'), 'reason', reason, "     \
  "'code', code, 'deliveries', tostring(n))\n"                                                 \
  "redis.call('XACK', stream, group, entry)\n"                                                 \
  "redis.call('HINCRBY', stats, 'deadLetters', 1)\n"                                           \
  "redis.call('HINCRBY', stats, 'finished:failed', 1)\n"                                       \
  "redis.call('RPUSH', log, 'moved to the dead-letter stream after ' .. n .. ' deliveries: ' " \
  ".. reason)\n"

const char* const kSubmit = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 'exists' end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'rec', ARGV[2], 'state', 'queued', 'stage', 'queued',
  'progress', '0', 'deliveries', '0', 'createdMs', ARGV[3], 'request', ARGV[4],
  'dataDir', ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local e = redis.call('XADD', KEYS[3], '*', 'job', ARGV[1], 'request', ARGV[4], 'dataDir', ARGV[5])
redis.call('HSET', KEYS[1], 'entry', e)
return e
)lua";

const char* const kClaim = R"lua(
local job, lease, stream, dead, stats, log = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local instance, group, entry, now, consumer = ARGV[2], ARGV[7], ARGV[6], ARGV[5], ARGV[8]
local st = redis.call('HGET', job, 'state')
if not st then redis.call('XACK', stream, group, entry) return {'gone', ''} end
if st ~= 'queued' and st ~= 'processing' then
  redis.call('XACK', stream, group, entry) return {'done', st}
end
local cur = redis.call('HGET', job, 'entry')
if cur and cur ~= entry then redis.call('XACK', stream, group, entry) return {'stale', cur} end
local holder = redis.call('GET', lease)
if holder and holder ~= instance then return {'held', holder} end
local owner = redis.call('HGET', job, 'owner') or ''
if st == 'processing' and owner == instance then
  return {'run', redis.call('HGET', job, 'deliveries')}
end
local ownerName = redis.call('HGET', job, 'ownerName') or '?'
if redis.call('HGET', job, 'cancel') == '1' then
  redis.call('HSET', job, 'state', 'cancelled', 'stage', 'cancelled', 'finishedMs', now)
  redis.call('DEL', lease)
  redis.call('XACK', stream, group, entry)
  redis.call('HINCRBY', stats, 'finished:cancelled', 1)
  redis.call('RPUSH', log, 'cancelled: worker ' .. ownerName .. ' stopped before it could stop the render')
  return {'cancelled', ''}
end
local n = redis.call('HINCRBY', job, 'deliveries', 1)
if st == 'processing' then
  redis.call('HINCRBY', stats, 'reclaims', 1)
  redis.call('RPUSH', log, 'reclaimed by worker ' .. consumer .. ': worker ' .. ownerName ..
    ' stopped renewing its lease during attempt ' .. (n - 1))
end
if n > tonumber(ARGV[4]) then
  n = n - 1
)lua" AVATAR_DEAD_LETTER R"lua(
  return {'dead', reason}
end
redis.call('HSET', job, 'state', 'processing', 'owner', instance, 'ownerName', consumer,
  'startedMs', now, 'finishedMs', '0', 'progress', '0', 'stage', 'starting')
redis.call('SET', lease, instance, 'PX', ARGV[3])
redis.call('RPUSH', log, 'attempt ' .. n .. ' on worker ' .. consumer)
return {'run', tostring(n)}
)lua";

const char* const kHeartbeat = R"lua(
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] or
   redis.call('HGET', KEYS[1], 'state') ~= 'processing' then return {'lost', ''} end
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then return {'lost', ''} end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('HSET', KEYS[1], 'progress', ARGV[3], 'stage', ARGV[4])
redis.call('XCLAIM', KEYS[3], ARGV[5], ARGV[7], 0, ARGV[6], 'JUSTID')
return {'ok', redis.call('HGET', KEYS[1], 'cancel') or ''}
)lua";

const char* const kFinish = R"lua(
local job, lease, stream, stats, log, dead = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local instance, group, entry, now, mode, consumer = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if redis.call('HGET', job, 'owner') ~= instance or
   redis.call('HGET', job, 'state') ~= 'processing' then return 'lost' end
local fields = {}
for i = 9, #ARGV do fields[#fields + 1] = ARGV[i] end
if #fields > 0 then redis.call('HSET', job, unpack(fields)) end
if ARGV[7] ~= '' then redis.call('RPUSH', log, ARGV[7]) end
if mode == 'release' or mode == 'retry' then
  if mode == 'release' then
    redis.call('HINCRBY', job, 'deliveries', -1)
    redis.call('HINCRBY', stats, 'released', 1)
  else
    redis.call('HINCRBY', stats, 'failures:' .. consumer, 1)
  end
  local n = tonumber(redis.call('HGET', job, 'deliveries'))
  if mode == 'retry' and n >= tonumber(ARGV[8]) then
)lua" AVATAR_DEAD_LETTER R"lua(
    return 'dead'
  end
  redis.call('DEL', lease)
  redis.call('XACK', stream, group, entry)
  redis.call('HSET', job, 'state', 'queued', 'stage', 'queued', 'progress', '0', 'startedMs', '0')
  local e = redis.call('XADD', stream, '*', 'job', redis.call('HGET', job, 'id'),
    'request', redis.call('HGET', job, 'request'), 'dataDir', redis.call('HGET', job, 'dataDir'))
  redis.call('HSET', job, 'entry', e)
  if mode == 'release' then return 'released' end
  return 'requeued'
end
redis.call('DEL', lease)
redis.call('XACK', stream, group, entry)
redis.call('HSET', job, 'state', mode, 'finishedMs', now)
if mode == 'succeeded' then
  redis.call('HSET', job, 'progress', '1', 'stage', 'done')
  redis.call('HINCRBY', stats, 'jobs:' .. consumer, 1)
else
  redis.call('HSET', job, 'stage', mode)
end
if mode == 'failed' then redis.call('HINCRBY', stats, 'failures:' .. consumer, 1) end
redis.call('HINCRBY', stats, 'finished:' .. mode, 1)
return 'ok'
)lua";

const char* const kCancel = R"lua(
local st = redis.call('HGET', KEYS[1], 'state')
if not st then return 'notfound' end
if st == 'queued' then
  redis.call('HSET', KEYS[1], 'state', 'cancelled', 'stage', 'cancelled', 'finishedMs', ARGV[1])
  redis.call('RPUSH', KEYS[3], ARGV[2])
  return 'cancelled'
end
if st == 'processing' then
  if redis.call('HGET', KEYS[1], 'cancel') ~= '1' then
    redis.call('HSET', KEYS[1], 'cancel', '1')
    redis.call('RPUSH', KEYS[3], ARGV[2])
  end
  return 'cancelling'
end
redis.call('DEL', KEYS[1], KEYS[3], KEYS[4])
redis.call('ZREM', KEYS[2], ARGV[3])
return 'deleted'
)lua";

const char* const kGet = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return {redis.call('HGETALL', KEYS[1]), redis.call('LRANGE', KEYS[2], 0, -1)}
)lua";

const char* const kList = R"lua(
local ids = redis.call('ZREVRANGE', KEYS[1], 0, -1)
local offset, limit = tonumber(ARGV[3]), tonumber(ARGV[4])
local out, total = {}, 0
for _, id in ipairs(ids) do
  local h = ARGV[1] .. ':job:' .. id
  local st = redis.call('HGET', h, 'state')
  if st and (ARGV[2] == '' or st == ARGV[2]) then
    total = total + 1
    if total > offset and total <= offset + limit then
      out[#out + 1] = {redis.call('HGETALL', h), redis.call('LRANGE', ARGV[1] .. ':log:' .. id, 0, -1)}
    end
  end
end
return {total, out}
)lua";

const char* const kCountStates = R"lua(
local counts = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local st = redis.call('HGET', ARGV[1] .. ':job:' .. id, 'state')
  if st then counts[st] = (counts[st] or 0) + 1 end
end
local out = {}
for k, v in pairs(counts) do out[#out + 1] = k out[#out + 1] = v end
return out
)lua";

}  // namespace avatar::server::queue_scripts
