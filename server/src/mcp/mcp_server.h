// McpServer: the Model Context Protocol over stdio (JSON-RPC 2.0, one
// message per line), protocol revision 2025-11-25 (2025-06-18 and 2025-03-26
// accepted), plus the seed's legacy framing {"tool": ..., "params": ...}.
//
// Tools are the command table's MCP tools (commands/command_table.h).
// render_avatar queues a job and answers when it ends, sending
// notifications/progress when the call carried _meta.progressToken;
// notifications/cancelled stops the job and removes its partial output.
// At end of input the server finishes the calls in flight, then quits; a
// signal quits at once (in-flight jobs are cancelled).
#pragma once

#include <QObject>
#include <map>
#include <optional>
#include <string>

#include "core/json.h"

namespace avatar::server {

class JobService;
class PathPolicy;
class StdioChannel;
struct CommandDef;
struct JobRecord;

class McpServer : public QObject {
  Q_OBJECT

 public:
  McpServer(JobService& jobs, const PathPolicy& paths, StdioChannel& channel);
  // Cancels the jobs of calls still in flight (used when quitting early).
  void cancelInFlight(const std::string& why);

  // The tools/list entries; `protocolVersion` decides which fields appear.
  static Json toolList(const std::string& protocolVersion);

 Q_SIGNALS:
  void finished();  // end of input reached and no call in flight

 private:
  struct InFlight {
    Json requestId;      // JSON-RPC id; null for the legacy framing
    Json progressToken;  // null: no progress notifications
    bool legacy = false;
    bool cancelled = false;  // by notifications/cancelled: no reply is sent
    double lastProgress = -1;
    std::string lastStage;
  };

  void onLine(const QByteArray& line);
  void onEndOfInput();
  void handleRequest(const Json& id, const std::string& method, const Json& params);
  void handleNotification(const std::string& method, const Json& params);
  void handleLegacy(const Json& message);
  void callTool(const Json& id, const Json& params);
  void onJobProgress(const QString& jobId, double progress, const QString& stage);
  void onJobFinished(const QString& jobId);
  void completeRender(const std::string& jobId, InFlight call);
  Json renderCallResult(const JobRecord& job) const;
  Json toolResult(const CommandDef& command, const Json& data) const;
  void maybeFinish();

  void send(const Json& message);
  void reply(const Json& id, Json result);
  void replyError(const Json& id, int code, const std::string& message, Json data = nullptr);

  JobService& jobs_;
  const PathPolicy& paths_;
  StdioChannel& channel_;
  std::map<std::string, InFlight> inFlight_;  // by job id
  std::string protocolVersion_ = "2025-11-25";
  bool endOfInput_ = false;
};

// "InputNotFound" -> "input_not_found" (the legacy framing's error names).
std::string snakeCaseCode(const std::string& code);
// MCP tool result for an error: isError with the message as text.
Json toolErrorResult(const std::string& code, const std::string& message);

}  // namespace avatar::server
