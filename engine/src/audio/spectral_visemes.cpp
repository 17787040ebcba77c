#include "audio/spectral_visemes.h"

#include "audio/english_phones.h"
#include "audio/phone_visemes.h"

#include <algorithm>
#include <cmath>

namespace avatar::detail {
namespace {

constexpr int kOnsetLookaheadFrames = 6;  // a burst within 60 ms ends a closure
constexpr float kOnsetRiseDb = 15.0f;
constexpr int kContextFrames = 15;    // +-150 ms for "quieter than around"
constexpr int kMinCueFrames = 5;      // 50 ms
constexpr int kMinClosureFrames = 3;  // 30 ms: closures are short but matter

// Speaker's typical formants (medians over clear vowels), so thresholds are
// relative and work for any voice.
struct FormantNorm {
  float f1 = 500;
  float f2 = 1500;
};

FormantNorm speakerFormants(const SpeechFeatures& features, const std::vector<uint8_t>& speech,
                            const std::vector<float>& loudness) {
  std::vector<float> f1, f2;
  for (size_t i = 0; i < features.frames.size(); ++i) {
    const FrameFeatures& f = features.frames[i];
    if (speech[i] && f.voicing > 0.6f && loudness[i] > 0.5f && f.f1Hz > 0 && f.f2Hz > 0) {
      f1.push_back(f.f1Hz);
      f2.push_back(f.f2Hz);
    }
  }
  FormantNorm norm;
  if (f1.size() >= 20) {
    // One scale for both formants (vocal tract length), bounded to what
    // separates men, women and children, so a recording of few vowels does
    // not redefine what "open" or "rounded" means.
    const double scale = std::sqrt(percentile(f1, 50) / 500.0 * percentile(f2, 50) / 1500.0);
    const float k = float(std::clamp(scale, 0.9, 1.35));
    norm.f1 *= k;
    norm.f2 *= k;
  }
  return norm;
}

// Median of 5 over the frames where the value is known (0 = unknown).
std::vector<float> medianOfKnown(const std::vector<float>& v) {
  std::vector<float> out(v.size(), 0.0f), window;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] <= 0) continue;
    window.clear();
    for (size_t j = (i >= 2 ? i - 2 : 0); j < std::min(v.size(), i + 3); ++j) {
      if (v[j] > 0) window.push_back(v[j]);
    }
    std::nth_element(window.begin(), window.begin() + window.size() / 2, window.end());
    out[i] = window[window.size() / 2];
  }
  return out;
}

Viseme vowelShape(float r1, float r2, float loud) {
  Viseme v;
  if (r1 > 1.25f) {
    v = (r2 <= 1.1f || loud > 0.85f) ? Viseme::D : Viseme::C;  // AA / AE
  } else if (r1 >= 0.85f) {
    v = r2 < 0.8f ? Viseme::E : Viseme::C;  // AO, OW / EH, AH
  } else if (r2 < 0.75f && loud < 0.6f) {
    v = Viseme::H;  // L-like: low F1, low F2, weak
  } else if (r2 < 1.1f) {
    v = Viseme::F;  // UW, UH, W: low F1, lowered F2
  } else {
    v = Viseme::B;  // IY, IH: spread, nearly closed
  }
  // Opening follows loudness: quiet vowels are reduced.
  if (loud < 0.3f) {
    if (v == Viseme::D)
      v = Viseme::C;
    else if (v == Viseme::C)
      v = Viseme::B;
  }
  return v;
}

}  // namespace

