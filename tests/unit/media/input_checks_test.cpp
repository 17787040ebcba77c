#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "avatar/files.h"
#include "media/input_checks.h"
#include "test_support.h"

using namespace avatar;
using avatar::detail::checkOutputPath;
using avatar_test::ScratchDir;

namespace {

// A directory this process cannot create files in: chmod 555 for normal
// users; as root (which ignores permissions) sysfs, which refuses new files.
std::string unwritableDir(const ScratchDir& dir) {
  if (::geteuid() == 0) return "/sys";
  const std::string ro = dir.file("readonly");
  std::filesystem::create_directories(ro);
  ::chmod(ro.c_str(), 0555);
  return ro;
}

}  // namespace

TEST(OutputChecks, RefusesEveryBadOutputPathAndLeavesNothing) {
  ScratchDir dir("out");
  const std::string input = dir.file("face.png");
  avatar_test::writeBytes(input, {1, 2, 3});

  Status s = checkOutputPath(input, {input});
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);  // .png is not a video container

  const std::string sameAsInput = dir.file("speech.mp4");
  avatar_test::writeBytes(sameAsInput, {1});
  s = checkOutputPath(dir.path().string() + "/./speech.mp4", {input, sameAsInput});
  EXPECT_EQ(s.code(), ErrorCode::OutputSameAsInput) << s.message();

  s = checkOutputPath(dir.file("missing/out.mp4"), {input});
  EXPECT_EQ(s.code(), ErrorCode::OutputNotWritable);
  EXPECT_NE(s.detail().find("does not exist"), std::string::npos);

  std::filesystem::create_directories(dir.file("adir.mp4"));
  EXPECT_EQ(checkOutputPath(dir.file("adir.mp4"), {input}).code(), ErrorCode::OutputNotWritable);

  const std::string ro = unwritableDir(dir);
  s = checkOutputPath(ro + "/out.mp4", {input});
  EXPECT_EQ(s.code(), ErrorCode::OutputNotWritable) << s.message();
  EXPECT_EQ(avatar_test::partialFiles(ro + "/out.mp4"), 0);

  const std::string ok = dir.file("ok.mp4");
  EXPECT_TRUE(checkOutputPath(ok, {input}));
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = e.path().filename().string();
    EXPECT_TRUE(name == "face.png" || name == "speech.mp4" || name == "adir.mp4" ||
                name == "readonly")
        << "the probe file must be removed, found " << name;
  }
}

TEST(OutputChecks, EveryWriterGetsItsOwnExclusivePartialFile) {
  ScratchDir dir("part");
  const std::string out = dir.file("talk.mp4");
  std::string a, b;
  ASSERT_TRUE(avatar::detail::createPartialFile(out, &a));
  ASSERT_TRUE(avatar::detail::createPartialFile(out, &b));
  EXPECT_NE(a, b);
  EXPECT_TRUE(std::filesystem::exists(a));
  EXPECT_TRUE(std::filesystem::exists(b));
  EXPECT_EQ(a.rfind(out + ".", 0), 0u) << a;
  EXPECT_EQ(a.substr(a.size() - 5), ".part");
  avatar_test::writeBytes(dir.file("talk.mp4.txt"), {1});  // not a partial output
  EXPECT_EQ(avatar::partialOutputs(out).size(), 2u);
  EXPECT_EQ(avatar::removePartialOutputs(out), 2);
  EXPECT_TRUE(avatar::partialOutputs(out).empty());
  EXPECT_TRUE(std::filesystem::exists(dir.file("talk.mp4.txt")));
  const std::string ro = unwritableDir(dir);
  std::string c;
  const Status s = avatar::detail::createPartialFile(ro + "/x.mp4", &c);
  EXPECT_EQ(s.code(), ErrorCode::OutputNotWritable);
  EXPECT_EQ(s.subject(), ro + "/x.mp4");
}

TEST(InputChecks, NamesTheRoleAndReason) {
  ScratchDir dir("in");
  Status s = avatar::detail::checkInputFile(dir.file("nope.wav"), "audio");
  EXPECT_EQ(s.code(), ErrorCode::InputNotFound);
  EXPECT_EQ(s.subject(), dir.file("nope.wav"));
  EXPECT_NE(s.detail().find("audio"), std::string::npos);
  EXPECT_EQ(avatar::detail::checkInputFile(dir.path().string(), "photo").code(),
            ErrorCode::InputNotReadable);
  EXPECT_EQ(avatar::detail::checkInputFile("", "photo").code(), ErrorCode::InvalidArgument);
}
