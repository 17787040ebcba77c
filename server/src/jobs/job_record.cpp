#include "jobs/job_record.h"

#include <array>

namespace avatar::server {
namespace {
constexpr std::array<std::pair<JobState, const char*>, 6> kNames = {{
    {JobState::Queued, "queued"},
    {JobState::Processing, "processing"},
    {JobState::Succeeded, "succeeded"},
    {JobState::Failed, "failed"},
    {JobState::Cancelled, "cancelled"},
    {JobState::Expired, "expired"},
}};
}  // namespace

const char* jobStateName(JobState s) {
  for (const auto& [state, name] : kNames) {
    if (state == s) return name;
  }
  return "unknown";
}

std::optional<JobState> jobStateFromName(const std::string& name) {
  for (const auto& [state, n] : kNames) {
    if (name == n) return state;
  }
  return std::nullopt;
}

bool isTerminal(JobState s) {
  return s != JobState::Queued && s != JobState::Processing;
}

std::vector<std::string> jobStateNames() {
  std::vector<std::string> out;
  for (const auto& [state, name] : kNames) out.push_back(name);
  return out;
}

}  // namespace avatar::server
