// Parsers and writers of viseme track files. Parsers produce raw cues that
// remember where in the file they came from; validateCues() turns them into a
// normalised track or an error naming the file and the line or field.
#pragma once

#include <string>
#include <vector>

#include "avatar/status.h"
#include "avatar/visemes.h"

namespace avatar::detail {

struct RawCue {
  double startSec = 0;
  double endSec = 0;
  std::vector<Viseme> shapes;  // one, or two for a diphthong (split in time)
  std::string where;           // "line 12", "mouthCues[3]", ...
  bool untilEnd = false;       // lasts until the end of the track (last TSV line)
};

struct ParsedTrack {
  std::vector<RawCue> cues;
  double endSec = 0;  // the end the file states (TSV last line, TextGrid xmax), 0 if none
  std::vector<std::string> unknownPhones;  // mapped to B; the loader warns
};

// Each returns an error whose subject is `path` and whose detail names the
// line or field.
Status parseRhubarbJson(const std::string& text, const std::string& path, ParsedTrack* out);
Status parseSeedJson(const std::string& text, const std::string& path, ParsedTrack* out);
Status parseRhubarbTsv(const std::string& text, const std::string& path, ParsedTrack* out);
Status parseTextGrid(const std::string& text, const std::string& path, ParsedTrack* out);

// Format by content (JSON with mouthCues, other JSON, TextGrid header, else TSV).
VisemeFormat detectVisemeFormat(const std::string& text);

// Negative times, end before start, overlaps and an empty track are errors;
// then diphthongs are split and the track normalised to `durationSec` (or to
// the end the file states when durationSec <= 0).
Status validateCues(const ParsedTrack& parsed, const std::string& path, double durationSec,
                    VisemeTrack* track);

std::string formatRhubarbJson(const VisemeTrack& track, const std::string& soundFile);
std::string formatRhubarbTsv(const VisemeTrack& track);
// Seconds with up to 3 decimals and no trailing zeros beyond 2 ("0.05", "1.125").
std::string formatSeconds(double sec);

}  // namespace avatar::detail
