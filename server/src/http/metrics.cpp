#include "http/metrics.h"

#include <unistd.h>
#include <QDateTime>
#include <cstdio>
#include <sstream>

namespace avatar::server {
namespace {

std::string escapeLabel(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

void family(std::ostringstream& o, const char* name, const char* type, const char* help) {
  o << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

}  // namespace

Metrics::Metrics() : startMs_(QDateTime::currentMSecsSinceEpoch()) {}

void Metrics::countRequest(const std::string& method, const std::string& route, int status,
                           double seconds) {
  ++requests_[{method, route, status}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++bucketCounts_[i];
  }
  ++durationCount_;
  durationSum_ += seconds;
}

void Metrics::countRejected(const std::string& reason) {
  ++rejected_[reason];
}

void Metrics::connectionOpened() {
  ++open_;
  ++connectionsTotal_;
}

void Metrics::connectionClosed() {
  --open_;
}

std::string Metrics::prometheusText(const ServiceStats& jobs) const {
  std::ostringstream o;
  o.precision(10);
  family(o, "avatar_http_requests_total", "counter", "HTTP requests answered by the router.");
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    o << "avatar_http_requests_total{method=\"" << escapeLabel(method) << "\",route=\""
      << escapeLabel(route) << "\",status=\"" << status << "\"} " << n << '\n';
  }
  family(o, "avatar_http_request_duration_seconds", "histogram",
         "Time to produce a response (streamed bodies excluded).");
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    o << "avatar_http_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} "
      << bucketCounts_[i] << '\n';
  }
  o << "avatar_http_request_duration_seconds_bucket{le=\"+Inf\"} " << durationCount_ << '\n';
  o << "avatar_http_request_duration_seconds_sum " << durationSum_ << '\n';
  o << "avatar_http_request_duration_seconds_count " << durationCount_ << '\n';
  family(o, "avatar_http_rejected_total", "counter",
         "Requests refused before routing (limits, auth, timeouts).");
  for (const char* reason : {"body_too_large", "header_too_large", "length_required", "malformed",
                             "unauthorized", "timeout", "too_many_connections", "busy"}) {
    const auto it = rejected_.find(reason);
    o << "avatar_http_rejected_total{reason=\"" << reason << "\"} "
      << (it == rejected_.end() ? 0 : it->second) << '\n';
  }
  family(o, "avatar_http_connections_open", "gauge", "Open client connections.");
  o << "avatar_http_connections_open " << open_ << '\n';
  family(o, "avatar_http_connections_total", "counter", "Accepted client connections.");
  o << "avatar_http_connections_total " << connectionsTotal_ << '\n';
  family(o, "avatar_jobs", "gauge", "Jobs in the store by state.");
  for (const auto& [state, n] : jobs.jobsByState) {
    o << "avatar_jobs{state=\"" << jobStateName(state) << "\"} " << n << '\n';
  }
  family(o, "avatar_jobs_submitted_total", "counter", "Jobs accepted since start.");
  o << "avatar_jobs_submitted_total " << jobs.submittedTotal << '\n';
  family(o, "avatar_jobs_finished_total", "counter", "Jobs finished since start, by outcome.");
  for (JobState s : {JobState::Succeeded, JobState::Failed, JobState::Cancelled}) {
    const auto it = jobs.finishedTotal.find(s);
    o << "avatar_jobs_finished_total{state=\"" << jobStateName(s) << "\"} "
      << (it == jobs.finishedTotal.end() ? 0 : it->second) << '\n';
  }
  family(o, "avatar_queue_length", "gauge", "Jobs waiting for a render slot.");
  o << "avatar_queue_length " << jobs.queued << '\n';
  family(o, "avatar_renders_running", "gauge", "Renders in progress.");
  o << "avatar_renders_running " << jobs.running << '\n';
  family(o, "avatar_render_seconds", "summary", "Wall time of successful renders.");
  o << "avatar_render_seconds_sum " << jobs.renderSecondsSum << '\n';
  o << "avatar_render_seconds_count " << jobs.renderCount << '\n';
  family(o, "avatar_job_disk_bytes", "gauge", "Uploads and videos kept in the data directory.");
  o << "avatar_job_disk_bytes " << jobs.diskBytes << '\n';
  o << jobs.extraMetrics;
  family(o, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  o << "process_resident_memory_bytes " << residentMemoryBytes() << '\n';
  family(o, "avatar_uptime_seconds", "gauge", "Seconds since the server started.");
  o << "avatar_uptime_seconds " << double(QDateTime::currentMSecsSinceEpoch() - startMs_) / 1000.0
    << '\n';
  return o.str();
}

int64_t residentMemoryBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  long long size = 0, resident = 0;
  const int n = std::fscanf(f, "%lld %lld", &size, &resident);
  std::fclose(f);
  return n == 2 ? resident * int64_t(sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace avatar::server
