// libFuzzer target for the viseme track parsers (Rhubarb JSON and TSV, MFA
// TextGrid, the seed's JSON) and the cue validation after them. An accepted
// track is ordered, gap-free and finite; an error names the file.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "audio/viseme_formats.h"
#include "fuzz_util.h"

using namespace avatar;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the duration the track is fitted to (0 = its own).
  const double durationSec = data[0] % 4 == 0 ? 0.0 : double(data[0]) / 8.0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string path = "fuzz-track";
  const VisemeFormat detected = detail::detectVisemeFormat(text);
  for (int f = 0; f < 4; ++f) {
    detail::ParsedTrack parsed;
    Status s;
    switch (f) {
      case 0:
        s = detail::parseRhubarbJson(text, path, &parsed);
        break;
      case 1:
        s = detail::parseSeedJson(text, path, &parsed);
        break;
      case 2:
        s = detail::parseRhubarbTsv(text, path, &parsed);
        break;
      default:
        s = detail::parseTextGrid(text, path, &parsed);
    }
    if (!s) {
      FUZZ_REQUIRE(s.subject() == path && !s.detail().empty());
      continue;
    }
    VisemeTrack track;
    s = detail::validateCues(parsed, path, durationSec, &track);
    if (!s) {
      FUZZ_REQUIRE(s.subject() == path && !s.detail().empty());
      continue;
    }
    FUZZ_REQUIRE(!track.empty());
    double t = 0;
    for (const auto& cue : track) {
      FUZZ_REQUIRE(std::isfinite(cue.startSec) && std::isfinite(cue.endSec));
      FUZZ_REQUIRE(cue.startSec >= t - 1e-9 && cue.endSec >= cue.startSec);
      t = cue.endSec;
    }
    // What we write, we read back.
    const std::string tsv = detail::formatRhubarbTsv(track);
    detail::ParsedTrack again;
    FUZZ_REQUIRE(detail::parseRhubarbTsv(tsv, path, &again).isOk());
  }
  (void)detected;
  return 0;
}
