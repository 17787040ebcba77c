// Safetensors files: a strict header parser, a memory-mapped reader and a
// writer. No torch types; used by every net, the CLI, the tests and the fuzzer.
//
// Layout: u64 little-endian N, N bytes of UTF-8 JSON header, then the data
// buffer. Header: {"name": {"dtype", "shape", "data_offsets": [begin, end]},
// "__metadata__": {str: str}}; offsets are relative to the data buffer.
//
// The parser rejects, naming the tensor and the file: a header length beyond
// the file or kMaxHeaderBytes, JSON that is not an object, duplicate names,
// unknown dtypes, negative or overflowing shapes, offsets outside the data
// buffer, a byte range that does not match dtype x shape, overlapping ranges,
// holes between ranges, and data beyond the last range.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "avatar_nets/net_status.h"

namespace avatar::nets {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

const char* dtypeName(DType d);  // "F32", ...
bool dtypeFromName(const std::string& name, DType* out);
size_t dtypeSize(DType d);
bool isFloatingDType(DType d);

constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // the reference implementation's bound

struct TensorEntry {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // byte offsets into the data buffer
  uint64_t end = 0;
  int64_t numel() const;
};

struct SafetensorsHeader {
  std::vector<TensorEntry> tensors;  // sorted by begin offset
  std::map<std::string, std::string> metadata;
  std::map<std::string, size_t> index;  // name -> position in tensors
  uint64_t dataOffset = 0;              // where the data buffer starts in the file: 8 + N
  const TensorEntry* find(const std::string& name) const;
};

// Parses and validates the header of a whole file held in `bytes`
// (`size` bytes: the full file). `fileName` only labels errors.
NetStatus parseSafetensors(const uint8_t* bytes, size_t size, const std::string& fileName,
                           SafetensorsHeader* out);

// A read-only, memory-mapped safetensors file. Thread-safe for reads.
class SafetensorsFile {
 public:
  static NetStatus open(const std::string& path, std::unique_ptr<SafetensorsFile>* out);
  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::string& path() const { return path_; }
  const SafetensorsHeader& header() const { return header_; }
  // Raw little-endian bytes of a tensor (end - begin bytes; may be unaligned).
  const uint8_t* data(const TensorEntry& t) const { return base_ + header_.dataOffset + t.begin; }
  // Reads a floating tensor (F32/F16/BF16/F64) as float32; fails naming the
  // tensor and the file when absent, not floating, or holding NaN/Inf.
  NetStatus readFloat(const std::string& name, std::vector<int64_t>* shape,
                      std::vector<float>* values) const;

 private:
  SafetensorsFile() = default;
  std::string path_;
  const uint8_t* base_ = nullptr;
  size_t size_ = 0;
  SafetensorsHeader header_;
};

// One tensor to write: `bytes` holds numel x dtypeSize little-endian bytes.
struct TensorToWrite {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  const void* bytes = nullptr;
};

// Writes atomically (<path>.part, renamed). Names must be unique.
NetStatus writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                           const std::map<std::string, std::string>& metadata = {});

// Half-precision helpers (IEEE binary16 and bfloat16 <-> float).
float halfToFloat(uint16_t h);
uint16_t floatToHalf(float f);
float bfloat16ToFloat(uint16_t b);

}  // namespace avatar::nets
