#include "audio/english_phones.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <memory>

#ifdef AVATAR_HAVE_POCKETSPHINX
#include <pocketsphinx.h>
#include <sphinxbase/ckd_alloc.h>
#include <sphinxbase/fsg_model.h>
#endif

namespace avatar::detail {
namespace {

constexpr size_t kMaxTranscriptWords = 20000;
constexpr size_t kMaxNotedWords = 5;

bool dictionarySpelling(const std::string& w) {
  return !w.empty() && std::all_of(w.begin(), w.end(),
                                   [](char c) { return (c >= 'a' && c <= 'z') || c == '\''; });
}

// For notes: printable ASCII only (the transcript's bytes are not trusted to
// be UTF-8), at most 40 characters.
std::string printable(const std::string& w) {
  std::string out;
  for (unsigned char c : w.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? char(c) : '?';
  return out;
}

}  // namespace

std::vector<std::string> transcriptWords(const std::string& transcript) {
  std::vector<std::string> words;
  std::string cur;
  auto flush = [&] {
    const auto punct = [](unsigned char c) { return c < 0x80 && !std::isalnum(c); };
    size_t a = 0, b = cur.size();
    while (a < b && punct(static_cast<unsigned char>(cur[a]))) ++a;
    while (b > a && punct(static_cast<unsigned char>(cur[b - 1]))) --b;
    if (b > a) words.push_back(cur.substr(a, b - a));
    cur.clear();
  };
  for (char c : transcript) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isspace(u) || c == '-' || c == '/' || c == '"') {
      flush();
    } else {
      cur += (u < 0x80) ? char(std::tolower(u)) : c;
    }
  }
  flush();
  return words;
}

#ifdef AVATAR_HAVE_POCKETSPHINX
namespace {

constexpr double kMaxUtteranceSec = 30.0;
constexpr double kMaxAlignSec = 300.0;
constexpr double kAlignPadSec = 0.2;

std::string modelRoot(const std::string& modelDir) {
#ifdef AVATAR_POCKETSPHINX_MODEL_DIR
  if (modelDir.empty()) return std::string(AVATAR_POCKETSPHINX_MODEL_DIR) + "/en-us";
#endif
  return modelDir;
}

// One pocketsphinx decoder and its configuration, freed together.
struct Decoder {
  cmd_ln_t* config = nullptr;
  ps_decoder_t* ps = nullptr;
  Decoder() = default;
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;
  ~Decoder() {
    if (ps) ps_free(ps);
    if (config) cmd_ln_free_r(config);
  }
};

// Phone loop (allphone, `lmOrDict` = the phonetic LM) or dictionary words
// (`allphone` false, `lmOrDict` = the dictionary; a grammar is set later).
Status openDecoder(const std::string& modelDir, bool allphone, Decoder* d) {
  const std::string root = modelRoot(modelDir);
  const std::string hmm = root + "/en-us";
  if (allphone) {
    const std::string lm = root + "/en-us-phone.lm.bin";
    // Phone loop (context-dependent triphones) with beams narrower than
    // CMU's suggested 1e-20: about 5x faster than real time instead of
    // slower than it, and the phones are good enough for mouth shapes.
    d->config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.c_str(), "-allphone", lm.c_str(),
                            "-backtrace", "yes", "-beam", "1e-10", "-pbeam", "1e-10", "-lw", "2.0",
                            "-remove_silence", "no", "-logfn", "/dev/null", nullptr);
  } else {
    const std::string dict = root + "/cmudict-en-us.dict";
    d->config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.c_str(), "-dict", dict.c_str(),
                            "-beam", "1e-80", "-pbeam", "1e-80", "-wbeam", "1e-60",
                            "-remove_silence", "no", "-logfn", "/dev/null", nullptr);
  }
  if (!d->config) return Status::error(ErrorCode::Internal, "pocketsphinx", "bad configuration");
  d->ps = ps_init(d->config);
  if (!d->ps) {
    return Status::error(ErrorCode::ModelInvalid, hmm, "pocketsphinx could not load the model");
  }
  return Status::ok();
}

