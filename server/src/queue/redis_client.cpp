#include "queue/redis_client.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>
#include <cstdlib>

namespace avatar::server {
namespace {

RedisValue convert(const redisReply* r) {
  RedisValue v;
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      v.kind = RedisValue::Kind::Integer;
      v.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
      v.kind = RedisValue::Kind::String;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      v.kind = RedisValue::Kind::Status;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      v.kind = RedisValue::Kind::Error;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ARRAY:
      v.kind = RedisValue::Kind::Array;
      for (size_t i = 0; i < r->elements; ++i) v.items.push_back(convert(r->element[i]));
      break;
    default:
      break;
  }
  return v;
}

bool parseInt(const std::string& s, int min, int max, int* out) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  const int v = std::atoi(s.c_str());
  if (v < min || v > max) return false;
  *out = v;
  return true;
}

}  // namespace

std::string RedisValue::text() const {
  if (kind == Kind::Integer) return std::to_string(integer);
  return str;
}

long long RedisValue::asInt(long long fallback) const {
  if (kind == Kind::Integer) return integer;
  if (kind != Kind::String || str.empty()) return fallback;
  char* end = nullptr;
  const long long v = std::strtoll(str.c_str(), &end, 10);
  return end && *end == '\0' ? v : fallback;
}

bool parseRedisUrl(const std::string& url, RedisEndpoint* out, std::string* error) {
  const std::string scheme = "redis://";
  if (url.rfind(scheme, 0) != 0) {
    *error = "\"" + url + "\" is not a redis:// URL (redis://[:password@]host[:port][/db])";
    return false;
  }
  std::string rest = url.substr(scheme.size());
  RedisEndpoint ep;
  if (const auto at = rest.rfind('@'); at != std::string::npos) {
    const std::string auth = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = auth.find(':');
    ep.password = colon == std::string::npos ? auth : auth.substr(colon + 1);
  }
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    const std::string db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!db.empty() && !parseInt(db, 0, 1 << 20, &ep.db)) {
      *error = "the database in \"" + url + "\" must be a number";
      return false;
    }
  }
  if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
    if (!parseInt(rest.substr(colon + 1), 1, 65535, &ep.port)) {
      *error = "the port in \"" + url + "\" must be 1..65535";
      return false;
    }
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) {
    *error = "\"" + url + "\" names no host";
    return false;
  }
  ep.host = rest;
  *out = ep;
  return true;
}

RedisClient::RedisClient(RedisEndpoint endpoint, int timeoutMs)
    : endpoint_(std::move(endpoint)), timeoutMs_(timeoutMs) {}

RedisClient::~RedisClient() {
  disconnect();
}

void RedisClient::disconnect() {
  if (ctx_) redisFree(ctx_);
  ctx_ = nullptr;
}

bool RedisClient::connect(std::string* error) {
  disconnect();
  timeval tv{timeoutMs_ / 1000, (timeoutMs_ % 1000) * 1000};
  redisContext* c = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, tv);
  const std::string where = endpoint_.host + ":" + std::to_string(endpoint_.port);
  if (!c || c->err) {
    *error = "cannot reach Redis at " + where + ": " + (c ? c->errstr : "out of memory");
    if (c) redisFree(c);
    return false;
  }
  redisSetTimeout(c, tv);
  ctx_ = c;
  auto simple = [&](const std::vector<std::string>& args) {
    RedisValue v;
    std::string e;
    if (!command(args, &v, &e)) {
      *error = e;
      return false;
    }
    if (v.isError()) {
      *error = "Redis at " + where + " refused " + args[0] + ": " + v.str;
      disconnect();
      return false;
    }
    return true;
  };
  if (!endpoint_.password.empty() && !simple({"AUTH", endpoint_.password})) return false;
  if (endpoint_.db != 0 && !simple({"SELECT", std::to_string(endpoint_.db)})) return false;
  return true;
}

bool RedisClient::command(const std::vector<std::string>& args, RedisValue* out, std::string* error,
                          bool retryOnce) {
  for (int attempt = 0; attempt < (retryOnce ? 2 : 1); ++attempt) {
    if (!ctx_ && !connect(error)) continue;
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* reply = static_cast<redisReply*>(
        redisCommandArgv(ctx_, int(argv.size()), argv.data(), lens.data()));
    if (!reply) {
      *error = "Redis connection lost: " + std::string(ctx_->errstr);
      disconnect();
      continue;
    }
    *out = convert(reply);
    freeReplyObject(reply);
    return true;
  }
  return false;
}

bool RedisClient::eval(const std::string& script, const std::vector<std::string>& keys,
                       const std::vector<std::string>& args, RedisValue* out, std::string* error,
                       bool retryOnce) {
  std::vector<std::string> cmd{"EVAL", script, std::to_string(keys.size())};
  cmd.insert(cmd.end(), keys.begin(), keys.end());
  cmd.insert(cmd.end(), args.begin(), args.end());
  return command(cmd, out, error, retryOnce);
}

}  // namespace avatar::server
