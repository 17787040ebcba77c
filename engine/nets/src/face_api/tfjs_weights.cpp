#include "avatar_nets/tfjs_weights.h"

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

namespace avatar::nets {
namespace {
namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr int64_t kMaxElements = int64_t(1) << 31;

// Half-precision bits -> float (IEEE 754 binary16).
float halfToFloat(uint16_t h) {
  const uint32_t sign = uint32_t(h >> 15) << 31;
  const int exponent = (h >> 10) & 0x1f;
  const uint32_t mantissa = h & 0x3ff;
  float magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(float(mantissa), -24);
  } else if (exponent == 31) {
    magnitude =
        mantissa ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
  } else {
    magnitude = std::ldexp(float(mantissa | 0x400), exponent - 25);
  }
  uint32_t bits;
  std::memcpy(&bits, &magnitude, 4);
  bits |= sign;
  float out;
  std::memcpy(&out, &bits, 4);
  return out;
}

bool readFile(const fs::path& path, std::vector<uint8_t>* bytes, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path.string() + ": cannot open (missing or not readable)";
    return false;
  }
  const size_t before = bytes->size();
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size < 0) {
    *error = path.string() + ": cannot determine the file size";
    return false;
  }
  bytes->resize(before + size_t(size));
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes->data() + before), size)) {
    *error = path.string() + ": read error";
    return false;
  }
  return true;
}

// How one weight is stored in the shards.
struct Encoding {
  std::string storage;  // "float32", "int32", "bool", "uint8", "uint16", "float16"
  double scale = 1;
  double min = 0;
  size_t bytesPerElement() const {
    if (storage == "float32" || storage == "int32") return 4;
    if (storage == "uint16" || storage == "float16") return 2;
    return 1;
  }
};

bool parseEntry(const Json& w, const std::string& where, TfjsWeight* out, Encoding* enc,
                std::string* error) {
  if (!w.is_object() || !w.contains("name") || !w["name"].is_string()) {
    *error = where + ": has no \"name\"";
    return false;
  }
  out->name = w["name"].get<std::string>();
  const std::string at = where + " (\"" + out->name + "\")";
  out->dtype = w.value("dtype", std::string("float32"));
  if (out->dtype != "float32" && out->dtype != "int32" && out->dtype != "bool") {
    *error = at + ": unsupported dtype \"" + out->dtype + "\"";
    return false;
  }
  if (!w.contains("shape") || !w["shape"].is_array()) {
    *error = at + ": has no \"shape\" array";
    return false;
  }
  out->shape.clear();
  int64_t count = 1;
  for (const Json& d : w["shape"]) {
    if (!d.is_number_integer() || d.get<int64_t>() < 0) {
      *error = at + ": shape holds a negative or non-integer dimension";
      return false;
    }
    out->shape.push_back(d.get<int64_t>());
    count *= std::max<int64_t>(out->shape.back(), 1);
    if (count > kMaxElements) {
      *error = at + ": shape is implausibly large";
      return false;
    }
  }
  enc->storage = out->dtype;
  if (w.contains("quantization") && !w["quantization"].is_null()) {
    const Json& q = w["quantization"];
    enc->storage = q.value("dtype", std::string());
    if (enc->storage == "uint8" || enc->storage == "uint16") {
      if (!q.contains("scale") || !q.contains("min") || !q["scale"].is_number() ||
          !q["min"].is_number()) {
        *error = at + ": quantization without numeric scale and min";
        return false;
      }
      enc->scale = q["scale"].get<double>();
      enc->min = q["min"].get<double>();
    } else if (enc->storage != "float16") {
      *error = at + ": unsupported quantization dtype \"" + enc->storage + "\"";
      return false;
    }
  }
  return true;
}

void decode(const uint8_t* p, const Encoding& enc, TfjsWeight* w) {
  const int64_t n = w->elementCount();
  w->values.resize(size_t(n));
  const bool roundToInt = w->dtype != "float32";
  for (int64_t i = 0; i < n; ++i) {
    double v;
    if (enc.storage == "float32") {
      float f;
      std::memcpy(&f, p + 4 * i, 4);
      v = f;
    } else if (enc.storage == "int32") {
      int32_t k;
      std::memcpy(&k, p + 4 * i, 4);
      v = k;
    } else if (enc.storage == "bool") {
      v = p[i] ? 1 : 0;
    } else if (enc.storage == "uint8") {
      v = p[i] * enc.scale + enc.min;
    } else if (enc.storage == "uint16") {
      uint16_t q;
      std::memcpy(&q, p + 2 * i, 2);
      v = q * enc.scale + enc.min;
    } else {  // float16
      uint16_t h;
      std::memcpy(&h, p + 2 * i, 2);
      v = halfToFloat(h);
    }
    w->values[size_t(i)] = float(roundToInt ? std::round(v) : v);
  }
}

}  // namespace

int64_t TfjsWeight::elementCount() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

bool readTfjsWeights(const std::string& manifestPath, std::vector<TfjsWeight>* out,
                     std::string* error) {
  out->clear();
  std::vector<uint8_t> text;
  if (!readFile(manifestPath, &text, error)) return false;
  Json manifest = Json::parse(text.begin(), text.end(), nullptr, false);
  if (manifest.is_discarded()) {
    *error = manifestPath + ": not valid JSON (expected a tfjs weights manifest)";
    return false;
  }
  if (!manifest.is_array() || manifest.empty()) {
    *error = manifestPath + ": expected a JSON array of weight groups";
    return false;
  }
  const fs::path dir = fs::path(manifestPath).parent_path();
  std::vector<uint8_t> data;
  std::vector<TfjsWeight> weights;
  std::vector<Encoding> encodings;
  for (size_t g = 0; g < manifest.size(); ++g) {
    const Json& group = manifest[g];
    const std::string where = manifestPath + ": group " + std::to_string(g);
    if (!group.is_object() || !group.contains("paths") || !group["paths"].is_array() ||
        !group.contains("weights") || !group["weights"].is_array()) {
      *error = where + " needs \"paths\" and \"weights\" arrays";
      return false;
    }
    for (const Json& p : group["paths"]) {
      if (!p.is_string()) {
        *error = where + ": a shard path is not a string";
        return false;
      }
      std::string shardError;
      if (!readFile(dir / p.get<std::string>(), &data, &shardError)) {
        *error = shardError + " (a weights shard listed in " + manifestPath + ")";
        return false;
      }
    }
    for (size_t i = 0; i < group["weights"].size(); ++i) {
      TfjsWeight w;
      Encoding enc;
      if (!parseEntry(group["weights"][i], where + " weight " + std::to_string(i), &w, &enc,
                      error)) {
        return false;
      }
      weights.push_back(std::move(w));
      encodings.push_back(enc);
    }
  }
  size_t offset = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const size_t bytes = size_t(weights[i].elementCount()) * encodings[i].bytesPerElement();
    if (offset + bytes > data.size()) {
      *error = manifestPath + ": weight \"" + weights[i].name + "\" needs bytes " +
               std::to_string(offset) + ".." + std::to_string(offset + bytes) +
               " but the shards hold only " + std::to_string(data.size()) +
               " bytes (truncated or wrong .bin file)";
      return false;
    }
    decode(data.data() + offset, encodings[i], &weights[i]);
    offset += bytes;
  }
  if (offset != data.size()) {
    *error = manifestPath + ": the shards hold " + std::to_string(data.size()) +
             " bytes but the manifest describes " + std::to_string(offset) +
             " (wrong or corrupt .bin file)";
    return false;
  }
  *out = std::move(weights);
  return true;
}

}  // namespace avatar::nets
