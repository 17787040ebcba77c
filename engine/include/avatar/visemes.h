// Visemes: mouth shapes over time, the lip-sync plan of the built-in renderer.
// Shapes follow Rhubarb Lip Sync / Preston Blair: A (closed, M B P), B
// (slightly open, most consonants), C (open, E), D (wide open, A), E (rounded,
// O), F (puckered, U W), G (F V, teeth on lip), H (L, tongue), X (rest).
#pragma once

#include <string>
#include <vector>

#include "avatar/image.h"
#include "avatar/options.h"
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

// Sorts and repairs a track: cues clipped to [0, durationSec] (when > 0),
// gaps filled with X (and the end extended with X up to durationSec),
// zero-length cues dropped, neighbours with the same shape merged.
// Overlaps are resolved in favour of the later cue.
VisemeTrack normalizeVisemeTrack(VisemeTrack track, double durationSec);

enum class VisemeFormat { Auto, RhubarbJson, RhubarbTsv, TextGrid, SeedJson };

char visemeLetter(Viseme v);
bool visemeFromLetter(char c, Viseme* out);  // upper or lower case
// Nominal jaw opening of a shape, 0 (closed: A, X) .. 1 (wide open: D).
double visemeMouthOpening(Viseme v);
// The shape at `timeSec` (X outside the track). `track` must be normalised.
Viseme visemeAt(const VisemeTrack& track, double timeSec);

// All analysis functions below take mono samples at 16000 Hz (decodeAudio(path,
// 16000, ...)); other rates give InvalidArgument, no samples AudioEmpty. They
// are deterministic and thread-safe (no shared state).

// Language-independent visemes from the spectrum of 16 kHz mono speech:
// X over silences, A at lip closures, vowels by formants. Gap-free, covering
// [0, audio duration]. Same as the overload below with default options.
Status estimateVisemes(const AudioSamples& audio16k, VisemeTrack* track);

// Loudness per video frame, 0 (silence) .. 1 (the loud parts of this
// recording: normalised by a high percentile, so the overall level does not
// matter), smoothed. Frame i averages [i/fps, (i+1)/fps); there are
// ceil(duration * fps) frames.
Status computeLoudnessEnvelope(const AudioSamples& audio16k, double fps,
                               std::vector<float>* envelope);

struct TimeSpan {
  double startSec = 0;
  double endSec = 0;
};

struct VoiceActivityOptions {
  double minSilenceMs = 200;  // shorter pauses between speech count as speech
  double minSpeechMs = 60;    // shorter bursts between silences count as silence
  double paddingMs = 30;      // speech is extended by this on both sides
  double hysteresisDb = 4;    // speech ends this far below the level that starts it
};

// Speech and silence: sorted, disjoint spans that together tile
// [0, duration]. Silences at the very start and end are kept at any length.
struct VoiceActivity {
  std::vector<TimeSpan> speech;
  std::vector<TimeSpan> silences;
};

Status detectVoiceActivity(const AudioSamples& audio16k, const VoiceActivityOptions& options,
                           VoiceActivity* activity);

struct VisemeOptions {
  VisemeMethod method = VisemeMethod::Spectral;
  VoiceActivityOptions activity;  // silences become X with either method
  std::string phonemeModelDir;    // EnglishPhonemes: "" = pocketsphinx-en-us default
  // Text of the speech. EnglishPhonemes aligns its words (CMU dictionary) to
  // the audio instead of recognising free phones; Spectral does not use it
  // (a note says so).
  std::string transcript;
};

// Whether VisemeMethod::EnglishPhonemes works in this build and installation;
// `why` says what is missing (pocketsphinx not built in, model files absent).
bool englishPhonemeVisemesAvailable(const std::string& modelDir = "", std::string* why = nullptr);

// EnglishPhonemes fails with ModelMissing when unavailable (no silent fallback).
Status estimateVisemes(const AudioSamples& audio16k, const VisemeOptions& options,
                       VisemeTrack* track);

// Everything above from one pass over the audio (the features are shared).
struct SpeechAnalysis {
  double durationSec = 0;
  std::vector<float> envelope;  // per video frame, as computeLoudnessEnvelope
  VoiceActivity activity;
  VisemeTrack visemes;
  std::vector<std::string> notes;  // how the transcript was used, or why not
};

Status analyzeSpeech(const AudioSamples& audio16k, double fps, const VisemeOptions& options,
                     SpeechAnalysis* analysis);

// Reads a track (format by content when Auto); cues are clipped/extended to
// `durationSec` when it is > 0. Errors name the file and the line or field.
// Accepted inputs are described in docs/VISEMES.md. The result is
// normalised: sorted, gap-free (gaps become X), starting at 0.
Status loadVisemeTrack(const std::string& path, VisemeFormat format, double durationSec,
                       VisemeTrack* track);
// Writes Rhubarb JSON or TSV (format by extension when Auto: .json / .tsv).
Status saveVisemeTrack(const std::string& path, VisemeFormat format, const VisemeTrack& track,
                       const std::string& soundFile = "");

}  // namespace avatar
