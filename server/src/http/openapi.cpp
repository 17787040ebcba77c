// The OpenAPI 3.1 document, generated from the route table (which itself is
// generated from the command table for the command routes).
#include <algorithm>
#include <cctype>

#include "avatar/version.h"
#include "http/rest_routes.h"

namespace avatar::server {

Json openApiJson(const std::vector<Route>& routes, const HttpConfig& http) {
  Json paths = Json::object();
  for (const Route& r : routes) {
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    Json op = r.operation;
    if (r.isPublic) op["security"] = Json::array();  // no token needed
    paths[r.pattern][method] = std::move(op);
  }
  Json doc = {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "avatar-renderer"},
        {"version", avatar::versionString()},
        {"description",
         "Talking-head video from one photo and speech. Renders run as jobs: POST /render "
         "or /render-upload answers 202 with a job id; poll /status/{jobId} (the MP4 when "
         "done) or /jobs/{jobId}. Errors are JSON {error: {code, subject, message}, detail} "
         "with a 4xx/5xx status; see docs/API.md."}}},
      {"servers", {{{"url", "http://" + http.host + ":" + std::to_string(http.port)}}}},
      {"paths", paths},
      {"components",
       {{"schemas", {{"Error", errorJsonSchema()}}},
        {"securitySchemes",
         {{"bearer",
           {{"type", "http"},
            {"scheme", "bearer"},
            {"description",
             "Required on every route but /health/* when the server runs "
             "with --token."}}}}}}}};
  if (!http.token.empty()) doc["security"] = {{{"bearer", Json::array()}}};
  return doc;
}

std::string openApiDocument(const HttpConfig& http) {
  const std::vector<Route> routes = buildRoutes(nullptr);
  return dumpJson(openApiJson(routes, http), 2);
}

}  // namespace avatar::server
