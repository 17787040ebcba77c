// Rhubarb TSV and Praat TextGrid (long and short text formats) parsing.
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "audio/phone_visemes.h"
#include "audio/viseme_formats.h"

namespace avatar::detail {
namespace {

Status fail(const std::string& path, const std::string& detail) {
  return Status::error(ErrorCode::UnsupportedMedia, path, detail);
}

bool parseNumber(const std::string& s, double* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(*out);
}

std::string trim(const std::string& s) {
  size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

// TextGrid values in file order: strings, numbers and <flags>, with labels
// ("xmin =", "item [1]:", "intervals: size =") skipped, so the long and the
// short text formats read the same.
struct Token {
  enum Kind { String, Number, Flag } kind;
  std::string text;
  double number = 0;
  int line = 0;
};

Status tokenizeTextGrid(const std::string& text, const std::string& path,
                        std::vector<Token>* tokens) {
  int line = 1;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (c == '"') {
      Token t{Token::String, "", 0, line};
      ++i;
      for (;;) {
        if (i >= text.size())
          return fail(path, "line " + std::to_string(t.line) + ": unterminated string");
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {  // "" escapes a quote
            t.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        t.text += text[i++];
      }
      tokens->push_back(t);
    } else if (c == '!') {  // comment to the end of the line
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '[') {  // item [1]: an index, not a value
      while (i < text.size() && text[i] != ']' && text[i] != '\n') ++i;
      ++i;
    } else if (c == '<') {
      const size_t end = text.find('>', i);
      if (end == std::string::npos)
        return fail(path, "line " + std::to_string(line) + ": unterminated <flag>");
      tokens->push_back({Token::Flag, text.substr(i + 1, end - i - 1), 0, line});
      i = end + 1;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.') {
      size_t j = i;
      while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
      Token t{Token::Number, text.substr(i, j - i), 0, line};
      if (!parseNumber(t.text, &t.number)) {
        return fail(path, "line " + std::to_string(line) + ": '" + t.text + "' is not a number");
      }
      tokens->push_back(t);
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {  // a label word
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) &&
             text[i] != '=' && text[i] != '[') {
        ++i;
      }
    } else {
      ++i;  // '=', ':', whitespace
    }
  }
  return Status::ok();
}

class TokenReader {
 public:
  TokenReader(const std::vector<Token>& t, const std::string& path) : t_(t), path_(path) {}
  Status number(const char* what, double* out) {
    if (pos_ >= t_.size())
      return fail(path_, std::string("unexpected end of file, expected ") + what);
    const Token& t = t_[pos_++];
    if (t.kind != Token::Number)
      return fail(path_, where(t) + "expected " + what + ", got '" + t.text + "'");
    *out = t.number;
    return Status::ok();
  }
  Status string(const char* what, std::string* out) {
    if (pos_ >= t_.size())
      return fail(path_, std::string("unexpected end of file, expected ") + what);
    const Token& t = t_[pos_++];
    if (t.kind != Token::String) return fail(path_, where(t) + "expected " + what + " in quotes");
    *out = t.text;
    return Status::ok();
  }
  bool nextIsFlag() const { return pos_ < t_.size() && t_[pos_].kind == Token::Flag; }
  void skip() { ++pos_; }
  int line() const { return pos_ < t_.size() ? t_[pos_].line : (t_.empty() ? 0 : t_.back().line); }
  static std::string where(const Token& t) { return "line " + std::to_string(t.line) + ": "; }

