#include <gtest/gtest.h>

#include <QCoreApplication>
#include <filesystem>

#include "jobs/job_store.h"

namespace fs = std::filesystem;
using namespace avatar::server;

namespace {

TEST(JobStore, RoundTripsEveryField) {
  const fs::path dir = fs::temp_directory_path() / ("job-store-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  JobRecord job;
  job.id = "11111111-2222-3333-4444-555555555555";
  job.state = JobState::Failed;
  job.origin = "upload";
  job.requestJson = R"({"avatarPath":"/x.png"})";
  job.qualityMode = "high_quality";
  job.jobDir = "/data/jobs/1";
  job.outputPath = "/data/jobs/1/1.mp4";
  job.createdMs = 1700000000123;
  job.startedMs = 1700000001000;
  job.finishedMs = 1700000002000;
  job.progress = 0.25;
  job.stage = "render";
  job.attempts = 2;
  job.errorCode = "NoFaceDetected";
  job.errorSubject = "/x.png";
  job.errorDetail = "no face";
  job.outputBytes = 42;
  job.sha256 = "ab";
  job.diskBytes = 99;
  job.result = {{"width", 128}};
  job.notes = {"first", "second \"quoted\""};
  {
    JobStore store;
    ASSERT_FALSE(store.open((dir / "jobs.sqlite").string()));
    ASSERT_FALSE(store.save(job));
    job.progress = 0.5;  // a second save replaces the row
    ASSERT_FALSE(store.save(job));
  }
  JobStore store;
  ASSERT_FALSE(store.open((dir / "jobs.sqlite").string()));
  std::vector<JobRecord> loaded;
  ASSERT_FALSE(store.loadAll(&loaded));
  ASSERT_EQ(loaded.size(), 1u);
  const JobRecord& j = loaded[0];
  EXPECT_EQ(j.id, job.id);
  EXPECT_EQ(j.state, JobState::Failed);
  EXPECT_EQ(j.origin, "upload");
  EXPECT_EQ(j.requestJson, job.requestJson);
  EXPECT_EQ(j.createdMs, job.createdMs);
  EXPECT_EQ(j.progress, 0.5);
  EXPECT_EQ(j.attempts, 2);
  EXPECT_EQ(j.errorCode, "NoFaceDetected");
  EXPECT_EQ(j.diskBytes, 99);
  EXPECT_EQ(j.result, job.result);
  EXPECT_EQ(j.notes, job.notes);
  EXPECT_TRUE(store.ping());
  ASSERT_FALSE(store.remove(job.id));
  loaded.clear();
  ASSERT_FALSE(store.loadAll(&loaded));
  EXPECT_TRUE(loaded.empty());
  store.close();
  fs::remove_all(dir);
}

}  // namespace
