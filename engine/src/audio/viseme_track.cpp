// Viseme letters, shape properties and track normalisation.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string_view>

#include "avatar/visemes.h"

namespace avatar {

char visemeLetter(Viseme v) {
  const int i = int(v);
  return i >= 0 && i < 9 ? "ABCDEFGHX"[i] : '?';
}

bool visemeFromLetter(char c, Viseme* out) {
  constexpr std::string_view letters = "ABCDEFGHX";
  const auto pos = letters.find(char(std::toupper(static_cast<unsigned char>(c))));
  if (pos == std::string_view::npos) return false;
  *out = Viseme(pos);
  return true;
}

double visemeMouthOpening(Viseme v) {
  switch (v) {
    case Viseme::A:
      return 0.0;  // lips pressed
    case Viseme::B:
      return 0.2;  // teeth nearly together
    case Viseme::C:
      return 0.55;  // open
    case Viseme::D:
      return 0.9;  // wide open
    case Viseme::E:
      return 0.5;  // rounded, open
    case Viseme::F:
      return 0.25;  // puckered
    case Viseme::G:
      return 0.15;  // lower lip under teeth
    case Viseme::H:
      return 0.4;  // tongue visible
    case Viseme::X:
      return 0.0;  // rest
  }
  return 0.0;
}

Viseme visemeAt(const VisemeTrack& track, double timeSec) {
  auto it = std::upper_bound(track.begin(), track.end(), timeSec,
                             [](double t, const VisemeCue& c) { return t < c.startSec; });
  if (it == track.begin()) return Viseme::X;
  --it;
  return timeSec < it->endSec ? it->shape : Viseme::X;
}

VisemeTrack normalizeVisemeTrack(VisemeTrack track, double durationSec) {
  const bool clip = durationSec > 0;
  VisemeTrack cues;
  for (VisemeCue c : track) {
    if (!std::isfinite(c.startSec) || !std::isfinite(c.endSec)) continue;
    c.startSec = std::max(0.0, c.startSec);
    if (clip) c.endSec = std::min(durationSec, c.endSec);
    if (c.endSec > c.startSec) cues.push_back(c);
  }
  std::stable_sort(cues.begin(), cues.end(),
                   [](const VisemeCue& a, const VisemeCue& b) { return a.startSec < b.startSec; });
  VisemeTrack out;
  auto append = [&out](double start, double end, Viseme shape) {
    if (end <= start) return;
    if (!out.empty() && out.back().shape == shape && out.back().endSec >= start) {
      out.back().endSec = std::max(out.back().endSec, end);
      return;
    }
    out.push_back({start, end, shape});
  };
  for (size_t i = 0; i < cues.size(); ++i) {
    // A later cue wins an overlap: this one ends where the next begins.
    const double end =
        i + 1 < cues.size() ? std::min(cues[i].endSec, cues[i + 1].startSec) : cues[i].endSec;
    const double cursor = out.empty() ? 0.0 : out.back().endSec;
    append(cursor, cues[i].startSec, Viseme::X);
    append(cues[i].startSec, end, cues[i].shape);
  }
  if (clip) append(out.empty() ? 0.0 : out.back().endSec, durationSec, Viseme::X);
  return out;
}

}  // namespace avatar
