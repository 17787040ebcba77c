// libFuzzer target for the safetensors header parser. Besides "no crash, no
// hang, no sanitizer report", it checks what an accepted header promises:
// every tensor lies inside the data buffer, ranges tile it in order, and the
// byte size of each matches dtype x shape.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "avatar_nets/safetensors.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  avatar::nets::SafetensorsHeader h;
  avatar::nets::NetStatus s = avatar::nets::parseSafetensors(data, size, "fuzz-input", &h);
  if (!s) {
    require(!s.detail().empty());
    return 0;
  }
  require(h.dataOffset >= 8 && h.dataOffset <= size);
  const uint64_t dataSize = size - h.dataOffset;
  uint64_t pos = 0;
  for (const auto& t : h.tensors) {
    require(t.begin == pos && t.begin <= t.end && t.end <= dataSize);
    uint64_t n = avatar::nets::dtypeSize(t.dtype);
    for (int64_t d : t.shape) n *= uint64_t(d);
    require(n == t.end - t.begin);
    pos = t.end;
  }
  require(pos == dataSize);
  return 0;
}