void toPcm(const float* samples, size_t a, size_t b, std::vector<int16_t>* pcm) {
  pcm->resize(b - a);
  for (size_t i = a; i < b; ++i) {
    (*pcm)[i - a] = int16_t(std::clamp(samples[i], -1.0f, 1.0f) * 32767.0f);
  }
}

bool isVowel(const std::string& phone) {
  static const char* const kVowels[] = {"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER",
                                        "EY", "IH", "IY", "OW", "OY", "UH", "UW"};
  return std::any_of(std::begin(kVowels), std::end(kVowels),
                     [&](const char* v) { return phone == v; });
}

// Shares a word's time among its phones, vowels twice as long as consonants.
void splitWord(const WordSegment& w, const std::string& pron, std::vector<PhoneSegment>* phones) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos < pron.size()) {
    const size_t end = std::min(pron.find(' ', pos), pron.size());
    if (end > pos) parts.push_back(pron.substr(pos, end - pos));
    pos = end + 1;
  }
  if (parts.empty()) return;
  double total = 0;
  for (const auto& p : parts) total += isVowel(p) ? 2 : 1;
  double t = w.startSec;
  for (const auto& p : parts) {
    const double len = (w.endSec - w.startSec) * (isVowel(p) ? 2 : 1) / total;
    phones->push_back({t, t + len, p});
    t += len;
  }
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
  for (const fs::path& p :
       {root / "en-us" / "mdef", root / "en-us-phone.lm.bin", root / "cmudict-en-us.dict"}) {
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
  Decoder d;
  if (Status s = openDecoder(modelDir, true, &d); !s) return s;
  const int frameRate = cmd_ln_int32_r(d.config, "-frate");
  std::vector<int16_t> pcm;
  for (const TimeSpan& span : speech) {
    for (double t0 = span.startSec; t0 < span.endSec; t0 += kMaxUtteranceSec) {
      const size_t a = std::min(count, size_t(t0 * 16000));
      const size_t b =
          std::min(count, size_t(std::min(span.endSec, t0 + kMaxUtteranceSec) * 16000));
      if (b <= a + 160) continue;
      toPcm(samples, a, b, &pcm);
      ps_start_utt(d.ps);
      ps_process_raw(d.ps, pcm.data(), pcm.size(), FALSE, TRUE);
      ps_end_utt(d.ps);
      for (ps_seg_t* seg = ps_seg_iter(d.ps); seg; seg = ps_seg_next(seg)) {
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
#else
  (void)samples;
  (void)count;
  (void)speech;
#endif
  return Status::ok();
}

Status alignEnglishTranscript(const float* samples, size_t count,
                              const std::vector<TimeSpan>& speech, const std::string& transcript,
                              const std::string& modelDir, TranscriptAlignment* out) {
  *out = TranscriptAlignment{};
  std::string why;
  if (!englishPhonesAvailable(modelDir, &why)) {
    return Status::error(ErrorCode::ModelMissing, "pocketsphinx", why);
  }
  std::vector<std::string> words = transcriptWords(transcript);
  if (words.size() > kMaxTranscriptWords) {
    out->notes.push_back("transcript not used: " + std::to_string(words.size()) +
                         " words, alignment takes at most " + std::to_string(kMaxTranscriptWords));
    return Status::ok();
  }
  if (speech.empty()) {
    out->notes.push_back("transcript not used: no speech found in the audio");
    return Status::ok();
  }
#ifdef AVATAR_HAVE_POCKETSPHINX
  const double t0 = std::max(0.0, speech.front().startSec - kAlignPadSec);
  const double t1 = std::min(double(count) / 16000, speech.back().endSec + kAlignPadSec);
  if (t1 - t0 > kMaxAlignSec) {
    out->notes.push_back("transcript not used: its speech spans " + std::to_string(int(t1 - t0)) +
                         " s, alignment takes at most " + std::to_string(int(kMaxAlignSec)) +
                         " s (phones recognised without it)");
    return Status::ok();
  }
  Decoder d;
  if (Status s = openDecoder(modelDir, false, &d); !s) return s;
  std::vector<std::string> known, skipped;
  for (const std::string& w : words) {
    char* pron = dictionarySpelling(w) ? ps_lookup_word(d.ps, w.c_str()) : nullptr;
    (pron ? known : skipped).push_back(w);
    ckd_free(pron);
  }
  if (!skipped.empty()) {
    std::string list;
    for (size_t i = 0; i < std::min(skipped.size(), kMaxNotedWords); ++i) {
      list += (i ? ", " : "") + printable(skipped[i]);
    }
    if (skipped.size() > kMaxNotedWords) list += ", ...";
    out->notes.push_back("transcript: " + std::to_string(skipped.size()) +
                         " word(s) not in the pronunciation dictionary skipped (" + list + ")");
  }
  if (known.empty()) {
    out->notes.push_back("transcript not used: none of its words is in the dictionary");
    return Status::ok();
  }
  // A linear grammar: state i --word i--> state i+1 (the search adds optional
  // silences and fillers between words, and the dictionary's variants).
  // Built directly, not through the JSGF parser (which leaks in 5prealpha).
  fsg_model_t* fsg = fsg_model_init("transcript", ps_get_logmath(d.ps),
                                    cmd_ln_float32_r(d.config, "-lw"), int32(known.size() + 1));
  fsg->start_state = 0;
  fsg->final_state = int32(known.size());
  for (size_t i = 0; i < known.size(); ++i) {
    fsg_model_trans_add(fsg, int32(i), int32(i + 1), 0, fsg_model_word_add(fsg, known[i].c_str()));
  }
  const bool grammarSet = ps_set_fsg(d.ps, "transcript", fsg) == 0;  // the search keeps a ref
  fsg_model_free(fsg);
  if (!grammarSet || ps_set_search(d.ps, "transcript") != 0) {
    return Status::error(ErrorCode::Internal, "pocketsphinx", "could not build the grammar");
  }
  const int frameRate = cmd_ln_int32_r(d.config, "-frate");
  const size_t a = std::min(count, size_t(t0 * 16000)), b = std::min(count, size_t(t1 * 16000));
  std::vector<int16_t> pcm;
  toPcm(samples, a, b, &pcm);
  ps_start_utt(d.ps);
  ps_process_raw(d.ps, pcm.data(), pcm.size(), FALSE, TRUE);
  ps_end_utt(d.ps);
  int32 score = 0;
  const char* hyp = ps_get_hyp(d.ps, &score);
  std::vector<WordSegment> aligned;
  for (ps_seg_t* seg = hyp ? ps_seg_iter(d.ps) : nullptr; seg; seg = ps_seg_next(seg)) {
    const std::string w = ps_seg_word(seg);
    if (w.empty() || w[0] == '<' || w[0] == '[' || w == "(NULL)") continue;  // silence, fillers
    int sf = 0, ef = 0;
    ps_seg_frames(seg, &sf, &ef);
    aligned.push_back({t0 + double(sf) / frameRate, t0 + double(ef + 1) / frameRate, w});
  }
  auto base = [](const std::string& w) { return w.substr(0, w.find('(')); };
  bool matches = aligned.size() == known.size();
  for (size_t i = 0; matches && i < known.size(); ++i) matches = base(aligned[i].word) == known[i];
  if (!matches) {
    out->notes.push_back(
        "transcript could not be aligned to the audio; phones recognised without it");
    return Status::ok();
  }
  double previousEnd = t0;
  for (const WordSegment& w : aligned) {
    if (w.startSec > previousEnd) out->phones.push_back({previousEnd, w.startSec, "SIL"});
    char* pron = ps_lookup_word(d.ps, w.word.c_str());
    if (pron) splitWord(w, pron, &out->phones);
    ckd_free(pron);
    previousEnd = w.endSec;
  }
  out->words = std::move(aligned);
  out->aligned = true;
#else
  (void)samples;
  (void)count;
#endif
  return Status::ok();
}

}  // namespace avatar::detail
