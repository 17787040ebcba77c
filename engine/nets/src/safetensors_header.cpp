// The safetensors header parser. Pure C++ + nlohmann json (no torch), so the
// fuzz target compiles this file alone.
#include <algorithm>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include "avatar_nets/safetensors.h"

namespace avatar::nets {
namespace {

struct DTypeRow {
  DType dtype;
  const char* name;
  size_t size;
};
constexpr DTypeRow kDTypes[] = {
    {DType::F64, "F64", 8},   {DType::F32, "F32", 4}, {DType::F16, "F16", 2},
    {DType::BF16, "BF16", 2}, {DType::I64, "I64", 8}, {DType::I32, "I32", 4},
    {DType::I16, "I16", 2},   {DType::I8, "I8", 1},   {DType::U8, "U8", 1},
    {DType::Bool, "BOOL", 1},
};

NetStatus bad(const std::string& file, const std::string& detail) {
  return NetStatus::error(NetError::InvalidFile, file, detail);
}

std::string inQuotes(const std::string& s) {
  return "'" + s + "'";
}

// Reads a non-negative JSON integer; false for floats, negatives, others.
bool readCount(const nlohmann::json& v, uint64_t* out) {
  if (v.is_number_unsigned()) {
    *out = v.get<uint64_t>();
    return true;
  }
  if (v.is_number_integer() && v.get<int64_t>() >= 0) {
    *out = uint64_t(v.get<int64_t>());
    return true;
  }
  return false;
}

NetStatus parseEntry(const std::string& file, const std::string& name, const nlohmann::json& v,
                     uint64_t dataSize, TensorEntry* t) {
  const std::string what = "tensor " + inQuotes(name);
  if (name.empty()) return bad(file, "a tensor has an empty name");
  if (!v.is_object()) return bad(file, what + ": entry is not a JSON object");
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it.key() != "dtype" && it.key() != "shape" && it.key() != "data_offsets") {
      return bad(file, what + ": unknown field " + inQuotes(it.key()));
    }
  }
  if (!v.contains("dtype") || !v["dtype"].is_string()) {
    return bad(file, what + ": missing or non-string dtype");
  }
  if (!dtypeFromName(v["dtype"].get<std::string>(), &t->dtype)) {
    return bad(file, what + ": unknown dtype " + inQuotes(v["dtype"].get<std::string>()));
  }
  if (!v.contains("shape") || !v["shape"].is_array()) {
    return bad(file, what + ": missing or non-array shape");
  }
  if (v["shape"].size() > 16) return bad(file, what + ": more than 16 dimensions");
  uint64_t numel = 1;
  for (const auto& d : v["shape"]) {
    uint64_t n = 0;
    if (!readCount(d, &n) || n > uint64_t(INT64_MAX)) {
      return bad(file,
                 what + ": shape " + v["shape"].dump() + " has a negative or non-integer size");
    }
    if (__builtin_mul_overflow(numel, n, &numel)) {
      return bad(file, what + ": shape " + v["shape"].dump() + " overflows");
    }
    t->shape.push_back(int64_t(n));
  }
  uint64_t nbytes = 0;
  if (__builtin_mul_overflow(numel, uint64_t(dtypeSize(t->dtype)), &nbytes)) {
    return bad(file, what + ": byte size overflows");
  }
  const auto& off = v.contains("data_offsets") ? v["data_offsets"] : nlohmann::json();
  if (!off.is_array() || off.size() != 2 || !readCount(off[0], &t->begin) ||
      !readCount(off[1], &t->end)) {
    return bad(file, what + ": data_offsets must be [begin, end] with non-negative integers");
  }
  if (t->begin > t->end) {
    return bad(file, what + ": data_offsets begin " + std::to_string(t->begin) + " > end " +
                         std::to_string(t->end));
  }
  if (t->end > dataSize) {
    return bad(file, what + ": data_offsets [" + std::to_string(t->begin) + ", " +
                         std::to_string(t->end) + ") run past the data buffer (" +
                         std::to_string(dataSize) +
                         " bytes): the file is truncated or the header lies");
  }
  if (t->end - t->begin != nbytes) {
    return bad(file, what + ": data_offsets span " + std::to_string(t->end - t->begin) +
                         " bytes but dtype " + dtypeName(t->dtype) + " x shape " +
                         v["shape"].dump() + " needs " + std::to_string(nbytes));
  }
  t->name = name;
  return NetStatus::ok();
}

