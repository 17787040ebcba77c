// S3-compatible object storage for finished videos (`worker --artifacts
// s3://bucket/prefix`, docs/DEPLOY.md). Endpoint, region and credentials come
// from the standard environment variables (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL);
// objects are addressed path-style (<endpoint>/<bucket>/<key>).
#pragma once

#include <cstdint>
#include <string>

namespace avatar::server {

struct S3Store {
  std::string endpoint;  // scheme://host[:port], no trailing slash
  std::string region = "us-east-1";
  std::string bucket;
  std::string prefix;  // key prefix, no leading/trailing slash; may be empty
  std::string accessKey;
  std::string secretKey;

  std::string keyFor(const std::string& jobId) const;
  std::string objectUrl(const std::string& key) const;  // endpoint/bucket/key, encoded
};

// The bucket and prefix of `url` (s3://bucket[/prefix]); the rest from the
// environment. False with a reason naming the variable or the URL.
bool parseS3Url(const std::string& url, S3Store* store, std::string* error);
// Endpoint, region and credentials from the environment (also for the API).
bool s3FromEnvironment(S3Store* store, std::string* error);

// PUT of `path` as `key` (SigV4 via libcurl), with up to `attempts` tries on
// transport errors and 5xx answers. False with the reason (HTTP status and
// the store's error code) in *error.
bool s3Upload(const S3Store& store, const std::string& path, const std::string& key,
              const std::string& sha256Hex, int attempts, std::string* error);

// A presigned GET URL (SigV4 query authentication) valid for `expiresSec`.
std::string s3PresignGet(const S3Store& store, const std::string& key, int expiresSec,
                         int64_t nowEpochSec);

}  // namespace avatar::server
