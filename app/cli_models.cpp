// avatar-renderer models: which model files the engine knows, found or missing.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "avatar/engine.h"
#include "avatar/options_json.h"
#include "cli_args.h"
#include "cli_common.h"
#include "commands.h"
#include "exit_codes.h"
#include "progress_printer.h"

namespace app {

int runModels(int argc, char** argv) {
  ArgParser p;
  p.add({"json", "", false, "", "Print the list as JSON on stdout."});
  addCommonFlags(p);
  std::string error;
  if (!p.parse(argc, argv, 2, &error)) return usageError("models", error);
  if (p.has("help")) {
    std::printf(
        "Usage: avatar-renderer models [--json] [--models-dir DIR]\n\n"
        "Lists the backends of each stage (motion, mouth, enhance: whether this build "
        "implements it and this installation can run it) and the model files the engine "
        "knows, whether each is installed, and its licence.\n\nOptions:\n%s",
        p.helpText().c_str());
    return kExitOk;
  }
  if (int rc = applyCommonFlags(p); rc != kExitOk) return rc;
  std::shared_ptr<const avatar::Engine> engine;
  ProgressPrinter printer(ProgressMode::None);
  if (avatar::Status s = avatar::Engine::create(engineConfigFrom(p, {}), &engine); !s) {
    return reportFailure(printer, s);
  }
  const auto models = engine->models();
  const auto backends = engine->backends();
  if (p.has("json")) {
    nlohmann::ordered_json out = {
        {"modelsDir", engine->modelsDir()},
        {"backends", nlohmann::ordered_json::parse(avatar::backendsToJson(backends))},
        {"models", nlohmann::json::array()}};
    for (const auto& m : models) {
      nlohmann::ordered_json files = nlohmann::json::array();
      for (const auto& f : m.files) {
        files.push_back({{"path", f.path},
                         {"present", f.present},
                         {"sizeBytes", f.sizeBytes},
                         {"sha256", f.sha256}});
      }
      out["models"].push_back({{"id", m.id},
                               {"name", m.name},
                               {"role", m.role},
                               {"available", m.available()},
                               {"licence", m.licence},
                               {"commercialUse", m.commercialUse},
                               {"source", m.source},
                               {"howToGet", m.howToGet},
                               {"files", files}});
    }
    std::printf("%s\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return kExitOk;
  }
  std::printf("Backends (motion -> mouth -> enhance):\n");
  for (const auto& a : backends) {
    const auto& b = a.backend;
    std::printf("%-9s %-8s %-10s %s\n",
                a.usable ? "[ready]" : (b.implemented ? "[missing]" : "[not-impl]"),
                avatar::toString(b.role), b.id.c_str(), b.name.c_str());
    std::printf("          licence: %s%s\n", b.licence.c_str(),
                b.commercialUse ? "" : "  (not for commercial use)");
    if (!a.usable) std::printf("          %s\n", a.reason.c_str());
  }
  std::printf("\nModels directory: %s\n\n", engine->modelsDir().c_str());
  for (const auto& m : models) {
    std::printf("%-9s %-28s %-14s %s\n", m.available() ? "[found]" : "[missing]", m.id.c_str(),
                m.role.c_str(), m.name.c_str());
    std::printf("          licence: %s%s\n", m.licence.c_str(),
                m.commercialUse ? "" : "  (not for commercial use)");
    for (const auto& f : m.files) {
      if (f.present) {
        std::printf("          %s (%.1f MB)\n", f.path.c_str(), double(f.sizeBytes) / 1e6);
      } else {
        std::printf("          %s  <- missing\n", f.path.c_str());
      }
    }
    if (!m.available()) std::printf("          get it: %s\n", m.howToGet.c_str());
  }
  return kExitOk;
}

int runSchema(int argc, char** argv) {
  ArgParser p;
  p.add({"snake", "", false, "", "snake_case field names (MCP style)."});
  p.add({"options-only", "", false, "", "Schema of a preset (options only)."});
  p.add({"help", "h", false, "", "Show this help."});
  std::string error;
  if (!p.parse(argc, argv, 2, &error)) return usageError("schema", error);
  if (p.has("help")) {
    std::printf(
        "Usage: avatar-renderer schema [--snake] [--options-only]\n\n"
        "Prints the JSON Schema of render requests (or presets).\n\n%s",
        p.helpText().c_str());
    return kExitOk;
  }
  const auto style = p.has("snake") ? avatar::JsonNameStyle::Snake : avatar::JsonNameStyle::Camel;
  const std::string schema = p.has("options-only") ? avatar::renderOptionsJsonSchema(style)
                                                   : avatar::renderRequestJsonSchema(style);
  std::printf("%s\n", schema.c_str());
  return kExitOk;
}

}  // namespace app
