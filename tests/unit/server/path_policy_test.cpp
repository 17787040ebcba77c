#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/path_policy.h"

namespace fs = std::filesystem;
using avatar::server::PathPolicy;

namespace {

class PathPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("path-policy-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "root" / "sub");
    fs::create_directories(base_ / "outside");
    std::ofstream(base_ / "root" / "face.png") << "x";
    std::ofstream(base_ / "root" / "sub" / "voice.wav") << "x";
    std::ofstream(base_ / "outside" / "secret.wav") << "x";
    fs::create_symlink(base_ / "outside" / "secret.wav", base_ / "root" / "escape.wav");
    fs::create_symlink(base_ / "root" / "face.png", base_ / "root" / "alias.png");
    fs::create_directory_symlink(base_ / "outside", base_ / "root" / "outdir");
  }
  void TearDown() override { fs::remove_all(base_); }

  std::string root() const { return (base_ / "root").string(); }
  fs::path base_;
};

std::string codeOf(const PathPolicy& p, const std::string& given) {
  std::string resolved;
  const auto err = p.resolveInputFile(given, "avatarPath", &resolved);
  return err ? err->code : "ok:" + resolved;
}

TEST_F(PathPolicyTest, AcceptsFilesInsideTheRoot) {
  PathPolicy p({root()}, false);
  ASSERT_FALSE(p.init());
  EXPECT_EQ(codeOf(p, "face.png"), "ok:" + root() + "/face.png");
  EXPECT_EQ(codeOf(p, "sub/voice.wav"), "ok:" + root() + "/sub/voice.wav");
  EXPECT_EQ(codeOf(p, root() + "/face.png"), "ok:" + root() + "/face.png");
  EXPECT_EQ(codeOf(p, "alias.png"), "ok:" + root() + "/face.png");  // link within the root
}

TEST_F(PathPolicyTest, RefusesEscapes) {
  PathPolicy p({root()}, false);
  ASSERT_FALSE(p.init());
  EXPECT_EQ(codeOf(p, "../outside/secret.wav"), "PathNotAllowed");
  EXPECT_EQ(codeOf(p, "sub/../face.png"), "PathNotAllowed");
  EXPECT_EQ(codeOf(p, (base_ / "outside" / "secret.wav").string()), "PathNotAllowed");
  EXPECT_EQ(codeOf(p, "escape.wav"), "PathNotAllowed");
  EXPECT_EQ(codeOf(p, "outdir/secret.wav"), "PathNotAllowed");
  EXPECT_EQ(codeOf(p, "/etc/passwd"), "PathNotAllowed");
  EXPECT_EQ(codeOf(p, std::string("face.png\0x", 10)), "InvalidArgument");
}

TEST_F(PathPolicyTest, NamesMissingAndNonRegularFiles) {
  PathPolicy p({root()}, false);
  ASSERT_FALSE(p.init());
  EXPECT_EQ(codeOf(p, "nope.png"), "InputNotFound");
  EXPECT_EQ(codeOf(p, "sub"), "InputNotReadable");
}

TEST_F(PathPolicyTest, NoRoots) {
  PathPolicy closed({}, false);
  ASSERT_FALSE(closed.init());
  EXPECT_EQ(codeOf(closed, root() + "/face.png"), "PathNotAllowed");
  PathPolicy open({}, true);
  ASSERT_FALSE(open.init());
  EXPECT_EQ(codeOf(open, (base_ / "outside" / "secret.wav").string()),
            "ok:" + (base_ / "outside" / "secret.wav").string());
  EXPECT_EQ(codeOf(open, "/definitely/not/here.png"), "InputNotFound");
}

TEST_F(PathPolicyTest, RootMustExist) {
  PathPolicy p({(base_ / "missing").string()}, false);
  const auto err = p.init();
  ASSERT_TRUE(err);
  EXPECT_EQ(err->code, "InputNotFound");
}

}  // namespace
