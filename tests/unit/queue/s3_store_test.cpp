// The S3 artifact store's pure parts: s3:// URL and environment parsing, and
// the presigned GET URL (checked against botocore 1.43's generate_presigned_url
// for the same key, credentials, endpoint and second, path-style addressing).
#include <gtest/gtest.h>

#include <cstdlib>

#include "queue/s3_store.h"

using avatar::server::parseS3Url;
using avatar::server::s3PresignGet;
using avatar::server::S3Store;

namespace {

struct Env {
  Env(const char* name, const char* value) : name(name) { ::setenv(name, value, 1); }
  ~Env() { ::unsetenv(name); }
  const char* name;
};

}  // namespace

TEST(S3Store, PresignedGetMatchesBotocore) {
  S3Store store;
  store.endpoint = "http://127.0.0.1:9000";
  store.region = "eu-west-1";
  store.bucket = "avatar-videos";
  store.accessKey = "AKIDEXAMPLE";
  store.secretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  // 2026-12-01T12:15:03Z
  EXPECT_EQ(s3PresignGet(store, "renders/a b~x.mp4", 900, 1796127303),
            "http://127.0.0.1:9000/avatar-videos/renders/a%20b~x.mp4?X-Amz-Algorithm=AWS4-HMAC-"
            "SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261201%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-"
            "Date=20261201T121503Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature="
            "b67715b168aa1808b4b3da9704efb63856d34d37cbeb8cc8c7d92b1200fcd660");
}

TEST(S3Store, UrlAndEnvironment) {
  Env a("AWS_ACCESS_KEY_ID", "AK"), b("AWS_SECRET_ACCESS_KEY", "SK"), r("AWS_REGION", "eu-west-1"),
      e("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000/");
  S3Store s;
  std::string error;
  ASSERT_TRUE(parseS3Url("s3://my-bucket/renders/2026/", &s, &error)) << error;
  EXPECT_EQ(s.bucket, "my-bucket");
  EXPECT_EQ(s.prefix, "renders/2026");
  EXPECT_EQ(s.region, "eu-west-1");
  EXPECT_EQ(s.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(s.keyFor("j1"), "renders/2026/j1.mp4");
  EXPECT_EQ(s.objectUrl("renders/2026/j1.mp4"),
            "http://127.0.0.1:9000/my-bucket/renders/2026/j1.mp4");
  ASSERT_TRUE(parseS3Url("s3://my-bucket", &s, &error)) << error;
  EXPECT_EQ(s.keyFor("j1"), "j1.mp4");

  EXPECT_FALSE(parseS3Url("http://my-bucket/x", &s, &error));
  EXPECT_NE(error.find("s3://bucket"), std::string::npos) << error;
  EXPECT_FALSE(parseS3Url("s3://My_Bucket/x", &s, &error));
  EXPECT_NE(error.find("bucket \"My_Bucket\""), std::string::npos) << error;
  {
    Env bad("AWS_ENDPOINT_URL_S3", "ftp://host/path");
    EXPECT_FALSE(parseS3Url("s3://my-bucket", &s, &error));
    EXPECT_NE(error.find("AWS_ENDPOINT_URL_S3"), std::string::npos) << error;
  }
}

TEST(S3Store, MissingCredentialsAreNamed) {
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  S3Store s;
  std::string error;
  EXPECT_FALSE(parseS3Url("s3://my-bucket", &s, &error));
  EXPECT_NE(error.find("AWS_ACCESS_KEY_ID"), std::string::npos) << error;
}
