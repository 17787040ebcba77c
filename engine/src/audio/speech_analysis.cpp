// Public speech analysis: envelope, voice activity and spectral visemes,
// all from one pass of 10 ms features.
#include <string>

#include "audio/english_phones.h"
#include "audio/spectral_visemes.h"
#include "audio/speech_activity.h"
#include "audio/speech_features.h"
#include "avatar/visemes.h"

namespace avatar {
namespace {

Status checkAudio(const AudioSamples& audio) {
  if (audio.sampleRate != detail::kFeatureSampleRate) {
    return Status::error(ErrorCode::InvalidArgument, "audio",
                         "speech analysis needs 16000 Hz mono samples, got " +
                             std::to_string(audio.sampleRate) + " Hz");
  }
  if (audio.samples.empty()) {
    return Status::error(ErrorCode::AudioEmpty, "audio", "no samples to analyse");
  }
  return Status::ok();
}

Status checkOptions(const VoiceActivityOptions& o) {
  auto bad = [](double v, double hi) { return !(v >= 0 && v <= hi); };
  if (bad(o.minSilenceMs, 60000) || bad(o.minSpeechMs, 60000) || bad(o.paddingMs, 10000) ||
      bad(o.hysteresisDb, 60)) {
    return Status::error(ErrorCode::InvalidArgument, "VoiceActivityOptions",
                         "durations must be 0..60000 ms (padding 0..10000), hysteresis 0..60 dB");
  }
  return Status::ok();
}

Status checkFps(double fps) {
  if (!(fps > 0 && fps <= 1000)) {
    return Status::error(ErrorCode::InvalidArgument, "fps", "must be in (0, 1000]");
  }
  return Status::ok();
}

// Phones of the speech: the transcript aligned to it when there is one and
// it aligns, else the free phone loop.
Status englishPhones(const AudioSamples& audio16k, const std::vector<TimeSpan>& speech,
                     const VisemeOptions& options, std::vector<detail::PhoneSegment>* phones,
                     std::vector<std::string>* notes) {
  const float* samples = audio16k.samples.data();
  const size_t count = audio16k.samples.size();
  if (!detail::transcriptWords(options.transcript).empty()) {
    detail::TranscriptAlignment alignment;
    if (Status s = detail::alignEnglishTranscript(samples, count, speech, options.transcript,
                                                  options.phonemeModelDir, &alignment);
        !s) {
      return s;
    }
    notes->insert(notes->end(), alignment.notes.begin(), alignment.notes.end());
    if (alignment.aligned) {
      notes->push_back("visemes: transcript aligned to the audio (" +
                       std::to_string(alignment.words.size()) + " words)");
      *phones = std::move(alignment.phones);
      return Status::ok();
    }
  }
  return detail::recognizeEnglishPhones(samples, count, speech, options.phonemeModelDir, phones);
}

}  // namespace

Status analyzeSpeech(const AudioSamples& audio16k, double fps, const VisemeOptions& options,
                     SpeechAnalysis* analysis) {
  *analysis = SpeechAnalysis{};
  if (Status s = checkAudio(audio16k); !s) return s;
  if (Status s = checkFps(fps); !s) return s;
  if (Status s = checkOptions(options.activity); !s) return s;
  std::string why;
  if (options.method == VisemeMethod::EnglishPhonemes &&
      !detail::englishPhonesAvailable(options.phonemeModelDir, &why)) {
    return Status::error(ErrorCode::ModelMissing, "EnglishPhonemes", why);
  }
  const auto features =
      detail::analyseSpeechFeatures(audio16k.samples.data(), audio16k.samples.size());
  const double duration = features.durationSec();
  const auto ref = detail::levelReference(features);
  const auto loudness = detail::frameLoudness(features, ref);
  const auto speech = detail::speechMask(features, ref, options.activity);
  analysis->durationSec = duration;
  analysis->envelope = detail::videoEnvelope(loudness, duration, fps);
  analysis->activity = detail::activityFromMask(speech, duration);
  std::vector<Viseme> frames = detail::classifyVisemeFrames(features, ref, speech, loudness);
  if (options.method == VisemeMethod::EnglishPhonemes) {
    std::vector<detail::PhoneSegment> phones;
    if (Status s =
            englishPhones(audio16k, analysis->activity.speech, options, &phones, &analysis->notes);
        !s) {
      *analysis = SpeechAnalysis{};
      return s;
    }
    detail::applyPhones(phones, speech, &frames);
  } else if (!detail::transcriptWords(options.transcript).empty()) {
    analysis->notes.push_back(
        "transcript not used: visemeMethod spectral does not read it (visemeMethod english "
        "aligns it to the audio)");
  }
  analysis->visemes = detail::cuesFromFrames(frames, duration);
  return Status::ok();
}

Status estimateVisemes(const AudioSamples& audio16k, const VisemeOptions& options,
                       VisemeTrack* track) {
  track->clear();
  SpeechAnalysis analysis;
  if (Status s = analyzeSpeech(audio16k, 25.0, options, &analysis); !s) return s;
  *track = std::move(analysis.visemes);
  return Status::ok();
}

Status estimateVisemes(const AudioSamples& audio16k, VisemeTrack* track) {
  return estimateVisemes(audio16k, VisemeOptions{}, track);
}

bool englishPhonemeVisemesAvailable(const std::string& modelDir, std::string* why) {
  std::string reason;
  const bool ok = detail::englishPhonesAvailable(modelDir, &reason);
  if (why) *why = reason;
  return ok;
}

Status computeLoudnessEnvelope(const AudioSamples& audio16k, double fps,
                               std::vector<float>* envelope) {
  envelope->clear();
  if (Status s = checkAudio(audio16k); !s) return s;
  if (Status s = checkFps(fps); !s) return s;
  const auto features =
      detail::analyseSpeechFeatures(audio16k.samples.data(), audio16k.samples.size());
  const auto loudness = detail::frameLoudness(features, detail::levelReference(features));
  *envelope = detail::videoEnvelope(loudness, features.durationSec(), fps);
  return Status::ok();
}

Status detectVoiceActivity(const AudioSamples& audio16k, const VoiceActivityOptions& options,
                           VoiceActivity* activity) {
  *activity = VoiceActivity{};
  if (Status s = checkAudio(audio16k); !s) return s;
  if (Status s = checkOptions(options); !s) return s;
  const auto features =
      detail::analyseSpeechFeatures(audio16k.samples.data(), audio16k.samples.size());
  const auto mask = detail::speechMask(features, detail::levelReference(features), options);
  *activity = detail::activityFromMask(mask, features.durationSec());
  return Status::ok();
}

}  // namespace avatar
