#include "media/image_header.h"

#include <cstring>

namespace avatar::detail {
namespace {

class Reader {
 public:
  Reader(const uint8_t* d, size_t n, bool bigEndian) : d_(d), n_(n), be_(bigEndian) {}
  bool has(size_t off, size_t len) const { return off <= n_ && len <= n_ - off; }
  uint32_t u16(size_t off) const {
    if (!has(off, 2)) return 0;
    return be_ ? (uint32_t(d_[off]) << 8) | d_[off + 1] : (uint32_t(d_[off + 1]) << 8) | d_[off];
  }
  uint32_t u32(size_t off) const {
    if (!has(off, 4)) return 0;
    return be_ ? (u16(off) << 16) | u16(off + 2) : (u16(off + 2) << 16) | u16(off);
  }

 private:
  const uint8_t* d_;
  size_t n_;
  bool be_;
};

uint32_t be32(const uint8_t* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}
uint32_t le32(const uint8_t* p) {
  return (uint32_t(p[3]) << 24) | (uint32_t(p[2]) << 16) | (uint32_t(p[1]) << 8) | p[0];
}
uint32_t le24(const uint8_t* p) {
  return (uint32_t(p[2]) << 16) | (uint32_t(p[1]) << 8) | p[0];
}

// Reads TIFF IFD0 tags: width (256), height (257), orientation (274).
void readTiffIfd0(const uint8_t* data, size_t size, int64_t* width, int64_t* height,
                  int* orientation) {
  if (size < 8) return;
  bool be;
  if (data[0] == 'I' && data[1] == 'I') {
    be = false;
  } else if (data[0] == 'M' && data[1] == 'M') {
    be = true;
  } else {
    return;
  }
  const Reader r(data, size, be);
  if (r.u16(2) != 42) return;
  const size_t ifd = r.u32(4);
  if (!r.has(ifd, 2)) return;
  const uint32_t count = r.u16(ifd);
  for (uint32_t i = 0; i < count && i < 1024; ++i) {
    const size_t e = ifd + 2 + size_t(i) * 12;
    if (!r.has(e, 12)) return;
    const uint32_t tag = r.u16(e);
    const uint32_t type = r.u16(e + 2);
    const uint32_t value = type == 3 ? r.u16(e + 8) : r.u32(e + 8);  // SHORT or LONG
    if (tag == 256 && width) *width = value;
    if (tag == 257 && height) *height = value;
    if (tag == 274 && orientation && value >= 1 && value <= 8) *orientation = int(value);
  }
}

ImageHeader parsePng(const uint8_t* d, size_t n) {
  ImageHeader h;
  h.format = "png";
  if (n < 33 || std::memcmp(d + 12, "IHDR", 4) != 0) return h;
  h.width = be32(d + 16);
  h.height = be32(d + 20);
  size_t off = 8;
  bool sawEnd = false;
  while (off + 12 <= n) {
    const uint32_t len = be32(d + off);
    const uint8_t* type = d + off + 4;
    if (size_t(len) > n - off - 12) break;
    if (std::memcmp(type, "eXIf", 4) == 0)
      h.orientation = exifOrientationFromTiff(d + off + 8, len);
    if (std::memcmp(type, "IEND", 4) == 0) sawEnd = true;
    off += 12 + size_t(len);
  }
  h.truncated = !sawEnd;
  return h;
}

ImageHeader parseJpeg(const uint8_t* d, size_t n) {
  ImageHeader h;
  h.format = "jpeg";
  size_t off = 2;
  while (off + 4 <= n) {
    if (d[off] != 0xFF) {
      ++off;
      continue;
    }
    const uint8_t marker = d[off + 1];
    if (marker == 0xFF) {
      ++off;
      continue;
    }
    if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
      off += 2;
      continue;
    }
    const size_t len = (size_t(d[off + 2]) << 8) | d[off + 3];
    if (len < 2) break;
    const uint8_t* seg = d + off + 4;
    const size_t segLen = len - 2;
    if (off + 2 + len > n) break;
    if (marker == 0xE1 && segLen > 6 && std::memcmp(seg, "Exif\0\0", 6) == 0) {
      h.orientation = exifOrientationFromTiff(seg + 6, segLen - 6);
    }
    const bool sof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (sof && segLen >= 5) {
      h.height = (int64_t(seg[1]) << 8) | seg[2];
      h.width = (int64_t(seg[3]) << 8) | seg[4];
    }
    if (marker == 0xDA) break;  // start of scan: entropy-coded data follows
    off += 2 + len;
  }
  // A complete JPEG ends with EOI (FF D9), possibly followed by padding.
  bool eoi = false;
  const size_t start = n > 4096 ? n - 4096 : 0;
  for (size_t i = n; i-- > start + 1;) {
    if (d[i - 1] == 0xFF && d[i] == 0xD9) {
      eoi = true;
      break;
    }
  }
  h.truncated = !eoi;
  return h;
}

ImageHeader parseWebp(const uint8_t* d, size_t n) {
  ImageHeader h;
  h.format = "webp";
  size_t off = 12;
  while (off + 8 <= n) {
    const uint8_t* type = d + off;
    const size_t len = le32(d + off + 4);
    const uint8_t* c = d + off + 8;
    const size_t avail = n - off - 8;
    if (std::memcmp(type, "VP8X", 4) == 0 && avail >= 10) {
      h.width = int64_t(le24(c + 4)) + 1;
      h.height = int64_t(le24(c + 7)) + 1;
    } else if (std::memcmp(type, "VP8 ", 4) == 0 && avail >= 10 && h.width == 0) {
      h.width = ((uint32_t(c[7]) << 8) | c[6]) & 0x3FFF;
      h.height = ((uint32_t(c[9]) << 8) | c[8]) & 0x3FFF;
    } else if (std::memcmp(type, "VP8L", 4) == 0 && avail >= 5 && h.width == 0) {
      const uint32_t bits = le32(c + 1);
      h.width = int64_t(bits & 0x3FFF) + 1;
      h.height = int64_t((bits >> 14) & 0x3FFF) + 1;
    } else if (std::memcmp(type, "EXIF", 4) == 0) {
      const size_t l = len < avail ? len : avail;
      // Some writers keep the "Exif\0\0" prefix inside the chunk.
      if (l > 6 && std::memcmp(c, "Exif\0\0", 6) == 0) {
        h.orientation = exifOrientationFromTiff(c + 6, l - 6);
      } else {
        h.orientation = exifOrientationFromTiff(c, l);
      }
    }
    if (len > n) break;
    off += 8 + len + (len & 1);
  }
  return h;
}

ImageHeader parseBmp(const uint8_t* d, size_t n) {
  ImageHeader h;
  h.format = "bmp";
  if (n < 26) return h;
  const uint32_t dib = le32(d + 14);
  if (dib == 12) {  // OS/2 BITMAPCOREHEADER: 16-bit sizes
    h.width = d[18] | (d[19] << 8);
    h.height = d[20] | (d[21] << 8);
  } else {
    const int32_t w = int32_t(le32(d + 18));  // a negative width is malformed: 0
    h.width = w < 0 ? 0 : w;
    const int32_t hh = int32_t(le32(d + 22));
    h.height = hh < 0 ? -int64_t(hh) : hh;
  }
  return h;
}

}  // namespace

