// bench_audio [speech.wav]: times the Wav2Lip mel and analyzeSpeech() on 60 s
// of speech and measures their peak memory on 60 minutes. The speech file
// (any format; default: none) is looped to length; without one a synthetic
// voiced/unvoiced/pause pattern is used. Prints figures, never fails on them.
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>

#include "audio/mel.h"
#include "avatar/media.h"
#include "avatar/visemes.h"

using namespace avatar;

namespace {

AudioSamples synthetic(double seconds) {
  AudioSamples a{16000, std::vector<float>(size_t(seconds * 16000))};
  std::mt19937 rng(1);
  std::normal_distribution<float> noise(0, 0.05f);
  for (size_t i = 0; i < a.samples.size(); ++i) {
    const double t = double(i) / 16000, phase = std::fmod(t, 1.0);
    if (phase < 0.5) {  // vowel: 120 Hz pulse train through a changing formant mix
      const double f1 = 400 + 300 * std::sin(2 * M_PI * 1.7 * t);
      a.samples[i] = float(0.3 * std::sin(2 * M_PI * 120 * t) * std::sin(2 * M_PI * f1 * t));
    } else if (phase < 0.65) {
      a.samples[i] = noise(rng);  // fricative
    } else if (phase > 0.8) {
      a.samples[i] = 0;  // pause
    } else {
      a.samples[i] = float(0.2 * std::sin(2 * M_PI * 140 * t));
    }
  }
  return a;
}

AudioSamples loopTo(const AudioSamples& src, double seconds) {
  AudioSamples a{16000, {}};
  a.samples.reserve(size_t(seconds * 16000));
  while (a.samples.size() < size_t(seconds * 16000)) {
    const size_t n = std::min(src.samples.size(), size_t(seconds * 16000) - a.samples.size());
    a.samples.insert(a.samples.end(), src.samples.begin(), src.samples.begin() + long(n));
  }
  return a;
}

double secondsOf(const std::function<void()>& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A field of /proc/self/status in KiB (VmRSS, VmHWM).
long statusKb(const char* field) {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  long kb = 0;
  const size_t n = std::strlen(field);
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, field, n) == 0 && line[n] == ':') kb = std::atol(line + n + 1);
  }
  std::fclose(f);
  return kb;
}

// Resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0).
void resetPeakRss() {
  if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
    std::fputs("5", f);
    std::fclose(f);
  }
}

// Runs `f` in a child process; returns its peak RSS growth in MiB and time.
void measureInChild(const char* label, const std::function<void()>& f) {
  int fd[2];
  if (pipe(fd) != 0) return;
  const pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    malloc_trim(0);  // freed heap left resident by earlier work would hide growth
    resetPeakRss();
    const long before = statusKb("VmRSS");
    const double t = secondsOf(f);
    const double result[2] = {double(statusKb("VmHWM") - before) / 1024.0, t};
    (void)!write(fd[1], result, sizeof result);
    _exit(0);
  }
  close(fd[1]);
  double result[2] = {0, 0};
  (void)!read(fd[0], result, sizeof result);
  close(fd[0]);
  waitpid(pid, nullptr, 0);
  std::printf("%-44s %8.1f MiB peak growth, %7.2f s\n", label, result[0], result[1]);
}

}  // namespace

int main(int argc, char** argv) {
  AudioSamples source;
  if (argc > 1) {
    if (Status s = decodeAudio(argv[1], 16000, &source); !s) {
      std::fprintf(stderr, "%s\n", s.message().c_str());
      return 2;
    }
  } else {
    source = synthetic(10);
  }
  std::printf("source: %s (%.1f s)\n", argc > 1 ? argv[1] : "synthetic", source.durationSec());

  const AudioSamples minute = loopTo(source, 60);
  detail::MelSpectrogram mel;
  SpeechAnalysis analysis;
  const int reps = 3;
  double melBest = 1e9, speechBest = 1e9;
  for (int r = 0; r < reps; ++r) {
    melBest = std::min(melBest, secondsOf([&] { (void)detail::computeWav2LipMel(minute, &mel); }));
    speechBest =
        std::min(speechBest,
                 secondsOf([&] { (void)analyzeSpeech(minute, 25, VisemeOptions{}, &analysis); }));
  }
  std::printf("60 s audio: mel %d x %d in %.3f s (%.0fx real time)\n", mel.bands, mel.frames,
              melBest, 60 / melBest);
  std::printf(
      "60 s audio: analyzeSpeech (envelope+VAD+visemes, %zu cues) in %.3f s (%.0fx real "
      "time)\n",
      analysis.visemes.size(), speechBest, 60 / speechBest);

  if (englishPhonemeVisemesAvailable()) {
    VisemeOptions english;
    english.method = VisemeMethod::EnglishPhonemes;
    SpeechAnalysis a;
    const double t = secondsOf([&] { (void)analyzeSpeech(minute, 25, english, &a); });
    std::printf(
        "60 s audio: analyzeSpeech, EnglishPhonemes (pocketsphinx) in %.2f s (%.1fx real "
        "time)\n",
        t, 60 / t);
  } else {
    std::printf("EnglishPhonemes: not available in this build\n");
  }

  // 60 minutes: the input alone is 220 MiB of float samples (not counted below:
  // it exists before the measurement starts).
  const AudioSamples hour = loopTo(source, 3600);
  std::printf("60 min audio: %.0f MiB of 16 kHz float samples\n",
              double(hour.samples.size()) * 4 / (1 << 20));
  measureInChild("60 min: Wav2Lip mel (result 80 x 288001)", [&] {
    detail::MelSpectrogram m;
    (void)detail::computeWav2LipMel(hour, &m);
  });
  measureInChild("60 min: analyzeSpeech at 25 fps", [&] {
    SpeechAnalysis a;
    (void)analyzeSpeech(hour, 25, VisemeOptions{}, &a);
  });
  return 0;
}
