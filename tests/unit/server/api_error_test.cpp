#include <gtest/gtest.h>

#include "avatar/status.h"
#include "core/api_error.h"
#include "http/connection_guard.h"

using avatar::server::ApiError;
using avatar::server::httpStatusForCode;

namespace {

TEST(ApiError, EveryEngineCodeHasAnErrorStatus) {
  for (int c = int(avatar::ErrorCode::InvalidArgument); c <= int(avatar::kLastErrorCode); ++c) {
    const std::string name = avatar::errorCodeName(avatar::ErrorCode(c));
    bool listed = false;
    for (const auto& [code, status] : avatar::server::errorCodeTable()) listed |= code == name;
    EXPECT_TRUE(listed) << name << " is not in the table";
    EXPECT_GE(httpStatusForCode(name), 400) << name;
  }
}

TEST(ApiError, Mapping) {
  EXPECT_EQ(httpStatusForCode("InvalidArgument"), 422);
  EXPECT_EQ(httpStatusForCode("MalformedRequest"), 400);
  EXPECT_EQ(httpStatusForCode("PathNotAllowed"), 403);
  EXPECT_EQ(httpStatusForCode("NotFound"), 404);
  EXPECT_EQ(httpStatusForCode("PayloadTooLarge"), 413);
  EXPECT_EQ(httpStatusForCode("UnsupportedMedia"), 415);
  EXPECT_EQ(httpStatusForCode("QueueFull"), 503);
  EXPECT_EQ(httpStatusForCode("SomethingNew"), 500);
}

TEST(ApiError, FromStatusKeepsSubjectAndContext) {
  avatar::Status s = avatar::Status::error(avatar::ErrorCode::InputNotFound, "/a.png", "missing");
  s.addContext("while opening session");
  const ApiError e = ApiError::fromStatus(s);
  EXPECT_EQ(e.code, "InputNotFound");
  EXPECT_EQ(e.subject, "/a.png");
  EXPECT_EQ(e.message(), "/a.png: missing (while opening session)");
  const auto json = e.toJson();
  EXPECT_EQ(json["error"]["code"], "InputNotFound");
  EXPECT_EQ(json["detail"], e.message());
}

TEST(BearerToken, ComparesExactly) {
  using avatar::server::bearerMatches;
  EXPECT_TRUE(bearerMatches("Bearer abc", "abc"));
  EXPECT_TRUE(bearerMatches("bearer abc ", "abc"));
  EXPECT_FALSE(bearerMatches("Bearer abcd", "abc"));
  EXPECT_FALSE(bearerMatches("Bearer ab", "abc"));
  EXPECT_FALSE(bearerMatches("Basic abc", "abc"));
  EXPECT_FALSE(bearerMatches("", "abc"));
}

}  // namespace