bool stripPngColourProfile(const uint8_t* d, size_t n, std::vector<uint8_t>* out) {
  static const uint8_t kPng[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  out->clear();
  if (n < 8 || std::memcmp(d, kPng, 8) != 0) return false;
  out->reserve(n);
  out->insert(out->end(), d, d + 8);
  size_t off = 8;
  while (off + 12 <= n) {
    const uint32_t len = be32(d + off);
    if (size_t(len) > n - off - 12) break;
    const size_t chunk = 12 + size_t(len);
    if (std::memcmp(d + off + 4, "iCCP", 4) != 0) out->insert(out->end(), d + off, d + off + chunk);
    off += chunk;
  }
  out->insert(out->end(), d + off, d + n);  // whatever follows (truncated data stays truncated)
  return true;
}

int exifOrientationFromTiff(const uint8_t* data, size_t size) {
  int orientation = 1;
  readTiffIfd0(data, size, nullptr, nullptr, &orientation);
  return orientation;
}

ImageHeader parseImageHeader(const uint8_t* d, size_t n) {
  static const uint8_t kPng[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (n >= 8 && std::memcmp(d, kPng, 8) == 0) return parsePng(d, n);
  if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return parseJpeg(d, n);
  if (n >= 12 && std::memcmp(d, "RIFF", 4) == 0 && std::memcmp(d + 8, "WEBP", 4) == 0) {
    return parseWebp(d, n);
  }
  if (n >= 2 && d[0] == 'B' && d[1] == 'M') return parseBmp(d, n);
  if (n >= 4 && ((d[0] == 'I' && d[1] == 'I' && d[2] == 42 && d[3] == 0) ||
                 (d[0] == 'M' && d[1] == 'M' && d[2] == 0 && d[3] == 42))) {
    ImageHeader h;
    h.format = "tiff";
    readTiffIfd0(d, n, &h.width, &h.height, &h.orientation);
    return h;
  }
  return {};
}

}  // namespace avatar::detail
