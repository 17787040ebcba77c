#include "cli_service_flags.h"

#include <cmath>

#include "avatar/options.h"
#include "cli_common.h"

namespace app {

void addServiceFlags(ArgParser& p) {
  p.add({"data-dir", "", true, "DIR",
         "Job database, uploads and videos (default: ~/.local/share/avatar-renderer/...)."});
  p.add({"input-root", "", true, "DIR", "Client paths are accepted only inside DIR (repeatable)."});
  p.add({"max-queue", "", true, "N", "Jobs waiting beyond the running ones (default 16)."});
  p.add({"workers", "", true, "N", "Renders at a time (default 1: one per device)."});
  p.add({"max-attempts", "", true, "N",
         "Runs of a job, counting re-queues after a crash (default 2)."});
  p.add({"retention-hours", "", true, "H",
         "Finished jobs expire after H hours (default 168; 0 = never)."});
  p.add({"disk-budget-mb", "", true, "MB",
         "Uploads+videos above this expire, oldest first (default 10240; 0 = no limit)."});
  p.add({"min-free-mb", "", true, "MB", "Not ready below this free disk space (default 256)."});
  p.add({"device", "", true, "DEVICE", "auto|cpu|cuda: default device for neural nets."});
  p.add({"queue", "", true, "URL",
         "redis://host:port[/db]: jobs go to a Redis stream for `avatar-renderer worker`s; "
         "state is shared by every replica (docs/DEPLOY.md). Default: render here."});
  p.add({"queue-stream", "", true, "S", "Stream name with --queue (default avatar:jobs)."});
  p.add({"queue-group", "", true, "G", "Consumer group with --queue (default renderers)."});
  addCommonFlags(p);
}

bool numberFlag(const ArgParser& p, const std::string& name, double min, double max,
                double fallback, double* out, std::string* error) {
  *out = fallback;
  const auto value = p.value(name);
  if (!value) return true;
  try {
    size_t used = 0;
    *out = std::stod(*value, &used);
    if (used != value->size() || !std::isfinite(*out)) throw std::invalid_argument(*value);
  } catch (const std::exception&) {
    *error = "--" + name + " must be a number, not \"" + *value + "\"";
    return false;
  }
  if (*out < min || *out > max) {
    char range[96];
    std::snprintf(range, sizeof range, " must be between %g and %g", min, max);
    *error = "--" + name + range;
    return false;
  }
  return true;
}

bool serviceConfigFrom(const ArgParser& p, avatar::server::ServiceConfig* config,
                       std::string* error) {
  config->dataDir = p.value("data-dir").value_or("");
  for (const auto& [name, value] : p.ordered()) {
    if (name == "input-root") config->inputRoots.push_back(value);
  }
  double v = 0;
  if (!numberFlag(p, "max-queue", 0, 100000, config->maxQueuedJobs, &v, error)) return false;
  config->maxQueuedJobs = int(v);
  if (!numberFlag(p, "workers", 1, 64, config->workers, &v, error)) return false;
  config->workers = int(v);
  if (!numberFlag(p, "max-attempts", 1, 100, config->maxAttempts, &v, error)) return false;
  config->maxAttempts = int(v);
  if (!numberFlag(p, "retention-hours", 0, 1e6, config->retentionHours, &v, error)) return false;
  config->retentionHours = v;
  if (!numberFlag(p, "disk-budget-mb", 0, 1e9, double(config->diskBudgetBytes) / (1 << 20), &v,
                  error)) {
    return false;
  }
  config->diskBudgetBytes = int64_t(v * (1 << 20));
  if (!numberFlag(p, "min-free-mb", 0, 1e9, double(config->minFreeDiskBytes) / (1 << 20), &v,
                  error)) {
    return false;
  }
  config->minFreeDiskBytes = int64_t(v * (1 << 20));
  avatar::RenderOptions options;
  if (auto device = p.value("device")) {
    if (!avatar::fromString(*device, &options.device)) {
      *error = "--device must be auto, cpu or cuda";
      return false;
    }
  }
  config->engine = engineConfigFrom(p, options);
  config->queueUrl = p.value("queue").value_or("");
  config->queueStream = p.value("queue-stream").value_or(config->queueStream);
  config->queueGroup = p.value("queue-group").value_or(config->queueGroup);
  if (!config->queueUrl.empty() && config->queueUrl.rfind("redis://", 0) != 0) {
    *error = "--queue must be a redis:// URL, not \"" + config->queueUrl + "\"";
    return false;
  }
  return true;
}

}  // namespace app
