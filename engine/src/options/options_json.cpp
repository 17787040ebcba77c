#include "avatar/options_json.h"

#include <map>

#include "avatar/utf8.h"
#include "options/option_fields.h"

namespace avatar {
namespace {

using detail::FieldScope;
using detail::FieldSpec;
using detail::Json;

// Every accepted name (canonical, aliases, snake_case forms) -> its field.
const std::map<std::string, const FieldSpec*>& nameIndex() {
  static const auto index = [] {
    std::map<std::string, const FieldSpec*> m;
    for (const auto& f : detail::fieldSpecs()) {
      m[f.name] = &f;
      m[detail::toSnakeCase(f.name)] = &f;
      for (const auto& a : f.aliases) {
        m[a] = &f;
        m[detail::toSnakeCase(a)] = &f;
      }
    }
    return m;
  }();
  return index;
}

// Options nest two levels at most; anything far deeper is hostile.
constexpr int kMaxJsonDepth = 32;

Status parseObject(std::string_view text, Json* out) {
  try {
    bool tooDeep = false;
    *out = Json::parse(text.begin(), text.end(), [&](int depth, Json::parse_event_t, Json&) {
      if (depth > kMaxJsonDepth) tooDeep = true;
      return !tooDeep;
    });
    if (tooDeep) {
      return Status::error(ErrorCode::InvalidArgument, "JSON",
                           "nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    }
  } catch (const std::exception& e) {
    return Status::error(ErrorCode::InvalidArgument, "JSON",
                         toValidUtf8(std::string("not valid JSON: ") + e.what()));
  }
  if (!out->is_object()) {
    return Status::error(ErrorCode::InvalidArgument, "JSON", "expected a JSON object");
  }
  return Status::ok();
}

// A string field whose schema lists its values (preset) accepts only those.
Status checkSchemaEnum(const FieldSpec& f, const Json& value, const std::string& given) {
  if (!value.is_string() || !f.schema.contains("enum") || f.schema.value("type", "") != "string") {
    return Status::ok();
  }
  std::string allowed;
  for (const auto& v : f.schema["enum"]) {
    if (v == value) return Status::ok();
    allowed += (allowed.empty() ? "" : ", ") + v.get<std::string>();
  }
  return Status::error(
      ErrorCode::InvalidArgument, given,
      "unknown value \"" + value.get<std::string>() + "\" (one of: " + allowed + ")");
}

Status mergeFields(std::string_view text, bool allowRequestFields, RenderRequest* inout) {
  Json doc;
  if (Status s = parseObject(text, &doc); !s) return s;
  RenderRequest req = *inout;
  std::map<const FieldSpec*, std::string> seen;
  for (const auto& [key, value] : doc.items()) {
    const auto it = nameIndex().find(key);
    if (it == nameIndex().end()) {
      return Status::error(ErrorCode::InvalidArgument, key, "unknown field");
    }
    const FieldSpec* field = it->second;
    if (field->scope == FieldScope::Request && !allowRequestFields) {
      return Status::error(ErrorCode::InvalidArgument, key,
                           "is a request field, not a render option (not allowed in a preset)");
    }
    if (auto [pos, inserted] = seen.emplace(field, key); !inserted) {
      return Status::error(ErrorCode::InvalidArgument, key,
                           "given twice (also as \"" + pos->second + "\")");
    }
    // The seed sent null for absent optional inputs (driver_video: null).
    if (value.is_null() && field->scope == FieldScope::Request) continue;
    if (Status s = field->read(value, key, req); !s) return s;
    if (Status s = checkSchemaEnum(*field, value, key); !s) return s;
  }
  if (Status s = validateRenderOptions(req.options); !s) return s;
  *inout = std::move(req);
  return Status::ok();
}

std::string nameFor(const FieldSpec& f, JsonNameStyle style) {
  return style == JsonNameStyle::Snake ? detail::toSnakeCase(f.name) : f.name;
}

Json toJsonObject(const RenderRequest& req, JsonNameStyle style, bool withRequestFields) {
  Json doc = Json::object();
  for (const auto& f : detail::fieldSpecs()) {
    if (f.scope == FieldScope::Request && !withRequestFields) continue;
    doc[nameFor(f, style)] = f.write(req);
  }
  return doc;
}

Json schemaFor(JsonNameStyle style, bool withRequestFields, bool requireInputs) {
  const RenderRequest defaults;
  Json props = Json::object();
  for (const auto& f : detail::fieldSpecs()) {
    if (f.scope == FieldScope::Request && !withRequestFields) continue;
    Json p = f.schema;
    if (f.scope == FieldScope::Options) p["default"] = f.write(defaults);
    props[nameFor(f, style)] = std::move(p);
  }
  Json schema = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                 {"type", "object"},
                 {"properties", std::move(props)},
                 {"additionalProperties", false}};
  if (withRequestFields && requireInputs) {
    const bool snake = style == JsonNameStyle::Snake;
    schema["required"] = {snake ? "avatar_path" : "avatarPath", snake ? "audio_path" : "audioPath"};
  }
  return schema;
}

}  // namespace

// Generated from the field table: every option is written as JSON and read
// back through its field's own reader (type, range, finiteness, enum), so the
// C++ API and the JSON parser accept exactly the same values.
Status validateRenderOptions(const RenderOptions& o) {
  RenderRequest req;
  req.options = o;
  for (const auto& f : detail::fieldSpecs()) {
    if (f.scope != FieldScope::Options) continue;
    const Json value = f.write(req);
    RenderRequest scratch;
    if (Status s = f.read(value, f.name, scratch); !s) return s;
    if (Status s = checkSchemaEnum(f, value, f.name); !s) return s;
  }
  // Across fields (not expressible per field in the table).
  if ((o.width > 0 && o.width < 16) || (o.height > 0 && o.height < 16)) {
    return Status::error(ErrorCode::InvalidArgument, "width/height",
                         "output frames must be at least 16 pixels on each side");
  }
  return Status::ok();
}

Status parseRenderOptions(std::string_view json, RenderOptions* out) {
  RenderRequest req;
  if (Status s = mergeFields(json, false, &req); !s) return s;
  *out = req.options;
  return Status::ok();
}

Status mergeRenderOptions(std::string_view json, RenderOptions* inout) {
  RenderRequest req;
  req.options = *inout;
  if (Status s = mergeFields(json, false, &req); !s) return s;
  *inout = req.options;
  return Status::ok();
}

Status parseRenderRequest(std::string_view json, RenderRequest* out) {
  RenderRequest req;
  if (Status s = mergeFields(json, true, &req); !s) return s;
  *out = std::move(req);
  return Status::ok();
}

Status mergeRenderRequest(std::string_view json, RenderRequest* inout) {
  return mergeFields(json, true, inout);
}

std::string renderOptionsToJson(const RenderOptions& options, JsonNameStyle style, int indent) {
  RenderRequest req;
  req.options = options;
  return toJsonObject(req, style, false).dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string renderRequestToJson(const RenderRequest& request, JsonNameStyle style, int indent) {
  return toJsonObject(request, style, true)
      .dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string renderOptionsJsonSchema(JsonNameStyle style) {
  return schemaFor(style, false, false).dump(2);
}

std::string renderRequestJsonSchema(JsonNameStyle style, bool requireInputs) {
  return schemaFor(style, true, requireInputs).dump(2);
}

std::vector<RenderFieldInfo> renderFieldInfo() {
  const RenderRequest defaults;
  std::vector<RenderFieldInfo> out;
  for (const auto& f : detail::fieldSpecs()) {
    RenderFieldInfo info;
    info.name = f.name;
    info.type = f.schema.value("type", "string");
    info.description = f.schema.value("description", "");
    if (f.schema.contains("enum")) {
      for (const auto& v : f.schema["enum"]) info.choices.push_back(v.get<std::string>());
    }
    info.minimum = f.schema.value("minimum", 0.0);
    info.maximum = f.schema.value("maximum", 0.0);
    info.requestField = f.scope == FieldScope::Request;
    if (!info.requestField) info.defaultJson = f.write(defaults).dump();
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace avatar
