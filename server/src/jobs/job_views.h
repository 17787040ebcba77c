// Client-facing JSON views of a job and their JSON Schemas (the same
// functions feed replies, OpenAPI and MCP output schemas).
#pragma once

#include "core/json.h"
#include "jobs/job_record.h"

namespace avatar::server {

// Full job view: GET /jobs/{id}, get_job, list_jobs items.
Json jobJson(const JobRecord& job, bool includeServerPaths);
Json jobJsonSchema(bool includeServerPaths);

// The seed's reply to POST /render and /render-upload.
Json submittedJson(const JobRecord& job);
Json submittedJsonSchema();

// render_avatar's structuredContent: the seed's {jobId, output, qualityMode} and ours.
Json renderResultJson(const JobRecord& job);
Json renderResultJsonSchema();

// ISO 8601 UTC with milliseconds, or null for 0.
Json isoTime(int64_t epochMs);

}  // namespace avatar::server
