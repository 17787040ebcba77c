#include <algorithm>
#include <cmath>

#include "avatar/media.h"
#include "media/audio_reader.h"
#include "media/input_checks.h"

namespace avatar {
namespace {

// Capacity for `more` samples after those decoded so far. The container's
// duration claim is only a hint: capacity at most doubles what was actually
// decoded, and lands on the claim (+1%) when the decoded audio bears it out,
// so a truthful header costs no extra copy and a lying one no memory.
void makeRoom(std::vector<float>* v, size_t more, double claimedSamples) {
  const size_t have = v->size();
  if (have + more <= v->capacity()) return;
  size_t cap = std::max(have + more, std::max<size_t>(2 * have, 1 << 16));
  const double claim = claimedSamples * 1.01 + 4096;
  if (claim > double(have) && claim < double(cap)) cap = size_t(claim);
  v->reserve(cap);  // if the claim was short after all, the read grows it
}

}  // namespace

Status decodeAudio(const std::string& path, int sampleRate, AudioSamples* out, AudioInfo* info,
                   double maxDurationSec) {
  if (sampleRate <= 0 || sampleRate > 384000) {
    return Status::error(ErrorCode::InvalidArgument, "sampleRate", "must be in 1..384000");
  }
  if (!(maxDurationSec > 0 && maxDurationSec <= kMaxAudioSecLimit)) {
    return Status::error(
        ErrorCode::InvalidArgument, "maxAudioSec",
        "must be more than 0 and at most " + std::to_string(int(kMaxAudioSecLimit)) + " seconds");
  }
  if (Status s = detail::checkInputFile(path, "audio"); !s) return s;
  detail::AudioReader reader;
  if (Status s = reader.open(path, sampleRate, 1, maxDurationSec); !s) return s;
  out->sampleRate = sampleRate;
  out->samples.clear();
  const double declared = reader.info().durationSec;
  const double claimed =
      std::isfinite(declared) && declared > 0 ? std::min(declared, maxDurationSec) * sampleRate : 0;
  constexpr int kChunk = 65536;
  for (;;) {
    makeRoom(&out->samples, kChunk, claimed);
    int got = 0;
    if (Status s = reader.read(kChunk, &out->samples, &got); !s) {
      out->samples = {};
      return s;
    }
    if (got == 0) break;
  }
  // No shrink_to_fit: for an hour of speech it would copy 230 MB and double
  // the peak; see makeRoom for how capacity follows the decoded audio.
  if (info) {
    *info = reader.info();
    info->durationSec = out->durationSec();
  }
  return Status::ok();
}

}  // namespace avatar