std::vector<Viseme> classifyVisemeFrames(const SpeechFeatures& features, const LevelReference& ref,
                                         const std::vector<uint8_t>& speech,
                                         const std::vector<float>& loudness) {
  const size_t n = features.frames.size();
  std::vector<Viseme> out(n, Viseme::X);
  if (n == 0) return out;
  const FormantNorm norm = speakerFormants(features, speech, loudness);
  std::vector<float> f1(n), f2(n);
  for (size_t i = 0; i < n; ++i) {
    const bool voiced = features.frames[i].voicing > 0.5f;
    f1[i] = voiced ? features.frames[i].f1Hz : 0;
    f2[i] = voiced ? features.frames[i].f2Hz : 0;
  }
  f1 = medianOfKnown(f1);
  f2 = medianOfKnown(f2);

  for (size_t i = 0; i < n; ++i) {
    if (!speech[i]) continue;
    const FrameFeatures& f = features.frames[i];
    const float rel = f.levelDb - ref.loudDb;  // <= ~0 dB
    float ahead = f.levelDb, around = f.levelDb;
    for (size_t d = 1; d <= kOnsetLookaheadFrames && i + d < n; ++d) {
      ahead = std::max(ahead, features.frames[i + d].levelDb);
    }
    for (size_t j = (i >= kContextFrames ? i - kContextFrames : 0);
         j < std::min(n, i + kContextFrames + 1); ++j) {
      around = std::max(around, features.frames[j].levelDb);
    }
    const float hiss = f.highRatio + f.topRatio;
    // Closure before a burst or vowel onset (stops: lips shut, then open).
    if (rel < -25.0f && ahead - f.levelDb >= kOnsetRiseDb) {
      out[i] = Viseme::A;
    } else if (f.voicing > 0.5f && f.lowRatio > 0.75f && f.levelDb < around - 10.0f &&
               (f1[i] == 0 || f1[i] < 0.8f * norm.f1)) {
      out[i] = Viseme::A;  // nasal murmur (M, N): voiced, muffled, a dip
    } else if (f.voicing < 0.45f && (hiss > 0.5f || f.zcr > 0.15f)) {
      // Fricatives: strong hiss (S, Z, SH) vs weak flat noise (F, V, TH).
      const bool sibilant = hiss > 0.6f && rel > -28.0f;
      out[i] = (!sibilant && f.flatness > 0.35f) ? Viseme::G : Viseme::B;
    } else if (f.voicing > 0.5f && f1[i] > 0 && f2[i] > 0 && loudness[i] > 0.25f) {
      out[i] = vowelShape(f1[i] / norm.f1, f2[i] / norm.f2, loudness[i]);
    } else if (f.voicing > 0.5f && loudness[i] > 0.6f) {
      out[i] = Viseme::C;  // loud voiced sound without clear formants
    } else {
      out[i] = Viseme::B;  // weak consonant
    }
  }
  return out;
}

void applyPhones(const std::vector<PhoneSegment>& phones, const std::vector<uint8_t>& speech,
                 std::vector<Viseme>* frames) {
  std::vector<Viseme> shapes;
  for (const PhoneSegment& p : phones) {
    if (!visemesForPhone(p.phone, &shapes)) shapes = {Viseme::B};
    const double length = (p.endSec - p.startSec) / double(shapes.size());
    for (size_t k = 0; k < shapes.size(); ++k) {
      if (shapes[k] == Viseme::X) continue;
      const double a = p.startSec + length * double(k), b = a + length;
      for (long f = std::lround(a * kFeatureRateHz); f < std::lround(b * kFeatureRateHz); ++f) {
        if (f >= 0 && size_t(f) < frames->size() && speech[size_t(f)]) {
          (*frames)[size_t(f)] = shapes[k];
        }
      }
    }
  }
}

VisemeTrack cuesFromFrames(const std::vector<Viseme>& frames, double durationSec) {
  struct Run {
    Viseme shape;
    size_t length;
  };
  std::vector<Run> runs;
  for (Viseme v : frames) {
    if (!runs.empty() && runs.back().shape == v)
      ++runs.back().length;
    else
      runs.push_back({v, 1});
  }
  auto minimum = [](Viseme v) {
    return v == Viseme::X ? 1 : v == Viseme::A ? kMinClosureFrames : kMinCueFrames;
  };
  // A few linear passes: each short run takes the shape of its longer
  // speaking neighbour; equal neighbours then merge.
  for (int pass = 0; pass < 4; ++pass) {
    bool changed = false;
    for (size_t i = 0; i < runs.size(); ++i) {
      Run& r = runs[i];
      if (int(r.length) >= minimum(r.shape)) continue;
      const Run* prev = i > 0 && runs[i - 1].shape != Viseme::X ? &runs[i - 1] : nullptr;
      const Run* next =
          i + 1 < runs.size() && runs[i + 1].shape != Viseme::X ? &runs[i + 1] : nullptr;
      const Run* into = !prev ? next : !next ? prev : (next->length > prev->length ? next : prev);
      if (into && into->shape != r.shape) {
        r.shape = into->shape;
        changed = true;
      }
    }
    std::vector<Run> merged;
    for (const Run& r : runs) {
      if (!merged.empty() && merged.back().shape == r.shape)
        merged.back().length += r.length;
      else
        merged.push_back(r);
    }
    runs.swap(merged);
    if (!changed) break;
  }
  VisemeTrack track;
  size_t frame = 0;
  for (const Run& r : runs) {
    VisemeCue cue;
    cue.startSec = double(frame) / kFeatureRateHz;
    frame += r.length;
    cue.endSec = std::min(durationSec, double(frame) / kFeatureRateHz);
    cue.shape = r.shape;
    if (cue.endSec > cue.startSec) track.push_back(cue);
  }
  return normalizeVisemeTrack(std::move(track), durationSec);
}

}  // namespace avatar::detail
