// s3Upload(): PUT of a finished video with libcurl's SigV4 signing.
#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "queue/s3_store.h"

namespace avatar::server {
namespace {

size_t collect(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t bytes = size * n;
  if (body->size() < 4096) body->append(data, std::min(bytes, 4096 - body->size()));
  return bytes;
}

// <Code>X</Code> of an S3 error document, or "".
std::string errorCode(const std::string& body) {
  const size_t a = body.find("<Code>");
  const size_t b = body.find("</Code>");
  if (a == std::string::npos || b == std::string::npos || b < a) return "";
  std::string code = body.substr(a + 6, b - a - 6);
  if (code.size() > 64) code.resize(64);
  for (char& c : code)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return code;
}

struct CurlInit {
  CurlInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

// One PUT; 0 on success, else the HTTP status (or -1: transport error).
long putOnce(const S3Store& store, const std::string& path, const std::string& key,
             const std::string& sha256Hex, std::string* error) {
  static CurlInit init;
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    *error = "cannot open " + path;
    return -2;
  }
  std::fseek(file.get(), 0, SEEK_END);
  const long size = std::ftell(file.get());
  std::fseek(file.get(), 0, SEEK_SET);
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), &curl_easy_cleanup);
  const std::string url = store.objectUrl(key);
  const std::string sigv4 = "aws:amz:" + store.region + ":s3";
  const std::string user = store.accessKey + ":" + store.secretKey;
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, ("x-amz-content-sha256: " + sha256Hex).c_str());
  headers = curl_slist_append(headers, "Content-Type: video/mp4");
  std::string body;
  char curlError[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_READDATA, file.get());
  curl_easy_setopt(curl.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
  curl_easy_setopt(curl.get(), CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_USERPWD, user.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, curlError);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  const CURLcode rc = curl_easy_perform(curl.get());
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    *error = std::string(curlError[0] ? curlError : curl_easy_strerror(rc));
    return -1;
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) return 0;
  const std::string code = errorCode(body);
  *error = "HTTP " + std::to_string(status) + (code.empty() ? "" : " " + code);
  return status;
}

}  // namespace

bool s3Upload(const S3Store& store, const std::string& path, const std::string& key,
              const std::string& sha256Hex, int attempts, std::string* error) {
  const std::string where = "s3://" + store.bucket + "/" + key;
  std::string last;
  for (int i = 1; i <= attempts; ++i) {
    const long status = putOnce(store, path, key, sha256Hex, &last);
    if (status == 0) return true;
    const bool again = status == -1 || status >= 500 || status == 429;
    if (!again || i == attempts) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500 * i));
  }
  *error = "artifact store upload to " + where + " (" + store.endpoint + ") failed after " +
           std::to_string(attempts) + " attempt(s) at most: " + last;
  return false;
}

}  // namespace avatar::server
