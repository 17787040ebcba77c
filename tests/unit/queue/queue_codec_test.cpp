#include <gtest/gtest.h>

#include "queue/job_codec.h"
#include "queue/redis_client.h"
#include "queue/redis_job_queue.h"

namespace avatar::server {
namespace {

TEST(RedisUrl, ParsesHostPortPasswordAndDatabase) {
  RedisEndpoint ep;
  std::string error;
  ASSERT_TRUE(parseRedisUrl("redis://:s3cret@redis.example:6380/2", &ep, &error)) << error;
  EXPECT_EQ(ep.host, "redis.example");
  EXPECT_EQ(ep.port, 6380);
  EXPECT_EQ(ep.password, "s3cret");
  EXPECT_EQ(ep.db, 2);
  ASSERT_TRUE(parseRedisUrl("redis://user:pw@10.0.0.1", &ep, &error)) << error;
  EXPECT_EQ(ep.host, "10.0.0.1");
  EXPECT_EQ(ep.port, 6379);
  EXPECT_EQ(ep.password, "pw");
  EXPECT_EQ(ep.db, 0);
}

TEST(RedisUrl, RejectsMalformedUrlsWithAReason) {
  RedisEndpoint ep;
  for (const char* bad : {"http://host:6379", "redis://", "redis://host:0", "redis://host:99999",
                          "redis://host:12ab", "redis://host/x", "host:6379"}) {
    std::string error;
    EXPECT_FALSE(parseRedisUrl(bad, &ep, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(JobCodec, RecordAndWorkerFieldsMakeTheClientView) {
  JobRecord job;
  job.id = "0f0e";
  job.origin = "mcp";
  job.requestJson = R"({"avatarPath":"/a.png"})";
  job.qualityMode = "balanced";
  job.createdMs = 1764584067123;
  job.notes = {"from the API"};
  const std::map<std::string, std::string> hash = {{"rec", jobRecordToJson(job).dump()},
                                                   {"state", "succeeded"},
                                                   {"progress", "1"},
                                                   {"stage", "done"},
                                                   {"deliveries", "2"},
                                                   {"startedMs", "1764584068000"},
                                                   {"finishedMs", "1764584069500"},
                                                   {"outputBytes", "4096"},
                                                   {"sha256", "ab12"},
                                                   {"result", R"({"frameCount":25})"},
                                                   {"notes", R"(["fallback: built-in"])"}};
  JobRecord out;
  ASSERT_TRUE(
      jobFromRedis(hash, {"attempt 1 on worker w1", "finished on worker w2"}, "/srv/d", &out));
  EXPECT_EQ(out.id, "0f0e");
  EXPECT_EQ(out.state, JobState::Succeeded);
  EXPECT_EQ(out.origin, "mcp");
  EXPECT_EQ(out.requestJson, job.requestJson);
  EXPECT_EQ(out.createdMs, 1764584067123);
  EXPECT_EQ(out.finishedMs, 1764584069500);
  EXPECT_EQ(out.attempts, 2);
  EXPECT_EQ(out.outputBytes, 4096);
  EXPECT_EQ(out.outputPath, "/srv/d/jobs/0f0e/0f0e.mp4");
  EXPECT_EQ(out.result.value("frameCount", 0), 25);
  const std::vector<std::string> notes = {"from the API", "fallback: built-in",
                                          "attempt 1 on worker w1", "finished on worker w2"};
  EXPECT_EQ(out.notes, notes);
}

TEST(JobCodec, RejectsHashesThatAreNotJobs) {
  JobRecord out;
  EXPECT_FALSE(jobFromRedis({{"rec", "not json"}, {"state", "queued"}}, {}, "/d", &out));
  EXPECT_FALSE(jobFromRedis({{"rec", R"({"id":"x"})"}, {"state", "weird"}}, {}, "/d", &out));
  EXPECT_FALSE(jobFromRedis({{"state", "queued"}}, {}, "/d", &out));
}

TEST(QueueMetrics, NamesEveryFamilyAndWorker) {
  QueueFigures f;
  f.ok = true;
  f.lag = 3;
  f.pending = 2;
  f.deadLetters = 1;
  f.counters = {{"jobs:w1", 5}, {"failures:w2", 1}, {"reclaims", 4}};
  const std::string text = RedisJobQueue::metricsText(f);
  EXPECT_NE(text.find("avatar_queue_lag 3\n"), std::string::npos);
  EXPECT_NE(text.find("avatar_queue_in_flight 2\n"), std::string::npos);
  EXPECT_NE(text.find("avatar_queue_dead_letters 1\n"), std::string::npos);
  EXPECT_NE(text.find("avatar_queue_reclaims_total 4\n"), std::string::npos);
  EXPECT_NE(text.find("avatar_worker_jobs_total{worker=\"w1\"} 5\n"), std::string::npos);
  EXPECT_NE(text.find("avatar_worker_failures_total{worker=\"w2\"} 1\n"), std::string::npos);
}

}  // namespace
}  // namespace avatar::server
