// JobRecord: one render job as stored and as shown to clients.
//
// States: queued -> processing -> succeeded | failed | cancelled; a finished
// job later becomes expired when the retention policy deletes its files.
// A processing job interrupted by a server stop goes back to queued (or to
// failed with code Interrupted once it used all its attempts).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.h"

namespace avatar::server {

enum class JobState { Queued, Processing, Succeeded, Failed, Cancelled, Expired };

const char* jobStateName(JobState s);
std::optional<JobState> jobStateFromName(const std::string& name);
bool isTerminal(JobState s);  // succeeded, failed, cancelled, expired
std::vector<std::string> jobStateNames();

struct JobRecord {
  std::string id;  // UUID
  JobState state = JobState::Queued;
  std::string origin;       // "rest", "upload", "mcp"
  std::string requestJson;  // the validated request (camelCase, resolved paths)
  std::string qualityMode;  // as requested
  std::string jobDir;       // <data-dir>/jobs/<id>: uploads and the video
  std::string outputPath;   // <jobDir>/<id>.mp4
  int64_t createdMs = 0;    // Unix epoch milliseconds; 0 = not yet
  int64_t startedMs = 0;
  int64_t finishedMs = 0;
  double progress = 0;    // 0..1
  std::string stage;      // engine stage name ("analyse", "render", ...)
  int attempts = 0;       // runs started
  std::string errorCode;  // ApiError code of a failed job
  std::string errorSubject;
  std::string errorDetail;
  int64_t outputBytes = 0;
  std::string sha256;              // of the finished video
  int64_t diskBytes = 0;           // uploads + video, for the disk budget
  Json result = Json::object();    // backends, encoder, frames, timings (see job_views.cpp)
  std::vector<std::string> notes;  // fallbacks, re-queues, retention
};

}  // namespace avatar::server
