// RenderWorker: one thread that renders one job at a time with the engine's
// public API (Session::open + Session::renderVideo, so the chosen backends
// and output size are known for the job record).
//
// Callbacks run on the worker thread; the owner forwards them to its own
// thread. Progress is throttled here (stage changes, then at most ~10 per
// second) so a fast render does not flood the owner's event loop.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "avatar/engine.h"
#include "avatar/options.h"
#include "avatar/progress.h"
#include "avatar/status.h"
#include "core/json.h"

namespace avatar::server {

struct RenderTask {
  std::string jobId;
  avatar::RenderRequest request;
};

struct RenderOutcome {
  std::string jobId;
  avatar::Status status;
  Json result = Json::object();  // backends, sizes, timings (job_views.cpp reads it)
  std::vector<std::string> notes;
  int64_t outputBytes = 0;
  std::string sha256;
  bool stoppedForShutdown = false;  // stop(true) ended it: re-queue rather than cancel
};

class RenderWorker {
 public:
  using ProgressFn =
      std::function<void(const std::string& jobId, double overall, const std::string& stage)>;
  using DoneFn = std::function<void(RenderOutcome)>;

  RenderWorker(std::shared_ptr<const avatar::Engine> engine, ProgressFn progress, DoneFn done);
  ~RenderWorker();  // stops the current job and joins the thread
  RenderWorker(const RenderWorker&) = delete;
  RenderWorker& operator=(const RenderWorker&) = delete;

  // Starts `task`; the worker must be idle (busy() false).
  void start(RenderTask task);
  bool busy() const;
  std::string currentJob() const;
  // Asks the running job to stop. forShutdown marks the outcome for re-queueing.
  void stop(bool forShutdown);

 private:
  void loop();
  RenderOutcome run(const RenderTask& task, avatar::StopToken& stop);

  std::shared_ptr<const avatar::Engine> engine_;
  ProgressFn progress_;
  DoneFn done_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<RenderTask> pending_;
  std::string current_;
  std::unique_ptr<avatar::StopToken> stop_;
  bool forShutdown_ = false;
  bool exit_ = false;
  std::thread thread_;
};

}  // namespace avatar::server
