// Visemes: mouth shapes over time, the lip-sync plan of the built-in renderer.
// Shapes follow Rhubarb Lip Sync / Preston Blair: A (closed, M B P), B
// (slightly open, most consonants), C (open, E), D (wide open, A), E (rounded,
// O), F (puckered, U W), G (F V, teeth on lip), H (L, tongue), X (rest).
#pragma once

#include <string>
#include <vector>

#include "avatar/image.h"
#include "avatar/status.h"

namespace avatar {

enum class Viseme { A, B, C, D, E, F, G, H, X };

struct VisemeCue {
  double startSec = 0;
  double endSec = 0;
  Viseme shape = Viseme::X;
};

// Sorted, non-overlapping, gap-free cues from 0 to the end of the audio.
using VisemeTrack = std::vector<VisemeCue>;

enum class VisemeFormat { Auto, RhubarbJson, RhubarbTsv, TextGrid, SeedJson };

char visemeLetter(Viseme v);
bool visemeFromLetter(char c, Viseme* out);

// Language-independent visemes from the spectrum of 16 kHz mono speech.
Status estimateVisemes(const AudioSamples& audio16k, VisemeTrack* track);

// Reads a track (format by content when Auto); cues are clipped/extended to
// `durationSec` when it is > 0. Errors name the file and the line or field.
Status loadVisemeTrack(const std::string& path, VisemeFormat format, double durationSec,
                       VisemeTrack* track);
// Writes Rhubarb JSON or TSV (format by extension when Auto: .json / .tsv).
Status saveVisemeTrack(const std::string& path, VisemeFormat format, const VisemeTrack& track,
                       const std::string& soundFile = "");

}  // namespace avatar
