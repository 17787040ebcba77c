// The REST routes: one table of {method, path pattern, handler, OpenAPI
// operation}. Command routes are generated from the command table
// (commands/command_table.h); the seed's upload/status/avatars routes and the
// file, metrics and OpenAPI routes are written next to their documentation.
// The router and GET /openapi.json read the same table.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "avatar_server/server.h"
#include "core/json.h"
#include "http/http_message.h"

namespace avatar::server {

class JobService;
class PathPolicy;
class Metrics;
struct Route;

// What handlers reach. Null pointers: documentation only (no handler runs).
struct RestContext {
  JobService* jobs = nullptr;
  const PathPolicy* paths = nullptr;
  const HttpConfig* http = nullptr;
  Metrics* metrics = nullptr;
  const std::vector<Route>* routes = nullptr;
};

using RouteHandler = std::function<HttpResponse(const HttpRequest&)>;

struct Route {
  std::string method;   // GET routes also answer HEAD
  std::string pattern;  // "/jobs/{jobId}/video"
  RouteHandler handler;
  Json operation;         // OpenAPI operation object
  bool isPublic = false;  // reachable without the bearer token
};

std::vector<Route> buildRoutes(RestContext* ctx);
void addCommandRoutes(RestContext* ctx, std::vector<Route>* routes);
void addSeedRoutes(RestContext* ctx, std::vector<Route>* routes);
void addFileRoutes(RestContext* ctx, std::vector<Route>* routes);
void addUploadRoute(RestContext* ctx, std::vector<Route>* routes);

// Paths that never need the token (orchestrator probes).
bool isPublicPath(const std::string& path);

// Matches method and path; fills req.pathParams; answers 404/405/401 itself.
// *matchedPattern gets the route pattern (for metrics), or "unmatched".
HttpResponse dispatchRoute(const std::vector<Route>& routes, const HttpConfig& http,
                           HttpRequest& req, std::string* matchedPattern);

// The OpenAPI 3.1 document of `routes`.
Json openApiJson(const std::vector<Route>& routes, const HttpConfig& http);

// Shared OpenAPI fragments.
Json errorResponses(const std::vector<int>& statuses);
Json jsonContent(const Json& schema);

}  // namespace avatar::server

namespace avatar::server {
struct JobRecord;
// The finished video of `job` (HTTP Range aware), or the error why not.
HttpResponse videoResponse(const JobRecord& job, const HttpRequest& req);
}  // namespace avatar::server
