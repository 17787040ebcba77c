// Metrics: counters of the REST server, rendered in the Prometheus text
// exposition format (version 0.0.4) by GET /metrics. Event-loop thread only.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "jobs/job_service.h"

namespace avatar::server {

class Metrics {
 public:
  Metrics();
  void countRequest(const std::string& method, const std::string& route, int status,
                    double seconds);
  // reason: body_too_large, header_too_large, length_required, malformed,
  // unauthorized, timeout, too_many_connections
  void countRejected(const std::string& reason);
  void connectionOpened();
  void connectionClosed();
  int openConnections() const { return open_; }

  std::string prometheusText(const ServiceStats& jobs) const;

 private:
  static constexpr std::array<double, 9> kBuckets = {0.0005, 0.001, 0.005, 0.01, 0.05,
                                                     0.1,    0.5,   1.0,   5.0};
  std::map<std::tuple<std::string, std::string, int>, int64_t> requests_;
  std::array<int64_t, kBuckets.size()> bucketCounts_{};
  int64_t durationCount_ = 0;
  double durationSum_ = 0;
  std::map<std::string, int64_t> rejected_;
  int open_ = 0;
  int64_t connectionsTotal_ = 0;
  int64_t startMs_ = 0;
};

// Resident set size of this process in bytes (Linux /proc/self/statm), or 0.
int64_t residentMemoryBytes();

}  // namespace avatar::server
