// A job record as Redis holds it: the record written at submission (JSON in
// the job hash's "rec" field) overlaid with the fields the workers update
// (state, progress, owner, results) and the job's history list.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/json.h"
#include "jobs/job_record.h"

namespace avatar::server {

Json jobRecordToJson(const JobRecord& job);
// False when `text` is not a stored record (the job is then skipped).
bool jobRecordFromJson(const std::string& text, JobRecord* out);

// Builds the client's view from the job hash and its history. Paths follow
// `dataDir` (this process's mount of the shared data directory).
bool jobFromRedis(const std::map<std::string, std::string>& hash,
                  const std::vector<std::string>& history, const std::string& dataDir,
                  JobRecord* out);

}  // namespace avatar::server