 private:
  const std::vector<Token>& t_;
  const std::string& path_;
  size_t pos_ = 0;
};

bool isPhoneTier(const std::string& name) {
  std::string low;
  for (char c : name) low += char(std::tolower(static_cast<unsigned char>(c)));
  return low.find("phone") != std::string::npos;
}

}  // namespace

Status parseRhubarbTsv(const std::string& text, const std::string& path, ParsedTrack* out) {
  std::istringstream in(text);
  std::string raw;
  int lineNo = 0;
  std::vector<std::pair<double, Viseme>> rows;
  std::vector<int> lines;
  while (std::getline(in, raw)) {
    ++lineNo;
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const size_t split = line.find_first_of("\t ");
    const std::string where = "line " + std::to_string(lineNo) + ": ";
    if (split == std::string::npos) return fail(path, where + "expected <time><TAB><shape>");
    const std::string timeText = line.substr(0, split), shape = trim(line.substr(split + 1));
    double t;
    if (!parseNumber(timeText, &t))
      return fail(path, where + "'" + timeText + "' is not a time in seconds");
    Viseme v;
    if (shape.size() != 1 || !visemeFromLetter(shape[0], &v)) {
      return fail(path, where + "unknown shape '" + shape + "' (expected A-H or X)");
    }
    if (t < 0) return fail(path, where + "negative time " + timeText);
    if (!rows.empty() && t < rows.back().first) {
      return fail(path, where + "time " + timeText + " is before the previous line's");
    }
    rows.push_back({t, v});
    lines.push_back(lineNo);
  }
  // Each shape lasts until the next line; the last line marks the end (and
  // its shape lasts until the audio ends when that is later).
  for (size_t i = 0; i < rows.size(); ++i) {
    RawCue cue;
    cue.startSec = rows[i].first;
    cue.endSec = i + 1 < rows.size() ? rows[i + 1].first : rows[i].first;
    cue.shapes = {rows[i].second};
    cue.where = "line " + std::to_string(lines[i]);
    if (i + 1 == rows.size()) {
      out->endSec = rows[i].first;
      cue.untilEnd = true;
    }
    out->cues.push_back(cue);
  }
  return Status::ok();
}

Status parseTextGrid(const std::string& text, const std::string& path, ParsedTrack* out) {
  std::vector<Token> tokens;
  if (Status s = tokenizeTextGrid(text, path, &tokens); !s) return s;
  TokenReader r(tokens, path);
  std::string fileType, objectClass;
  if (Status s = r.string("File type", &fileType); !s) return s;
  if (Status s = r.string("Object class", &objectClass); !s) return s;
  if (fileType != "ooTextFile" || objectClass != "TextGrid") {
    return fail(path, "not a Praat TextGrid text file (File type \"" + fileType +
                          "\", Object class \"" + objectClass + "\")");
  }
  double xmin, xmax, tierCount;
  if (Status s = r.number("xmin", &xmin); !s) return s;
  if (Status s = r.number("xmax", &xmax); !s) return s;
  if (r.nextIsFlag()) r.skip();  // <exists>
  if (Status s = r.number("tier count", &tierCount); !s) return s;
  // Counts can never exceed the values left in the file; checking keeps a
  // corrupt count from driving a huge loop or an overflowing cast.
  const double maxCount = double(tokens.size());
  if (tierCount < 0 || tierCount > maxCount) {
    return fail(path, "implausible tier count " + std::to_string(tierCount));
  }
  std::string names;
  for (int tier = 0; tier < int(tierCount); ++tier) {
    std::string cls, name;
    double tmin, tmax, count;
    if (Status s = r.string("tier class", &cls); !s) return s;
    if (Status s = r.string("tier name", &name); !s) return s;
    if (Status s = r.number("tier xmin", &tmin); !s) return s;
    if (Status s = r.number("tier xmax", &tmax); !s) return s;
    if (Status s = r.number("interval count", &count); !s) return s;
    if (count < 0 || count > maxCount) {
      return fail(path, "line " + std::to_string(r.line()) +
                            ": implausible interval count in tier \"" + name + "\"");
    }
    names += (names.empty() ? "\"" : ", \"") + name + "\"";
    const bool intervals = cls == "IntervalTier";
    if (!intervals && cls != "TextTier") {
      return fail(path,
                  "line " + std::to_string(r.line()) + ": unknown tier class \"" + cls + "\"");
    }
    const bool wanted = intervals && isPhoneTier(name) && out->cues.empty();
    for (int i = 0; i < int(count); ++i) {
      const int line = r.line();
      double a, b = 0;
      std::string label;
      if (Status s = r.number("interval xmin", &a); !s) return s;
      if (intervals) {
        if (Status s = r.number("interval xmax", &b); !s) return s;
      }
      if (Status s = r.string("label", &label); !s) return s;
      if (!wanted) continue;
      RawCue cue;
      cue.startSec = a;
      cue.endSec = b;
      cue.where = "line " + std::to_string(line) + " (tier \"" + name + "\", interval " +
                  std::to_string(i + 1) + ")";
      const std::string phone = trim(label);
      if (!visemesForPhone(phone, &cue.shapes)) {
        cue.shapes = {Viseme::B};  // some consonant of another phone set
        out->unknownPhones.push_back(phone + " (" + cue.where + ")");
      }
      out->cues.push_back(cue);
    }
    if (wanted) {
      out->endSec = tmax;
      if (out->cues.empty()) return fail(path, "tier \"" + name + "\" has no intervals");
    }
  }
  if (out->cues.empty()) {
    return fail(path, "no phone tier (an IntervalTier named \"phones\"); tiers: " +
                          (names.empty() ? std::string("none") : names));
  }
  return Status::ok();
}

VisemeFormat detectVisemeFormat(const std::string& text) {
  size_t i = 0;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // UTF-8 BOM
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i < text.size() && (text[i] == '{' || text[i] == '[')) {
    return text.find("\"mouthCues\"") != std::string::npos ? VisemeFormat::RhubarbJson
                                                           : VisemeFormat::SeedJson;
  }
  if (text.compare(i, 9, "File type") == 0) return VisemeFormat::TextGrid;
  return VisemeFormat::RhubarbTsv;
}

}  // namespace avatar::detail
