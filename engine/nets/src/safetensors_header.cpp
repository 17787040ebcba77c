// The safetensors header parser. No torch (JSON by nlohmann-json, header
// only), so the fuzz target compiles this file alone.
#include <algorithm>
#include <cstring>

#include "avatar_nets/safetensors.h"
#include "json_strict.h"

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

using detail::dumpJson;
using detail::Json;

// Reads a non-negative JSON integer; false for floats, negatives, others.
bool readCount(const Json& v, uint64_t* out) {
  if (v.is_number_unsigned()) {
    *out = v.get<uint64_t>();
    return true;
  }
  if (v.is_number_integer() && v.get<int64_t>() == 0) {  // "-0"
    *out = 0;
    return true;
  }
  return false;
}

const Json* member(const Json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

NetStatus parseEntry(const std::string& file, const std::string& name, const Json& v,
                     uint64_t dataSize, TensorEntry* t) {
  const std::string what = "tensor " + inQuotes(name);
  if (name.empty()) return bad(file, "a tensor has an empty name");
  if (!v.is_object()) return bad(file, what + ": entry is not a JSON object");
  for (const auto& [key, value] : v.items()) {
    if (key != "dtype" && key != "shape" && key != "data_offsets") {
      return bad(file, what + ": unknown field " + inQuotes(key));
    }
  }
  const Json* dtype = member(v, "dtype");
  if (!dtype || !dtype->is_string()) return bad(file, what + ": missing or non-string dtype");
  const std::string& dtypeText = dtype->get_ref<const std::string&>();
  if (!dtypeFromName(dtypeText, &t->dtype)) {
    return bad(file, what + ": unknown dtype " + inQuotes(dtypeText));
  }
  const Json* shape = member(v, "shape");
  if (!shape || !shape->is_array()) return bad(file, what + ": missing or non-array shape");
  if (shape->size() > 16) return bad(file, what + ": more than 16 dimensions");
  uint64_t numel = 1;
  for (const auto& d : *shape) {
    uint64_t n = 0;
    if (!readCount(d, &n) || n > uint64_t(INT64_MAX)) {
      return bad(file,
                 what + ": shape " + dumpJson(*shape) + " has a negative or non-integer size");
    }
    if (__builtin_mul_overflow(numel, n, &numel)) {
      return bad(file, what + ": shape " + dumpJson(*shape) + " overflows");
    }
    t->shape.push_back(int64_t(n));
  }
  uint64_t nbytes = 0;
  if (__builtin_mul_overflow(numel, uint64_t(dtypeSize(t->dtype)), &nbytes)) {
    return bad(file, what + ": byte size overflows");
  }
  const Json* off = member(v, "data_offsets");
  if (!off || !off->is_array() || off->size() != 2 || !readCount((*off)[0], &t->begin) ||
      !readCount((*off)[1], &t->end)) {
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
                         dumpJson(*shape) + " needs " + std::to_string(nbytes));
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
  auto it = index.find(name);
  return it == index.end() ? nullptr : &tensors[it->second];
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
  Json doc;
  std::string jsonError;
  if (!detail::parseJsonStrict(reinterpret_cast<const char*>(bytes + 8), size_t(n), &doc,
                               &jsonError)) {
    return bad(file, "header is not valid JSON: " + jsonError);
  }
  if (!doc.is_object()) return bad(file, "header is not a JSON object");
  const uint64_t dataSize = size - 8 - n;
  for (const auto& [key, value] : doc.items()) {
    if (key == "__metadata__") {
      if (!value.is_object()) return bad(file, "__metadata__ is not a JSON object");
      for (const auto& [mk, mv] : value.items()) {
        if (!mv.is_string()) {
          return bad(file, "__metadata__ value for " + inQuotes(mk) + " is not a string");
        }
        out->metadata[mk] = mv.get<std::string>();
      }
      continue;
    }
    TensorEntry t;
    if (NetStatus s = parseEntry(file, key, value, dataSize, &t); !s) return s;
    out->tensors.push_back(std::move(t));
  }
  std::sort(out->tensors.begin(), out->tensors.end(), [](const auto& a, const auto& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  if (NetStatus s = checkLayout(file, out->tensors, dataSize); !s) return s;
  for (size_t i = 0; i < out->tensors.size(); ++i) out->index[out->tensors[i].name] = i;
  out->dataOffset = 8 + n;
  return NetStatus::ok();
}

}  // namespace avatar::nets
