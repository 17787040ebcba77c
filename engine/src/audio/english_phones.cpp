#include "audio/english_phones.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>

#ifdef AVATAR_HAVE_POCKETSPHINX
#include <pocketsphinx.h>
#endif

namespace avatar::detail {
#ifdef AVATAR_HAVE_POCKETSPHINX
namespace {

constexpr double kMaxUtteranceSec = 30.0;

std::string modelRoot(const std::string& modelDir) {
#ifdef AVATAR_POCKETSPHINX_MODEL_DIR
  if (modelDir.empty()) return std::string(AVATAR_POCKETSPHINX_MODEL_DIR) + "/en-us";
#endif
  return modelDir;
}

}  // namespace
#endif

bool englishPhonesAvailable(const std::string& modelDir, std::string* why) {
#ifndef AVATAR_HAVE_POCKETSPHINX
  (void)modelDir;
  if (why) *why = "built without pocketsphinx (install libpocketsphinx-dev and reconfigure)";
  return false;
#else
  namespace fs = std::filesystem;
  const fs::path root = modelRoot(modelDir);
  for (const fs::path& p : {root / "en-us" / "mdef", root / "en-us-phone.lm.bin"}) {
    if (!fs::exists(p)) {
      if (why)
        *why = "pocketsphinx model file missing: " + p.string() + " (install pocketsphinx-en-us)";
      return false;
    }
  }
  return true;
#endif
}

Status recognizeEnglishPhones(const float* samples, size_t count,
                              const std::vector<TimeSpan>& speech, const std::string& modelDir,
                              std::vector<PhoneSegment>* phones) {
  phones->clear();
  std::string why;
  if (!englishPhonesAvailable(modelDir, &why)) {
    return Status::error(ErrorCode::ModelMissing, "pocketsphinx", why);
  }
#ifdef AVATAR_HAVE_POCKETSPHINX
  const std::string root = modelRoot(modelDir);
  const std::string hmm = root + "/en-us", lm = root + "/en-us-phone.lm.bin";
  // Phone loop (context-dependent triphones) with beams narrower than CMU's
  // suggested 1e-20: about 5x faster than real time instead of slower than
  // it, and the phones are good enough for mouth shapes.
  cmd_ln_t* config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.c_str(), "-allphone",
                                 lm.c_str(), "-backtrace", "yes", "-beam", "1e-10", "-pbeam",
                                 "1e-10", "-lw", "2.0", "-logfn", "/dev/null", nullptr);
  if (!config) return Status::error(ErrorCode::Internal, "pocketsphinx", "bad configuration");
  ps_decoder_t* decoder = ps_init(config);
  if (!decoder) {
    cmd_ln_free_r(config);
    return Status::error(ErrorCode::ModelInvalid, hmm, "pocketsphinx could not load the model");
  }
  const int frameRate = cmd_ln_int32_r(config, "-frate");
  std::vector<int16_t> pcm;
  for (const TimeSpan& span : speech) {
    for (double t0 = span.startSec; t0 < span.endSec; t0 += kMaxUtteranceSec) {
      const size_t a = std::min(count, size_t(t0 * 16000));
      const size_t b =
          std::min(count, size_t(std::min(span.endSec, t0 + kMaxUtteranceSec) * 16000));
      if (b <= a + 160) continue;
      pcm.resize(b - a);
      for (size_t i = a; i < b; ++i) {
        pcm[i - a] = int16_t(std::clamp(samples[i], -1.0f, 1.0f) * 32767.0f);
      }
      ps_start_utt(decoder);
      ps_process_raw(decoder, pcm.data(), pcm.size(), FALSE, TRUE);
      ps_end_utt(decoder);
      for (ps_seg_t* seg = ps_seg_iter(decoder); seg; seg = ps_seg_next(seg)) {
        int sf = 0, ef = 0;
        ps_seg_frames(seg, &sf, &ef);
        PhoneSegment p;
        p.startSec = double(a) / 16000 + double(sf) / frameRate;
        p.endSec = double(a) / 16000 + double(ef + 1) / frameRate;
        p.phone = ps_seg_word(seg);
        phones->push_back(std::move(p));
      }
    }
  }
  ps_free(decoder);
  cmd_ln_free_r(config);
#else
  (void)samples;
  (void)count;
  (void)speech;
#endif
  return Status::ok();
}

}  // namespace avatar::detail
