// RedisClient: one synchronous connection to Redis (libhiredis), for the
// queue's API side and its workers.
//
// Not thread-safe: one client per thread. A broken connection is reopened on
// the next command; `retryOnce` re-sends a command whose reply was lost to a
// dropped connection (only for commands that are safe to run twice).
#pragma once

#include <memory>
#include <string>
#include <vector>

struct redisContext;

namespace avatar::server {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;
  int db = 0;
};

// redis://[[user]:password@]host[:port][/db]; false with *error naming the part.
bool parseRedisUrl(const std::string& url, RedisEndpoint* out, std::string* error);

struct RedisValue {
  enum class Kind { Nil, Integer, String, Array, Status, Error };
  Kind kind = Kind::Nil;
  long long integer = 0;
  std::string str;  // String, Status, Error
  std::vector<RedisValue> items;

  bool isError() const { return kind == Kind::Error; }
  bool isNil() const { return kind == Kind::Nil; }
  // The string, or the integer as text; "" for nil/arrays.
  std::string text() const;
  long long asInt(long long fallback = 0) const;
};

class RedisClient {
 public:
  explicit RedisClient(RedisEndpoint endpoint, int timeoutMs = 5000);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  bool connected() const { return ctx_ != nullptr; }
  // Opens the connection (AUTH, SELECT). False with *error on failure.
  bool connect(std::string* error);
  void disconnect();

  // Runs one command. A transport failure (server gone, timeout) returns
  // false with *error; a Redis error reply returns true with kind Error.
  bool command(const std::vector<std::string>& args, RedisValue* out, std::string* error,
               bool retryOnce = false);
  // EVAL of a Lua script (atomic on the server).
  bool eval(const std::string& script, const std::vector<std::string>& keys,
            const std::vector<std::string>& args, RedisValue* out, std::string* error,
            bool retryOnce = false);

  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  RedisEndpoint endpoint_;
  int timeoutMs_;
  redisContext* ctx_ = nullptr;
};

}  // namespace avatar::server
