// Rhubarb JSON and the seed's viseme_json: parsing and writing.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <nlohmann/json.hpp>

#include "audio/phone_visemes.h"
#include "audio/viseme_formats.h"
#include "avatar/utf8.h"

namespace avatar::detail {
namespace {

using json = nlohmann::json;

Status fail(const std::string& path, const std::string& detail) {
  return Status::error(ErrorCode::UnsupportedMedia, path, detail);
}

Status parseJson(const std::string& text, const std::string& path, json* out) {
  try {
    *out = json::parse(text);
  } catch (const json::parse_error& e) {
    // Turn the byte offset into line:column.
    size_t line = 1, column = 1;
    for (size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return fail(path, "malformed JSON at line " + std::to_string(line) + ", column " +
                          std::to_string(column));
  } catch (const json::exception& e) {  // e.g. out_of_range.406: a number like 4e444
    return fail(path, std::string("malformed JSON: ") + (std::strstr(e.what(), "overflow")
                                                             ? "a number is out of range"
                                                             : "cannot be read"));
  }
  return Status::ok();
}

// A number field in seconds; `scale` converts other units.
bool readTime(const json& obj, const char* key, double scale, double* out) {
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_number()) return false;
  *out = it->get<double>() * scale;
  return true;
}

bool readFirstTime(const json& obj, std::initializer_list<const char*> secKeys,
                   std::initializer_list<const char*> msKeys, double* out) {
  for (const char* k : secKeys) {
    if (readTime(obj, k, 1.0, out)) return true;
  }
  for (const char* k : msKeys) {
    if (readTime(obj, k, 0.001, out)) return true;
  }
  return false;
}

}  // namespace

Status parseRhubarbJson(const std::string& text, const std::string& path, ParsedTrack* out) {
  json doc;
  if (Status s = parseJson(text, path, &doc); !s) return s;
  if (!doc.is_object() || !doc.contains("mouthCues") || !doc["mouthCues"].is_array()) {
    return fail(path, "mouthCues: expected an array of {start, end, value}");
  }
  if (doc.contains("metadata") && doc["metadata"].is_object()) {
    readTime(doc["metadata"], "duration", 1.0, &out->endSec);
  }
  const json& cues = doc["mouthCues"];
  for (size_t i = 0; i < cues.size(); ++i) {
    const std::string where = "mouthCues[" + std::to_string(i) + "]";
    const json& c = cues[i];
    RawCue cue;
    cue.where = where;
    if (!c.is_object()) return fail(path, where + ": expected an object");
    if (!readTime(c, "start", 1.0, &cue.startSec))
      return fail(path, where + ".start: missing or not a number");
    if (!readTime(c, "end", 1.0, &cue.endSec))
      return fail(path, where + ".end: missing or not a number");
    const auto value = c.find("value");
    if (value == c.end() || !value->is_string())
      return fail(path, where + ".value: missing or not a string");
    const std::string letter = value->get<std::string>();
    Viseme v;
    if (letter.size() != 1 || !visemeFromLetter(letter[0], &v)) {
      return fail(path, where + ".value: unknown shape '" + letter + "' (expected A-H or X)");
    }
    cue.shapes = {v};
    out->cues.push_back(cue);
  }
  return Status::ok();
}

Status parseSeedJson(const std::string& text, const std::string& path, ParsedTrack* out) {
  json doc;
  if (Status s = parseJson(text, path, &doc); !s) return s;
  std::string listName = "";
  const json* list = nullptr;
  if (doc.is_array()) {
    list = &doc;
  } else if (doc.is_object()) {
    for (const char* key : {"visemes", "phonemes", "phones", "cues"}) {
      if (doc.contains(key) && doc[key].is_array()) {
        list = &doc[key];
        listName = key;
        break;
      }
    }
    readTime(doc, "duration", 1.0, &out->endSec);
  }
  if (!list) {
    return fail(path,
                "expected a JSON array of cues or an object with a \"visemes\" or "
                "\"phonemes\" array");
  }
  std::vector<bool> openEnded;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string where = listName + "[" + std::to_string(i) + "]";
    const json& c = (*list)[i];
    if (!c.is_object()) return fail(path, where + ": expected an object");
    RawCue cue;
    cue.where = where;
    double duration = -1;
    const bool hasStart =
        readFirstTime(c, {"start", "startTime", "start_time", "time"},
                      {"start_ms", "startMs", "time_ms", "timeMs"}, &cue.startSec);
    if (!hasStart) {
      return fail(path, where + ": no start time (start/time in seconds or start_ms/time_ms)");
    }
    const bool hasEnd =
        readFirstTime(c, {"end", "endTime", "end_time"}, {"end_ms", "endMs"}, &cue.endSec);
    const bool hasDuration =
        readFirstTime(c, {"duration"}, {"duration_ms", "durationMs"}, &duration);
    if (!hasEnd && hasDuration) cue.endSec = cue.startSec + duration;
    openEnded.push_back(!hasEnd && !hasDuration);

    std::string label;
    bool isPhone = false;
    for (const char* key : {"viseme", "value", "shape", "phoneme", "phone"}) {
      const auto it = c.find(key);
      if (it == c.end()) continue;
      if (it->is_number_integer())
        label = std::to_string(it->get<long long>());
      else if (it->is_string())
        label = it->get<std::string>();
      else
        return fail(path, where + "." + key + ": expected a string");
      isPhone = std::string(key).rfind("phone", 0) == 0;
      if (isPhone) {
        if (!visemesForPhone(label, &cue.shapes)) {
          cue.shapes = {Viseme::B};  // some consonant of another phone set
          out->unknownPhones.push_back(label + " (" + where + ")");
        }
      } else {
        cue.shapes.resize(1);
        if (!visemeFromName(label, &cue.shapes[0])) {
          return fail(path, where + "." + key + ": unknown viseme '" + label +
                                "' (expected A-H, X or a name listed in docs/VISEMES.md)");
        }
      }
      break;
    }
    if (cue.shapes.empty()) return fail(path, where + ": no \"viseme\" or \"phoneme\" field");
    out->cues.push_back(cue);
  }
  // Cues given only by their start last until the next one starts.
  for (size_t i = 0; i < out->cues.size(); ++i) {
    if (!openEnded[i]) continue;
    if (i + 1 < out->cues.size()) {
      out->cues[i].endSec = out->cues[i + 1].startSec;
    } else {
      out->cues[i].endSec = out->cues[i].startSec;
      out->cues[i].untilEnd = true;
    }
  }
  return Status::ok();
}

