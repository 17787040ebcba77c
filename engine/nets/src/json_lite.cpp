#include "json_lite.h"

#include <cmath>
#include <cstdlib>
#include <unordered_set>

namespace avatar::nets::detail {
namespace {

class Parser {
 public:
  Parser(const char* p, size_t n) : p_(p), n_(n) {}

  bool parseDocument(JsonValue* out) {
    skipSpace();
    if (!parseValue(out, 0)) return false;
    skipSpace();
    if (i_ != n_) return fail("unexpected text after the JSON value");
    return true;
  }
  const std::string& error() const { return error_; }

 private:
  bool fail(const std::string& why) {
    if (error_.empty()) error_ = "at byte " + std::to_string(i_) + ": " + why;
    return false;
  }
  void skipSpace() {
    while (i_ < n_ && (p_[i_] == ' ' || p_[i_] == '\t' || p_[i_] == '\n' || p_[i_] == '\r')) ++i_;
  }
  bool literal(const char* word) {
    size_t k = 0;
    for (; word[k]; ++k) {
      if (i_ + k >= n_ || p_[i_ + k] != word[k]) return fail("invalid literal");
    }
    i_ += k;
    return true;
  }

  bool parseValue(JsonValue* v, int depth) {
    if (depth > kJsonMaxDepth) return fail("nested more than 64 levels deep");
    if (i_ >= n_) return fail("unexpected end of text");
    const char c = p_[i_];
    if (c == '{') return parseObject(v, depth);
    if (c == '[') return parseArray(v, depth);
    if (c == '"') {
      v->type = JsonValue::Type::String;
      return parseString(&v->string);
    }
    if (c == 't' || c == 'f') {
      v->type = JsonValue::Type::Bool;
      v->boolean = c == 't';
      return literal(c == 't' ? "true" : "false");
    }
    if (c == 'n') {
      v->type = JsonValue::Type::Null;
      return literal("null");
    }
    return parseNumber(v);
  }

  bool parseObject(JsonValue* v, int depth) {
    v->type = JsonValue::Type::Object;
    std::unordered_set<std::string> seen;
    ++i_;
    skipSpace();
    if (i_ < n_ && p_[i_] == '}') {
      ++i_;
      return true;
    }
    while (true) {
      skipSpace();
      if (i_ >= n_ || p_[i_] != '"') return fail("expected a member name");
      std::string key;
      if (!parseString(&key)) return false;
      if (!seen.insert(key).second) return fail("member name \"" + key + "\" appears twice");
      skipSpace();
      if (i_ >= n_ || p_[i_] != ':') return fail("expected ':'");
      ++i_;
      skipSpace();
      JsonValue member;
      if (!parseValue(&member, depth + 1)) return false;
      v->members.push_back({std::move(key), std::move(member)});
      skipSpace();
      if (i_ < n_ && p_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < n_ && p_[i_] == '}') {
        ++i_;
        return true;
      }
      return fail("expected ',' or '}'");
    }
  }

  bool parseArray(JsonValue* v, int depth) {
    v->type = JsonValue::Type::Array;
    ++i_;
    skipSpace();
    if (i_ < n_ && p_[i_] == ']') {
      ++i_;
      return true;
    }
    while (true) {
      skipSpace();
      JsonValue item;
      if (!parseValue(&item, depth + 1)) return false;
      v->items.push_back(std::move(item));
      skipSpace();
      if (i_ < n_ && p_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < n_ && p_[i_] == ']') {
        ++i_;
        return true;
      }
      return fail("expected ',' or ']'");
    }
  }

  static void appendUtf8(std::string* s, uint32_t cp) {
    if (cp < 0x80) {
      s->push_back(char(cp));
    } else if (cp < 0x800) {
      s->push_back(char(0xC0 | (cp >> 6)));
      s->push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      s->push_back(char(0xE0 | (cp >> 12)));
      s->push_back(char(0x80 | ((cp >> 6) & 0x3F)));
      s->push_back(char(0x80 | (cp & 0x3F)));
    } else {
      s->push_back(char(0xF0 | (cp >> 18)));
      s->push_back(char(0x80 | ((cp >> 12) & 0x3F)));
      s->push_back(char(0x80 | ((cp >> 6) & 0x3F)));
      s->push_back(char(0x80 | (cp & 0x3F)));
    }
  }

  bool hex4(uint32_t* out) {
    if (n_ - i_ < 4) return fail("truncated \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = p_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= uint32_t(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= uint32_t(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= uint32_t(c - 'A' + 10);
      } else {
        return fail("bad hex digit in \\u escape");
      }
    }
    *out = v;
    return true;
  }

