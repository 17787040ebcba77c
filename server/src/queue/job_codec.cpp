#include "queue/job_codec.h"

#include <cstdlib>

namespace avatar::server {
namespace {

int64_t int64Field(const std::map<std::string, std::string>& h, const char* key) {
  const auto it = h.find(key);
  return it == h.end() ? 0 : std::strtoll(it->second.c_str(), nullptr, 10);
}

std::string textField(const std::map<std::string, std::string>& h, const char* key) {
  const auto it = h.find(key);
  return it == h.end() ? std::string() : it->second;
}

}  // namespace

Json jobRecordToJson(const JobRecord& job) {
  return Json{{"id", job.id},
              {"origin", job.origin},
              {"requestJson", job.requestJson},
              {"qualityMode", job.qualityMode},
              {"createdMs", job.createdMs},
              {"diskBytes", job.diskBytes},
              {"notes", job.notes}};
}

bool jobRecordFromJson(const std::string& text, JobRecord* out) {
  const Json j = Json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string()) return false;
  JobRecord job;
  job.id = j["id"].get<std::string>();
  job.origin = j.value("origin", "");
  job.requestJson = j.value("requestJson", "");
  job.qualityMode = j.value("qualityMode", "");
  job.createdMs = j.value("createdMs", int64_t(0));
  job.diskBytes = j.value("diskBytes", int64_t(0));
  if (j.contains("notes") && j["notes"].is_array()) {
    for (const auto& n : j["notes"]) {
      if (n.is_string()) job.notes.push_back(n.get<std::string>());
    }
  }
  *out = std::move(job);
  return true;
}

bool jobFromRedis(const std::map<std::string, std::string>& hash,
                  const std::vector<std::string>& history, const std::string& dataDir,
                  JobRecord* out) {
  JobRecord job;
  if (!jobRecordFromJson(textField(hash, "rec"), &job)) return false;
  const auto state = jobStateFromName(textField(hash, "state"));
  if (!state) return false;
  job.state = *state;
  job.jobDir = dataDir + "/jobs/" + job.id;
  job.outputPath = job.jobDir + "/" + job.id + ".mp4";
  job.progress = std::strtod(textField(hash, "progress").c_str(), nullptr);
  job.stage = textField(hash, "stage");
  job.attempts = int(int64Field(hash, "deliveries"));
  job.startedMs = int64Field(hash, "startedMs");
  job.finishedMs = int64Field(hash, "finishedMs");
  job.errorCode = textField(hash, "errorCode");
  job.errorSubject = textField(hash, "errorSubject");
  job.errorDetail = textField(hash, "errorDetail");
  job.outputBytes = int64Field(hash, "outputBytes");
  job.sha256 = textField(hash, "sha256");
  if (job.state == JobState::Succeeded) job.diskBytes += job.outputBytes;
  const Json result = Json::parse(textField(hash, "result"), nullptr, false);
  if (result.is_object()) job.result = result;
  const Json notes = Json::parse(textField(hash, "notes"), nullptr, false);
  if (notes.is_array()) {
    for (const auto& n : notes) {
      if (n.is_string()) job.notes.push_back(n.get<std::string>());
    }
  }
  for (const auto& h : history) job.notes.push_back(h);
  *out = std::move(job);
  return true;
}

}  // namespace avatar::server
