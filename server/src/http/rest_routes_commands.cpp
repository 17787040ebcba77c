// REST adapters for the command table: arguments from the path, the query
// string or the JSON body; replies and errors from the command's result.
#include "commands/command_table.h"
#include "core/path_policy.h"
#include "core/schema_check.h"
#include "http/rest_routes.h"
#include "jobs/job_service.h"

namespace avatar::server {
namespace {

std::vector<std::string> pathParams(const std::string& pattern) {
  std::vector<std::string> names;
  size_t pos = 0;
  while ((pos = pattern.find('{', pos)) != std::string::npos) {
    const size_t end = pattern.find('}', pos);
    names.push_back(pattern.substr(pos + 1, end - pos - 1));
    pos = end;
  }
  return names;
}

const char* statusText(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 202:
      return "Accepted";
    default:
      return "Success";
  }
}

Json operationFor(const CommandDef& c) {
  const auto params = pathParams(c.rest->path);
  const Json input = c.inputSchema(avatar::JsonNameStyle::Camel);
  Json parameters = Json::array();
  for (const auto& name : params) {
    parameters.push_back({{"name", name},
                          {"in", "path"},
                          {"required", true},
                          {"schema", input["properties"].value(name, Json{{"type", "string"}})}});
  }
  Json op = {{"operationId", c.name},
             {"summary", c.title},
             {"description", c.description},
             {"tags", {c.name == "health" ? "health" : "jobs"}}};
  if (c.rest->method == "POST") {
    op["requestBody"] = {{"required", true}, {"content", jsonContent(input)}};
  } else {
    const Json required = input.value("required", Json::array());
    for (const auto& [name, schema] : input["properties"].items()) {
      if (std::find(params.begin(), params.end(), name) != params.end()) continue;
      bool isRequired = false;
      for (const auto& r : required) isRequired = isRequired || r == name;
      parameters.push_back(
          {{"name", name}, {"in", "query"}, {"required", isRequired}, {"schema", schema}});
    }
  }
  if (!parameters.empty()) op["parameters"] = parameters;
  Json responses = errorResponses(c.errorStatuses);
  responses[std::to_string(c.successStatus)] = {{"description", statusText(c.successStatus)},
                                                {"content", jsonContent(c.restOutputSchema())}};
  if (c.name == "cancel_job") {
    responses["202"] = {{"description", "The render is stopping."},
                        {"content", jsonContent(c.restOutputSchema())}};
  }
  if (c.name == "health") {  // "not ready" is a health report, not an error
    responses["503"] = {{"description", "Not ready: see the failing checks."},
                        {"content", jsonContent(c.restOutputSchema())}};
  }
  op["responses"] = responses;
  return op;
}

HttpResponse runCommandRoute(RestContext& ctx, const CommandDef& c, const HttpRequest& req) {
  Json args = Json::object();
  if (c.rest->method == "POST") {
    const QByteArray type = req.header("content-type").toLower();
    if (!type.isEmpty() && !type.startsWith("application/json")) {
      return HttpResponse::error(ApiError::make(
          "UnsupportedMedia", "Content-Type",
          "send the request as application/json, not \"" + type.toStdString() + "\""));
    }
    const QByteArray body = req.body();
    std::string why;
    if (!parseClientJson(std::string_view(body.constData(), size_t(body.size())), &args, &why)) {
      return HttpResponse::error(
          ApiError::make("MalformedRequest", "body", "the request body is not valid JSON: " + why));
    }
  } else {
    for (const auto& [key, value] : req.query.queryItems(QUrl::FullyDecoded)) {
      args[key.toStdString()] = value.toStdString();
    }
    if (auto err = coerceQueryValues(c.inputSchema(avatar::JsonNameStyle::Camel), &args)) {
      return HttpResponse::error(*err);
    }
  }
  for (const auto& [name, value] : req.pathParams) {
    if (args.is_object()) args[name] = value;
  }
  CommandContext cctx{*ctx.jobs, *ctx.paths, avatar::JsonNameStyle::Camel, "rest", false, "", {}};
  const CommandResult result = runCommand(c, args, cctx);
  if (result.error) return HttpResponse::error(*result.error);
  HttpResponse response = HttpResponse::json(result.httpStatus, result.data);
  if (c.name == "render") {
    response.withHeader("Location",
                        QByteArray::fromStdString("/jobs/" + result.data.value("jobId", "")));
  }
  return response;
}

}  // namespace

Json jsonContent(const Json& schema) {
  return {{"application/json", {{"schema", schema}}}};
}

Json errorResponses(const std::vector<int>& statuses) {
  Json responses = Json::object();
  for (int status : statuses) {
    responses[std::to_string(status)] = {
        {"description", reasonPhrase(status).toStdString()},
        {"content", jsonContent({{"$ref", "#/components/schemas/Error"}})}};
  }
  return responses;
}

void addCommandRoutes(RestContext* ctx, std::vector<Route>* routes) {
  for (const CommandDef& c : commandTable()) {
    if (!c.rest) continue;
    Route r;
    r.method = c.rest->method;
    r.pattern = c.rest->path;
    r.isPublic = isPublicPath(c.rest->path);
    r.operation = operationFor(c);
    const CommandDef* command = &c;
    r.handler = [ctx, command](const HttpRequest& req) {
      return runCommandRoute(*ctx, *command, req);
    };
    routes->push_back(std::move(r));
  }
}

}  // namespace avatar::server
