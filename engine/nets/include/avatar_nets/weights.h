// The weights each net consumes: names, shapes and dtypes exactly as in the
// official checkpoints (see models/README.md), and random-weight files for
// tests and benchmarks. No torch types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "avatar_nets/net_status.h"
#include "avatar_nets/safetensors.h"

namespace avatar::nets {

enum class NetKind { Wav2Lip, Gfpgan, Diff2Lip, Fomm };

const char* netName(NetKind k);  // "wav2lip", "gfpgan", "diff2lip", "fomm"
bool netFromName(const std::string& name, NetKind* out);

struct WeightSpec {
  std::string name;  // official state_dict key
  std::vector<int64_t> shape;
  DType dtype = DType::F32;  // F32 for parameters and buffers, I64 for BN counters
};

// Every key the net consumes, in a stable order (official module order).
const std::vector<WeightSpec>& weightSpecs(NetKind k);

// Writes a safetensors file with plausible random weights for `k` (fan-in
// scaled convolutions, positive BN variances, unit-variance noise buffers),
// deterministic for a seed. __metadata__ records model and "random" source.
NetStatus writeRandomWeights(NetKind k, const std::string& path, uint64_t seed);

}  // namespace avatar::nets
