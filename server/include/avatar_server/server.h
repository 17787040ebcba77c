// avatar_server: the headless service behind `avatar-renderer serve` (REST)
// and `avatar-renderer mcp` (MCP over stdio).
//
// Both front-ends run one command layer (render, get_job, cancel_job,
// list_jobs, list_models, health) on a persistent job store (SQLite in
// dataDir) and a bounded render queue. See docs/API.md for routes, tools,
// status codes and job states.
//
// Threading: run*Server() creates the Qt application object, blocks in its
// event loop on the calling thread and returns a process exit code. Renders
// run on worker threads owned by the service.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "avatar/engine.h"

namespace avatar::server {

// The job service shared by both front-ends.
struct ServiceConfig {
  // Holds jobs.sqlite, uploads and videos. Empty: the default for the
  // front-end ($XDG_DATA_HOME/avatar-renderer/{server,mcp}). One process per
  // directory (a lock file enforces it).
  std::string dataDir;
  // Client-given file paths are accepted only inside these directories.
  std::vector<std::string> inputRoots;
  // With no input roots: false refuses every client path (REST default),
  // true accepts any path the process can read (MCP: the client is local).
  bool anyPathWhenNoRoots = false;
  int workers = 1;              // renders at a time: one per device
  int maxQueuedJobs = 16;       // waiting jobs beyond the running ones
  int maxAttempts = 2;          // runs of one job, counting re-queues after a crash
  double retentionHours = 168;  // finished jobs older than this expire; 0 = never
  int64_t diskBudgetBytes =
      10LL << 30;  // videos+uploads above this expire oldest first; 0 = no limit
  int64_t minFreeDiskBytes = 256LL << 20;  // /health/ready fails below this
  avatar::EngineConfig engine;
  // Scale-out (docs/DEPLOY.md): with a Redis URL, jobs go to a Redis stream
  // and any number of `avatar-renderer worker` processes render them; job
  // state lives in Redis, so every API replica answers for every job. The
  // data directory is then shared (no lock, no SQLite). Empty: embedded.
  std::string queueUrl;  // redis://[:password@]host[:port][/db]
  std::string queueStream = "avatar:jobs";
  std::string queueGroup = "renderers";
};

// `avatar-renderer worker`: takes jobs from the stream, one at a time.
struct WorkerConfig {
  std::string name;       // consumer name; empty: <hostname>-<pid>
  double leaseSec = 30;   // a job is reclaimed this long after its worker stopped renewing
  int maxDeliveries = 3;  // then the job goes to the dead-letter stream
  double graceSec = 25;   // SIGTERM: finish within this, else release the job
  std::string artifacts;  // empty: the shared data directory; s3://bucket/prefix otherwise
};

struct HttpConfig {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (printed on stdout)
  // Bearer token; empty: no authentication.
  std::string token;
  int64_t maxUploadBytes = 64LL << 20;  // POST /render-upload bodies
  int64_t maxJsonBytes = 1LL << 20;     // every other request body
  int maxHeaderBytes = 32 << 10;
  int idleTimeoutMs = 15000;    // keep-alive connections without traffic are closed
  int headerTimeoutMs = 10000;  // a started request must deliver its headers within this
  int maxConnections = 256;     // plus kProbeConnections kept for /health/* probes
  // Request bodies admitted and not yet handled, summed over all connections;
  // beyond it a request gets 503 ServerBusy (Retry-After) before its body is read.
  int64_t maxInflightBodyBytes = 256LL << 20;
  // A body must arrive within headerTimeoutMs + its length at this rate (408 otherwise).
  int64_t minBodyBytesPerSec = 64LL << 10;
};

int runRestServer(const ServiceConfig& service, const HttpConfig& http);
int runMcpServer(const ServiceConfig& service);
int runQueueWorker(const ServiceConfig& service, const WorkerConfig& worker);

// Generated documents, for `--print-openapi` / `--print-manifest` and packaging.
std::string openApiDocument(const HttpConfig& http);
std::string mcpToolManifest();

}  // namespace avatar::server
