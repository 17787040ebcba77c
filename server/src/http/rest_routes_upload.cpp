// POST /render-upload: the seed's multipart form. Files `avatar` and `audio`
// (optionally `driverVideo`, `visemeJson`) are stored in a reserved job
// directory; other fields are render options (text values converted by the
// option's type; `options` may hold a JSON object of options). Then the
// render command runs exactly as for POST /render.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <cctype>

#include "avatar/options_json.h"
#include "commands/command_table.h"
#include "core/path_policy.h"
#include "http/multipart.h"
#include "http/rest_routes.h"
#include "jobs/job_service.h"
#include "jobs/job_views.h"

namespace avatar::server {
namespace {

struct FileField {
  const char* part;   // form part name (seed)
  const char* snake;  // accepted too
  const char* requestField;
  bool required;
};
constexpr FileField kFileFields[] = {{"avatar", "avatar", "avatarPath", true},
                                     {"audio", "audio", "audioPath", true},
                                     {"driverVideo", "driver_video", "driverVideo", false},
                                     {"visemeJson", "viseme_json", "visemeJson", false}};

std::string safeExtension(const std::string& filename) {
  const std::string ext =
      QFileInfo(QString::fromStdString(filename)).suffix().toLower().toStdString();
  if (ext.empty() || ext.size() > 5) return "";
  for (char c : ext) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return "";
  }
  return "." + ext;
}

// The type of a render option by any accepted name (camelCase or snake_case).
std::string optionType(const std::string& name) {
  for (const auto& f : avatar::renderFieldInfo()) {
    if (f.name == name || argName(f.name, avatar::JsonNameStyle::Snake) == name) return f.type;
  }
  return "string";
}

std::optional<ApiError> addTextField(const FormPart& part, Json* args) {
  const std::string text = part.data.toStdString();
  if (part.name == "options") {
    Json options;
    std::string why;
    if (!parseClientJson(text, &options, &why)) {
      return ApiError::make("InvalidArgument", "options",
                            "must be a JSON object of render options (" + why + ")");
    }
    if (!options.is_object()) {
      return ApiError::make("InvalidArgument", "options",
                            "must be a JSON object of render options");
    }
    for (const auto& [k, v] : options.items()) (*args)[k] = v;
    return std::nullopt;
  }
  const std::string type = optionType(part.name);
  Json value = text;
  if (type == "integer" || type == "number") {
    Json parsed;
    std::string why;
    if (!parseClientJson(text, &parsed, &why) || !parsed.is_number()) {
      return ApiError::make("InvalidArgument", part.name, "must be a number, not \"" + text + "\"");
    }
    value = parsed;
  } else if (text == "true" || text == "false") {
    value = text == "true";  // the seed's `enhancements` flag
  }
  (*args)[part.name] = value;
  return std::nullopt;
}

HttpResponse handleUpload(RestContext& ctx, const HttpRequest& req) {
  std::vector<FormPart> parts;
  const QByteArray body = req.body();  // shared with the request; the parts point into it
  if (auto err = parseMultipart(req.header("content-type"), body, &parts)) {
    return HttpResponse::error(*err);
  }
  Json args = Json::object();
  std::map<std::string, const FormPart*> files;
  for (const FormPart& part : parts) {
    const FileField* field = nullptr;
    for (const auto& f : kFileFields) {
      if (part.name == f.part || part.name == f.snake) field = &f;
    }
    if (field) {
      if (!part.isFile) {
        return HttpResponse::error(ApiError::make(
            "InvalidArgument", part.name, "must be an uploaded file (a part with a filename)"));
      }
      files[field->part] = &part;
      continue;
    }
    if (part.isFile) {
      return HttpResponse::error(ApiError::make("InvalidArgument", part.name,
                                                "unknown file field (expected avatar, audio, "
                                                "driverVideo or visemeJson)"));
    }
    if (auto err = addTextField(part, &args)) return HttpResponse::error(*err);
  }
  for (const auto& f : kFileFields) {
    if (f.required && !files.count(f.part)) {
      return HttpResponse::error(
          ApiError::make("InvalidArgument", f.part, "is required (upload it as a file part)"));
    }
  }
  std::string jobId, inputsDir;
  std::map<std::string, std::string> uploaded;  // field -> the file stored for it
  if (auto err = ctx.jobs->reserveJob(&jobId, &inputsDir)) return HttpResponse::error(*err);
  for (const auto& f : kFileFields) {
    const auto it = files.find(f.part);
    if (it == files.end()) continue;
    const FormPart& part = *it->second;
    if (part.data.isEmpty()) {
      ctx.jobs->discardReservedJob(jobId);
      return HttpResponse::error(
          ApiError::make("InputEmpty", f.part, "the uploaded file is empty (0 bytes)"));
    }
    const std::string path = inputsDir + "/" + f.part + safeExtension(part.filename);
    QFile out(QString::fromStdString(path));
    if (!out.open(QIODevice::WriteOnly) || out.write(part.data) != part.data.size()) {
      ctx.jobs->discardReservedJob(jobId);
      return HttpResponse::error(
          ApiError::make("OutputNotWritable", f.part, "cannot store the uploaded file"));
    }
    if (args.contains(f.requestField)) {
      ctx.jobs->discardReservedJob(jobId);
      return HttpResponse::error(ApiError::make("InvalidArgument", f.requestField,
                                                "given twice (as a file and as a field)"));
    }
    args[f.requestField] = path;
    uploaded[f.requestField] = path;
  }
  CommandContext cctx{*ctx.jobs, *ctx.paths, avatar::JsonNameStyle::Camel, "upload", false,
                      jobId,     uploaded};
  const CommandResult result = runCommand(*findCommand("render"), args, cctx);
  if (result.error) {
    ctx.jobs->discardReservedJob(jobId);
    return HttpResponse::error(ctx.jobs->redactServerPaths(*result.error));
  }
  return HttpResponse::json(result.httpStatus, result.data)
      .withHeader("Location", QByteArray::fromStdString("/jobs/" + jobId));
}

Json uploadOperation() {
  Json props = {
      {"avatar",
       {{"type", "string"}, {"contentMediaType", "image/*"}, {"description", "The photo."}}},
      {"audio",
       {{"type", "string"}, {"contentMediaType", "audio/*"}, {"description", "The speech."}}},
      {"driverVideo", {{"type", "string"}, {"contentMediaType", "video/*"}}},
      {"visemeJson", {{"type", "string"}, {"description", "Viseme track file."}}},
      {"options", {{"type", "string"}, {"description", "JSON object of render options."}}}};
  // Every render option is also accepted as a text field of its own.
  const Json request = renderInputSchema(avatar::JsonNameStyle::Camel);
  for (const auto& [name, schema] : request["properties"].items()) {
    if (name == "avatarPath" || name == "audioPath" || name == "driverVideo" ||
        name == "visemeJson")
      continue;
    props[name] = schema;
  }
  Json responses = errorResponses({400, 401, 403, 413, 415, 422, 503});
  responses["202"] = {{"description", "Accepted"}, {"content", jsonContent(submittedJsonSchema())}};
  return {
      {"operationId", "render_upload"},
      {"summary", "Render from uploaded files"},
      {"description",
       "The seed's multipart form: files avatar and audio, option fields such as "
       "qualityMode, enhancements, transcript, width, height. Same reply as POST /render."},
      {"tags", {"jobs"}},
      {"requestBody",
       {{"required", true},
        {"content",
         {{"multipart/form-data",
           {{"schema",
             {{"type", "object"}, {"required", {"avatar", "audio"}}, {"properties", props}}}}}}}}},
      {"responses", responses}};
}

}  // namespace

void addUploadRoute(RestContext* ctx, std::vector<Route>* routes) {
  Route r;
  r.method = "POST";
  r.pattern = "/render-upload";
  r.operation = uploadOperation();
  r.handler = [ctx](const HttpRequest& req) { return handleUpload(*ctx, req); };
  routes->push_back(std::move(r));
}

}  // namespace avatar::server
