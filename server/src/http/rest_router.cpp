#include "http/connection_guard.h"
#include "http/rest_routes.h"

namespace avatar::server {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t pos = 1;
  while (pos <= path.size()) {
    const size_t slash = path.find('/', pos);
    parts.push_back(path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos));
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  return parts;
}

bool matches(const std::string& pattern, const std::string& path,
             std::map<std::string, std::string>* params) {
  const auto want = splitPath(pattern);
  const auto have = splitPath(path);
  if (want.size() != have.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    const std::string& w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (have[i].empty()) return false;
      found[w.substr(1, w.size() - 2)] = have[i];
    } else if (w != have[i]) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

}  // namespace

bool isPublicPath(const std::string& path) {
  return path == "/health/live" || path == "/health/ready";
}

std::vector<Route> buildRoutes(RestContext* ctx) {
  std::vector<Route> routes;
  addCommandRoutes(ctx, &routes);
  addSeedRoutes(ctx, &routes);
  addFileRoutes(ctx, &routes);
  return routes;
}

HttpResponse dispatchRoute(const std::vector<Route>& routes, const HttpConfig& http,
                           HttpRequest& req, std::string* matchedPattern) {
  *matchedPattern = "unmatched";
  std::string allowed;
  for (const Route& route : routes) {
    std::map<std::string, std::string> params;
    if (!matches(route.pattern, req.path, &params)) continue;
    const bool methodOk =
        route.method == req.method || (route.method == "GET" && req.method == "HEAD");
    if (!methodOk) {
      allowed += (allowed.empty() ? "" : ", ") + route.method;
      if (route.method == "GET") allowed += ", HEAD";
      continue;
    }
    *matchedPattern = route.pattern;
    // The connection guard already refused requests without the token before
    // their bodies were read; this repeats the check for every route.
    if (!http.token.empty() && !route.isPublic &&
        !bearerMatches(req.header("authorization"), http.token)) {
      return HttpResponse::error(
          ApiError::make("Unauthorized", "",
                         "missing or wrong bearer token (send Authorization: Bearer <token>)"));
    }
    req.pathParams = std::move(params);
    return route.handler(req);
  }
  if (!allowed.empty()) {
    return HttpResponse::error(
               ApiError::make("MethodNotAllowed", req.method,
                              "not allowed on " + req.path + " (allowed: " + allowed + ")"))
        .withHeader("Allow", QByteArray::fromStdString(allowed));
  }
  return HttpResponse::error(ApiError::make("NotFound", req.path, "no such route"));
}

}  // namespace avatar::server
