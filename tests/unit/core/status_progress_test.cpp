#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "avatar/progress.h"
#include "avatar/status.h"

using namespace avatar;

TEST(Status, CodesHaveStableUniqueNames) {
  std::vector<std::string> names;
  for (int c = 0; c <= int(kLastErrorCode); ++c) {
    const std::string name = errorCodeName(ErrorCode(c));
    ErrorCode back;
    ASSERT_TRUE(errorCodeFromName(name, &back)) << name;
    EXPECT_EQ(int(back), c);
    for (const auto& n : names) EXPECT_NE(n, name);
    names.push_back(name);
  }
  EXPECT_STREQ(errorCodeName(ErrorCode::NoFaceDetected), "NoFaceDetected");
}

TEST(Status, MessageNamesSubjectDetailAndContext) {
  Status s = Status::error(ErrorCode::InputNotFound, "/x/face.png", "photo file not found");
  s.addContext("while opening the session");
  EXPECT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "while opening the session: /x/face.png: photo file not found");
  EXPECT_TRUE(Status::ok().isOk());
  EXPECT_EQ(Status::ok().message(), "ok");
}

namespace {
struct Recorder : ProgressSink {
  std::vector<std::pair<double, std::string>> events;
  void onProgress(double overall, std::string_view stage, double) override {
    events.emplace_back(overall, std::string(stage));
  }
};
}  // namespace

TEST(ProgressMerger, WeightsStagesAndNeverGoesBack) {
  Recorder r;
  ProgressMerger m(&r, {{"decode", 1}, {"render", 3}});
  m.begin("decode");
  m.update(0.5);
  EXPECT_DOUBLE_EQ(r.events.back().first, 0.125);
  m.begin("render");
  EXPECT_DOUBLE_EQ(r.events.back().first, 0.25);
  m.update(0.5);
  EXPECT_DOUBLE_EQ(r.events.back().first, 0.625);
  m.update(0.1);  // a stage fraction going back does not move overall back
  EXPECT_DOUBLE_EQ(r.events.back().first, 0.625);
  m.update(7);  // clamped
  EXPECT_DOUBLE_EQ(r.events.back().first, 1.0);
  m.finish();
  EXPECT_DOUBLE_EQ(m.overall(), 1.0);
  EXPECT_EQ(r.events.back().second, "render");
}
