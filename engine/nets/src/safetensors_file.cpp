// Memory-mapped safetensors reader and the writer.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

#include "avatar_nets/safetensors.h"
#include "json_strict.h"

namespace avatar::nets {

float halfToFloat(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1Fu;
  uint32_t mant = h & 0x3FFu;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      exp = 127 - 15 + 1;
      while ((mant & 0x400u) == 0) {
        mant <<= 1;
        --exp;
      }
      bits = sign | (exp << 23) | ((mant & 0x3FFu) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7F800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t floatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint16_t sign = uint16_t((x >> 16) & 0x8000u);
  const uint32_t absx = x & 0x7FFFFFFFu;
  if (absx >= 0x7F800000u) return sign | (absx > 0x7F800000u ? 0x7E00u : 0x7C00u);
  if (absx >= 0x477FF000u) return sign | 0x7C00u;  // overflows to inf after rounding
  if (absx < 0x38800000u) {                        // subnormal or zero in half
    const float a = std::fabs(f) * 16777216.0f;    // 2^24: units of the smallest subnormal
    return sign | uint16_t(std::nearbyint(a));
  }
  const uint32_t mant = absx & 0x7FFFFFu;
  uint32_t h = ((absx >> 23) - 112) << 10 | (mant >> 13);
  const uint32_t rest = mant & 0x1FFFu;  // round half to even
  if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;
  return sign | uint16_t(h);
}

float bfloat16ToFloat(uint16_t b) {
  const uint32_t bits = uint32_t(b) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

NetStatus SafetensorsFile::open(const std::string& path, std::unique_ptr<SafetensorsFile>* out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return NetStatus::error(NetError::FileNotFound, path,
                            std::string("cannot open: ") + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return NetStatus::error(NetError::FileNotFound, path, "not a regular file");
  }
  std::unique_ptr<SafetensorsFile> f(new SafetensorsFile());
  f->path_ = path;
  f->size_ = size_t(st.st_size);
  if (f->size_ > 0) {
    void* p = ::mmap(nullptr, f->size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      ::close(fd);
      return NetStatus::error(NetError::FileNotFound, path,
                              std::string("cannot map: ") + std::strerror(errno));
    }
    f->base_ = static_cast<const uint8_t*>(p);
  }
  ::close(fd);
  if (NetStatus s = parseSafetensors(f->base_, f->size_, path, &f->header_); !s) return s;
  *out = std::move(f);
  return NetStatus::ok();
}

SafetensorsFile::~SafetensorsFile() {
  if (base_) ::munmap(const_cast<uint8_t*>(base_), size_);
}

NetStatus SafetensorsFile::readFloat(const std::string& name, std::vector<int64_t>* shape,
                                     std::vector<float>* values) const {
  const TensorEntry* t = header_.find(name);
  if (!t) return NetStatus::error(NetError::WeightsMismatch, path_, "no tensor '" + name + "'");
  if (!isFloatingDType(t->dtype)) {
    return NetStatus::error(NetError::WeightsMismatch, path_,
                            "tensor '" + name + "' has dtype " + dtypeName(t->dtype) +
                                ", expected a floating type (F32, F16, BF16, F64)");
  }
  const size_t n = size_t(t->numel());
  values->resize(n);
  const uint8_t* p = data(*t);
  for (size_t i = 0; i < n; ++i) {
    float v = 0;
    switch (t->dtype) {
      case DType::F32:
        std::memcpy(&v, p + 4 * i, 4);
        break;
      case DType::F64: {
        double d;
        std::memcpy(&d, p + 8 * i, 8);
        v = float(d);
        break;
      }
      case DType::F16: {
        uint16_t h;
        std::memcpy(&h, p + 2 * i, 2);
        v = halfToFloat(h);
        break;
      }
      default: {
        uint16_t b;
        std::memcpy(&b, p + 2 * i, 2);
        v = bfloat16ToFloat(b);
      }
    }
    if (!std::isfinite(v)) {
      return NetStatus::error(
          NetError::InvalidWeights, path_,
          "tensor '" + name + "' holds NaN or infinite values (element " + std::to_string(i) + ")");
    }
    (*values)[i] = v;
  }
  *shape = t->shape;
  return NetStatus::ok();
}

NetStatus writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                           const std::map<std::string, std::string>& metadata) {
  const auto jsonQuote = [](const std::string& s) { return detail::dumpJson(s); };
  std::string text = "{";
  if (!metadata.empty()) {
    text += "\"__metadata__\":{";
    bool first = true;
    for (const auto& [k, v] : metadata) {
      if (!first) text += ',';
      text += jsonQuote(k);
      text += ':';
      text += jsonQuote(v);
      first = false;
    }
    text += "}";
  }
  std::set<std::string> names;
  uint64_t offset = 0;
  for (const auto& t : tensors) {
    if (t.name.empty() || t.name == "__metadata__" || !names.insert(t.name).second) {
      return NetStatus::error(NetError::InvalidArgument, path,
                              "tensor name '" + t.name + "' is empty, reserved or repeated");
    }
    uint64_t numel = 1;
    std::string shape = "[";
    for (size_t i = 0; i < t.shape.size(); ++i) {
      if (t.shape[i] < 0) {
        return NetStatus::error(NetError::InvalidArgument, path, t.name + ": negative size");
      }
      numel *= uint64_t(t.shape[i]);
      if (i) shape += ',';
      shape += std::to_string(t.shape[i]);
    }
    const uint64_t nbytes = numel * dtypeSize(t.dtype);
    if (text.size() > 1) text += ',';
    text += jsonQuote(t.name);
    text += ":{\"dtype\":\"";
    text += dtypeName(t.dtype);
    text += "\",\"shape\":";
    text += shape;
    text += "],\"data_offsets\":[";
    text += std::to_string(offset);
    text += ',';
    text += std::to_string(offset + nbytes);
    text += "]}";
    offset += nbytes;
  }
  text += "}";
  text.append((8 - text.size() % 8) % 8, ' ');  // keeps the data buffer 8-byte aligned
  const std::string part = path + ".part";
  FILE* f = std::fopen(part.c_str(), "wb");
  if (!f) {
    return NetStatus::error(NetError::InvalidArgument, path,
                            std::string("cannot write: ") + std::strerror(errno));
  }
  uint8_t len[8];
  for (int i = 0; i < 8; ++i) len[i] = uint8_t((uint64_t(text.size()) >> (8 * i)) & 0xFF);
  bool ok =
      std::fwrite(len, 1, 8, f) == 8 && std::fwrite(text.data(), 1, text.size(), f) == text.size();
  for (const auto& t : tensors) {
    uint64_t numel = 1;
    for (int64_t d : t.shape) numel *= uint64_t(d);
    const size_t nbytes = size_t(numel * dtypeSize(t.dtype));
    if (ok && nbytes > 0) ok = std::fwrite(t.bytes, 1, nbytes, f) == nbytes;
  }
  ok = (std::fclose(f) == 0) && ok;
  std::error_code ec;
  if (ok) std::filesystem::rename(part, path, ec);
  if (!ok || ec) {
    std::filesystem::remove(part, ec);
    return NetStatus::error(NetError::InvalidArgument, path, "writing failed (disk full?)");
  }
  return NetStatus::ok();
}

}  // namespace avatar::nets