  // One UTF-8 sequence starting at i_, validated (no overlongs, no surrogates).
  bool copyUtf8(std::string* s) {
    const auto b0 = uint8_t(p_[i_]);
    int len = b0 < 0x80           ? 1
              : (b0 >> 5) == 0x6  ? 2
              : (b0 >> 4) == 0xE  ? 3
              : (b0 >> 3) == 0x1E ? 4
                                  : 0;
    if (len == 0 || n_ - i_ < size_t(len)) return fail("invalid UTF-8");
    uint32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
    for (int k = 1; k < len; ++k) {
      const auto b = uint8_t(p_[i_ + size_t(k)]);
      if ((b & 0xC0) != 0x80) return fail("invalid UTF-8");
      cp = (cp << 6) | (b & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return fail("invalid UTF-8");
    }
    s->append(p_ + i_, size_t(len));
    i_ += size_t(len);
    return true;
  }

  bool parseString(std::string* s) {
    ++i_;  // opening quote
    while (true) {
      if (i_ >= n_) return fail("unterminated string");
      const char c = p_[i_];
      if (c == '"') {
        ++i_;
        return true;
      }
      if (uint8_t(c) < 0x20) return fail("control character in a string");
      if (c != '\\') {
        if (!copyUtf8(s)) return false;
        continue;
      }
      if (++i_ >= n_) return fail("unterminated escape");
      const char e = p_[i_++];
      switch (e) {
        case '"':
          s->push_back('"');
          break;
        case '\\':
          s->push_back('\\');
          break;
        case '/':
          s->push_back('/');
          break;
        case 'b':
          s->push_back('\b');
          break;
        case 'f':
          s->push_back('\f');
          break;
        case 'n':
          s->push_back('\n');
          break;
        case 'r':
          s->push_back('\r');
          break;
        case 't':
          s->push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(&cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo = 0;
            if (n_ - i_ < 2 || p_[i_] != '\\' || p_[i_ + 1] != 'u') return fail("lone surrogate");
            i_ += 2;
            if (!hex4(&lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return fail("bad surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail("lone surrogate");
          }
          appendUtf8(s, cp);
          break;
        }
        default:
          return fail("unknown escape");
      }
    }
  }

  bool parseNumber(JsonValue* v) {
    const size_t start = i_;
    v->type = JsonValue::Type::Number;
    v->negative = i_ < n_ && p_[i_] == '-';
    if (v->negative) ++i_;
    if (i_ >= n_ || p_[i_] < '0' || p_[i_] > '9') return fail("invalid value");
    if (p_[i_] == '0' && i_ + 1 < n_ && p_[i_ + 1] >= '0' && p_[i_ + 1] <= '9') {
      return fail("leading zero in a number");
    }
    bool fits = true;
    uint64_t m = 0;
    while (i_ < n_ && p_[i_] >= '0' && p_[i_] <= '9') {
      const uint64_t d = uint64_t(p_[i_++] - '0');
      if (m > (UINT64_MAX - d) / 10) fits = false;
      m = m * 10 + d;
    }
    bool fraction = false;
    if (i_ < n_ && p_[i_] == '.') {
      fraction = true;
      ++i_;
      if (i_ >= n_ || p_[i_] < '0' || p_[i_] > '9') return fail("digit expected after '.'");
      while (i_ < n_ && p_[i_] >= '0' && p_[i_] <= '9') ++i_;
    }
    if (i_ < n_ && (p_[i_] == 'e' || p_[i_] == 'E')) {
      fraction = true;
      ++i_;
      if (i_ < n_ && (p_[i_] == '+' || p_[i_] == '-')) ++i_;
      if (i_ >= n_ || p_[i_] < '0' || p_[i_] > '9') return fail("digit expected in exponent");
      while (i_ < n_ && p_[i_] >= '0' && p_[i_] <= '9') ++i_;
    }
    v->integer = fits && !fraction && (!v->negative || m <= uint64_t(INT64_MAX) + 1);
    v->magnitude = m;
    v->number = std::strtod(std::string(p_ + start, i_ - start).c_str(), nullptr);
    return true;
  }

  const char* p_;
  size_t n_;
  size_t i_ = 0;
  std::string error_;
};

}  // namespace

const JsonValue* JsonValue::find(const std::string& key) const {
  for (const auto& m : members) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

std::string JsonValue::dump() const {
  switch (type) {
    case Type::Null:
      return "null";
    case Type::Bool:
      return boolean ? "true" : "false";
    case Type::Number:
      if (integer) {
        std::string s = negative && magnitude ? "-" : "";
        s += std::to_string(magnitude);
        return s;
      }
      return std::to_string(number);
    case Type::String:
      return jsonQuote(string);
    case Type::Array: {
      std::string s = "[";
      for (size_t k = 0; k < items.size(); ++k) {
        if (k) s += ',';
        s += items[k].dump();
      }
      s += ']';
      return s;
    }
    case Type::Object: {
      std::string s = "{";
      for (size_t k = 0; k < members.size(); ++k) {
        if (k) s += ',';
        s += jsonQuote(members[k].first);
        s += ':';
        s += members[k].second.dump();
      }
      s += '}';
      return s;
    }
  }
  return "null";
}

bool parseJson(const char* text, size_t size, JsonValue* out, std::string* error) {
  Parser p(text, size);
  JsonValue v;
  if (!p.parseDocument(&v)) {
    if (error) *error = p.error();
    return false;
  }
  *out = std::move(v);
  return true;
}

std::string jsonQuote(const std::string& s) {
  static const char* kHex = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (uint8_t(c) < 0x20) {
          out += "\\u00";
          out += kHex[uint8_t(c) >> 4];
          out += kHex[uint8_t(c) & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace avatar::nets::detail
