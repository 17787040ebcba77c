// S3Store from an s3:// URL and the standard AWS environment variables.
#include <QUrl>
#include <cstdlib>

#include "queue/s3_store.h"

namespace avatar::server {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

bool validBucket(const std::string& b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  }
  return true;
}

}  // namespace

std::string S3Store::keyFor(const std::string& jobId) const {
  return prefix.empty() ? jobId + ".mp4" : prefix + "/" + jobId + ".mp4";
}

std::string S3Store::objectUrl(const std::string& key) const {
  return endpoint + "/" + bucket + "/" +
         QUrl::toPercentEncoding(QString::fromStdString(key), "/").toStdString();
}

bool s3FromEnvironment(S3Store* store, std::string* error) {
  store->accessKey = env("AWS_ACCESS_KEY_ID");
  store->secretKey = env("AWS_SECRET_ACCESS_KEY");
  if (store->accessKey.empty() || store->secretKey.empty()) {
    *error = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set for the S3 artifact store";
    return false;
  }
  const std::string region =
      env("AWS_REGION").empty() ? env("AWS_DEFAULT_REGION") : env("AWS_REGION");
  if (!region.empty()) store->region = region;
  for (char c : store->region) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      *error = "AWS_REGION \"" + store->region + "\" is not a region name";
      return false;
    }
  }
  std::string endpoint = env("AWS_ENDPOINT_URL_S3");
  if (endpoint.empty()) endpoint = env("AWS_ENDPOINT_URL");
  if (endpoint.empty()) endpoint = "https://s3." + store->region + ".amazonaws.com";
  const QUrl u(QString::fromStdString(endpoint), QUrl::StrictMode);
  if (!u.isValid() || (u.scheme() != "http" && u.scheme() != "https") || u.host().isEmpty() ||
      !(u.path().isEmpty() || u.path() == "/") || u.hasQuery()) {
    *error = "AWS_ENDPOINT_URL_S3 \"" + endpoint + "\" must be http(s)://host[:port]";
    return false;
  }
  store->endpoint = u.toString(QUrl::RemovePath | QUrl::StripTrailingSlash).toStdString();
  return true;
}

bool parseS3Url(const std::string& url, S3Store* store, std::string* error) {
  const std::string scheme = "s3://";
  if (url.rfind(scheme, 0) != 0) {
    *error = "\"" + url + "\" is not an s3://bucket[/prefix] URL";
    return false;
  }
  const std::string rest = url.substr(scheme.size());
  const size_t slash = rest.find('/');
  store->bucket = rest.substr(0, slash);
  std::string prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  if (!validBucket(store->bucket)) {
    *error = "\"" + url + "\": bucket \"" + store->bucket +
             "\" must be 3-63 lowercase letters, digits, '-' or '.'";
    return false;
  }
  for (char c : prefix) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '\\' || c == '?' || c == '#') {
      *error = "\"" + url + "\": the prefix has a character S3 keys here may not hold";
      return false;
    }
  }
  store->prefix = prefix;
  return s3FromEnvironment(store, error);
}

}  // namespace avatar::server