// Ranges must tile the data buffer exactly: no overlap, no hole, no tail.
NetStatus checkLayout(const std::string& file, const std::vector<TensorEntry>& ts,
                      uint64_t dataSize) {
  uint64_t pos = 0;
  const TensorEntry* prev = nullptr;
  for (const auto& t : ts) {
    if (t.begin < pos) {
      return bad(file, "tensor " + inQuotes(t.name) + " bytes [" + std::to_string(t.begin) + ", " +
                           std::to_string(t.end) + ") overlap tensor " + inQuotes(prev->name) +
                           " [" + std::to_string(prev->begin) + ", " + std::to_string(prev->end) +
                           ")");
    }
    if (t.begin > pos) {
      return bad(file, "unused bytes [" + std::to_string(pos) + ", " + std::to_string(t.begin) +
                           ") before tensor " + inQuotes(t.name) +
                           ": the header lies about offsets");
    }
    pos = t.end;
    prev = &t;
  }
  if (pos != dataSize) {
    return bad(file,
               std::to_string(dataSize - pos) +
                   " bytes after the last tensor: the header does not describe the whole file");
  }
  return NetStatus::ok();
}

}  // namespace

const char* dtypeName(DType d) {
  for (const auto& r : kDTypes) {
    if (r.dtype == d) return r.name;
  }
  return "?";
}

bool dtypeFromName(const std::string& name, DType* out) {
  for (const auto& r : kDTypes) {
    if (name == r.name) {
      *out = r.dtype;
      return true;
    }
  }
  return false;
}

size_t dtypeSize(DType d) {
  for (const auto& r : kDTypes) {
    if (r.dtype == d) return r.size;
  }
  return 0;
}

bool isFloatingDType(DType d) {
  return d == DType::F64 || d == DType::F32 || d == DType::F16 || d == DType::BF16;
}

int64_t TensorEntry::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

const TensorEntry* SafetensorsHeader::find(const std::string& name) const {
  for (const auto& t : tensors) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

NetStatus parseSafetensors(const uint8_t* bytes, size_t size, const std::string& file,
                           SafetensorsHeader* out) {
  *out = SafetensorsHeader();
  if (size < 8) {
    return bad(file, "file is " + std::to_string(size) +
                         " bytes: too short for a safetensors header length (8 bytes)");
  }
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[i];
  if (n > kMaxHeaderBytes) {
    return bad(file, "header length " + std::to_string(n) + " exceeds the limit of " +
                         std::to_string(kMaxHeaderBytes) + " bytes: not a safetensors file?");
  }
  if (n > size - 8) {
    return bad(file, "header length " + std::to_string(n) + " runs past the end of the file (" +
                         std::to_string(size) + " bytes): truncated or not a safetensors file");
  }
  if (n < 2 || bytes[8] != '{') return bad(file, "header does not start with '{'");
  std::set<std::string> seen;
  bool duplicate = false;
  std::string duplicateName;
  nlohmann::json doc;
  try {
    const char* begin = reinterpret_cast<const char*>(bytes + 8);
    doc = nlohmann::json::parse(
        begin, begin + n, [&](int depth, nlohmann::json::parse_event_t ev, nlohmann::json& parsed) {
          if (depth == 1 && ev == nlohmann::json::parse_event_t::key && parsed.is_string()) {
            if (!seen.insert(parsed.get<std::string>()).second && !duplicate) {
              duplicate = true;
              duplicateName = parsed.get<std::string>();
            }
          }
          return true;
        });
  } catch (const std::exception& e) {
    return bad(file, std::string("header is not valid JSON: ") + e.what());
  }
  if (duplicate) return bad(file, "tensor name " + inQuotes(duplicateName) + " appears twice");
  if (!doc.is_object()) return bad(file, "header is not a JSON object");
  const uint64_t dataSize = size - 8 - n;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() == "__metadata__") {
      if (!it.value().is_object()) return bad(file, "__metadata__ is not a JSON object");
      for (auto m = it.value().begin(); m != it.value().end(); ++m) {
        if (!m.value().is_string()) {
          return bad(file, "__metadata__ value for " + inQuotes(m.key()) + " is not a string");
        }
        out->metadata[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    TensorEntry t;
    if (NetStatus s = parseEntry(file, it.key(), it.value(), dataSize, &t); !s) return s;
    out->tensors.push_back(std::move(t));
  }
  std::sort(out->tensors.begin(), out->tensors.end(), [](const auto& a, const auto& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  if (NetStatus s = checkLayout(file, out->tensors, dataSize); !s) return s;
  out->dataOffset = 8 + n;
  return NetStatus::ok();
}

}  // namespace avatar::nets