std::string formatSeconds(double sec) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", std::round(sec * 1000.0) / 1000.0);
  std::string s(buf);
  if (s.size() > 1 && s.back() == '0') s.pop_back();  // keep 2 decimals at least
  return s;
}

std::string formatRhubarbJson(const VisemeTrack& track, const std::string& soundFile) {
  const double duration = track.empty() ? 0.0 : track.back().endSec;
  std::string out = "{\n  \"metadata\": {\n";
  out += "    \"soundFile\": " + json(toValidUtf8(soundFile)).dump() + ",\n";
  out += "    \"duration\": " + formatSeconds(duration) + "\n  },\n  \"mouthCues\": [\n";
  for (size_t i = 0; i < track.size(); ++i) {
    out += "    { \"start\": " + formatSeconds(track[i].startSec) +
           ", \"end\": " + formatSeconds(track[i].endSec) + ", \"value\": \"" +
           visemeLetter(track[i].shape) + "\" }" + (i + 1 < track.size() ? ",\n" : "\n");
  }
  out += "  ]\n}\n";
  return out;
}

std::string formatRhubarbTsv(const VisemeTrack& track) {
  std::string out;
  for (const VisemeCue& c : track) {
    out += formatSeconds(c.startSec) + "\t" + visemeLetter(c.shape) + "\n";
  }
  // As Rhubarb: a closing X at the end time, so the length is known.
  out += formatSeconds(track.empty() ? 0.0 : track.back().endSec) + "\tX\n";
  return out;
}

}  // namespace avatar::detail
