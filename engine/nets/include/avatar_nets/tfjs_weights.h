// Reader for TensorFlow.js weight files: a `*-weights_manifest.json` plus the
// binary shards it lists (face-api ships its nets this way). No torch types:
// values come back as plain float buffers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace avatar::nets {

struct TfjsWeight {
  std::string name;            // e.g. "conv0/filters"
  std::string dtype;           // dtype of the tensor: "float32" or "int32"
  std::vector<int64_t> shape;  // TF layout, e.g. conv [kh, kw, in, out]
  std::vector<float> values;   // dequantised (q * scale + min) or copied; int32 as float

  int64_t elementCount() const;
};

// Reads the manifest at `manifestPath` and every shard it lists (paths are
// relative to the manifest's folder). Shards are concatenated in manifest
// order and consumed weight by weight in manifest order. Quantised weights
// (uint8, uint16 with scale/min; float16) are dequantised to float.
// Returns false with *error naming the file and the reason when a file is
// missing, not valid JSON, shorter or longer than the manifest says, or uses
// an unknown dtype.
bool readTfjsWeights(const std::string& manifestPath, std::vector<TfjsWeight>* out,
                     std::string* error);

}  // namespace avatar::nets
