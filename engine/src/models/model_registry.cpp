#include "models/model_registry.h"

#include <filesystem>
#include <system_error>

#include <nlohmann/json.hpp>

namespace avatar {

bool ModelInfo::available() const {
  if (files.empty()) return false;
  for (const auto& f : files) {
    if (!f.present) return false;
  }
  return true;
}

namespace detail {

Status loadModelRegistry(const std::string& manifestJson, const std::string& modelsDir,
                         std::vector<ModelInfo>* out) {
  namespace fs = std::filesystem;
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(manifestJson);
  } catch (const std::exception& e) {
    return Status::error(ErrorCode::Internal, "models/manifest.json", e.what());
  }
  out->clear();
  try {
    for (const auto& m : doc.at("models")) {
      ModelInfo info;
      info.id = m.at("id").get<std::string>();
      info.name = m.at("name").get<std::string>();
      info.role = m.at("role").get<std::string>();
      info.licence = m.at("licence").get<std::string>();
      info.commercialUse = m.value("commercialUse", false);
      info.source = m.value("source", "");
      info.howToGet = m.value("howToGet", "");
      for (const auto& f : m.at("files")) {
        ModelFile file;
        file.relativePath = f.at("path").get<std::string>();
        file.sha256 = f.value("sha256", "");
        const fs::path rel(file.relativePath);
        file.path =
            (rel.is_absolute() ? rel : fs::path(modelsDir) / rel).lexically_normal().string();
        std::error_code ec;
        file.present = fs::is_regular_file(file.path, ec);
        if (file.present) file.sizeBytes = static_cast<int64_t>(fs::file_size(file.path, ec));
        info.files.push_back(std::move(file));
      }
      out->push_back(std::move(info));
    }
  } catch (const std::exception& e) {
    return Status::error(ErrorCode::Internal, "models/manifest.json",
                         std::string("malformed: ") + e.what());
  }
  return Status::ok();
}

const ModelInfo* findModel(const std::vector<ModelInfo>& models, const std::string& id) {
  for (const auto& m : models) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

}  // namespace detail
}  // namespace avatar
