// Wav2Lip mel spectrogram against an independent numpy implementation run at
// test time, a naive DFT, and the per-video-frame windowing rules.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>

#include "audio/mel.h"
#include "audio_test_util.h"

using avatar::AudioSamples;
using namespace avatar::detail;

namespace {

std::vector<float> syntheticSignal(size_t n) {
  // Chirp + harmonics + noise + a silent stretch: covers clipping at -4.
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.0f, 0.02f);
  std::vector<float> x(n);
  for (size_t i = 0; i < n; ++i) {
    const double t = double(i) / 16000.0;
    const double f = 100 + 3000 * t;
    double v = 0.4 * std::sin(2 * M_PI * f * t) + 0.2 * std::sin(2 * M_PI * 3 * f * t);
    if (t > 0.6 && t < 0.8) v = 0;
    x[i] = float(v) + (t > 0.6 && t < 0.8 ? 0.0f : noise(rng));
  }
  return x;
}

// Runs mel_reference.py; returns false with a reason when it cannot.
bool numpyReference(const std::vector<float>& x, std::vector<float>* ref, std::string* why) {
  const char* py = std::getenv("AVATAR_NUMPY_PYTHON");
  const char* script = std::getenv("AVATAR_MEL_REFERENCE");
  if (!py || !*py || !script) {
    *why = "no Python with numpy found at configure time (apt-get install python3-numpy)";
    return false;
  }
  const std::string in = audio_test::tempPath("mel-in.f32");
  const std::string out = audio_test::tempPath("mel-out.f32");
  std::ofstream(in, std::ios::binary)
      .write(reinterpret_cast<const char*>(x.data()), std::streamsize(x.size() * sizeof(float)));
  if (audio_test::run(std::string(py) + " '" + script + "' '" + in + "' '" + out + "'") != 0) {
    *why = "mel_reference.py failed";
    return false;
  }
  std::ifstream f(out, std::ios::binary | std::ios::ate);
  ref->resize(size_t(f.tellg()) / sizeof(float));
  f.seekg(0);
  f.read(reinterpret_cast<char*>(ref->data()), std::streamsize(ref->size() * sizeof(float)));
  return true;
}

double compareWithNumpy(const std::vector<float>& x, const char* label) {
  std::vector<float> ref;
  std::string why;
  if (!numpyReference(x, &ref, &why)) {
    ADD_FAILURE() << why;  // configured with numpy but the script failed
    return 1e9;
  }
  const MelSpectrogram mel = computeWav2LipMel(x.data(), x.size());
  EXPECT_EQ(mel.frames, int(1 + x.size() / 200));
  EXPECT_EQ(ref.size(), mel.values.size());
  double maxDiff = 0, sumDiff = 0;
  for (size_t i = 0; i < std::min(ref.size(), mel.values.size()); ++i) {
    const double d = std::abs(double(ref[i]) - mel.values[i]);
    maxDiff = std::max(maxDiff, d);
    sumDiff += d;
  }
  std::printf(
      "[mel] %s: %d frames, max |diff| %.3g, mean |diff| %.3g (normalised units, range 8)\n", label,
      mel.frames, maxDiff, sumDiff / std::max<size_t>(1, ref.size()));
  return maxDiff;
}

bool haveNumpy() {
  const char* py = std::getenv("AVATAR_NUMPY_PYTHON");
  return py && *py;
}

}  // namespace

TEST(WavToLipMel, MatchesNumpyReferenceOnSyntheticSignal) {
  if (!haveNumpy()) GTEST_SKIP() << "no Python with numpy (apt-get install python3-numpy)";
  EXPECT_LT(compareWithNumpy(syntheticSignal(16000 + 123), "synthetic"), 2e-3);
  // Shorter than the 400-sample padding: numpy reflects repeatedly.
  EXPECT_LT(compareWithNumpy(syntheticSignal(300), "300 samples"), 2e-3);
  EXPECT_LT(compareWithNumpy(syntheticSignal(1), "1 sample"), 2e-3);
}

TEST(WavToLipMel, MatchesNumpyReferenceOnRealSpeech) {
  if (!haveNumpy()) GTEST_SKIP() << "no Python with numpy (apt-get install python3-numpy)";
  const std::string hello = audio_test::testdataFile("audio/hello.wav");
  const std::string radio = audio_test::testdataFile("audio/RD_Radio31_000.wav");
  if (hello.empty() || radio.empty()) GTEST_SKIP() << "AVATAR_TESTDATA audio not found";
  EXPECT_LT(compareWithNumpy(audio_test::decode16k(hello).samples, "hello.wav"), 2e-3);
  EXPECT_LT(compareWithNumpy(audio_test::decode16k(radio).samples, "RD_Radio31_000.wav"), 2e-3);
}

TEST(WavToLipMel, StftMagnitudeMatchesNaiveDft) {
  // Loud, unclipped input: check one column band by band through a direct
  // DFT and a filterbank evaluated independently of the engine's sparse copy.
  const std::vector<float> x = syntheticSignal(4000);
  const MelSpectrogram mel = computeWav2LipMel(x.data(), x.size());
  const std::vector<double> fb = slaneyMelFilterbank(16000, 800, 80, 55, 7600);
  const int frame = 7;  // fully inside the signal: no padding involved
  std::vector<double> mag(401);
  for (int k = 0; k <= 400; ++k) {
    double re = 0, im = 0;
    for (int n = 0; n < 800; ++n) {
      const int i = frame * 200 - 400 + n;
      const double y = x[i] - 0.97 * x[i - 1];
      const double w = 0.5 - 0.5 * std::cos(2 * M_PI * n / 800);
      re += y * w * std::cos(2 * M_PI * k * n / 800);
      im -= y * w * std::sin(2 * M_PI * k * n / 800);
    }
    mag[k] = std::hypot(re, im);
  }
  for (int b = 0; b < 80; ++b) {
    double s = 0;
    for (int k = 0; k <= 400; ++k) s += fb[size_t(b) * 401 + k] * mag[k];
    const double expected =
        std::clamp(8 * (20 * std::log10(std::max(1e-5, s)) - 20 + 100) / 100 - 4, -4.0, 4.0);
    EXPECT_NEAR(mel.at(b, frame), expected, 1e-3) << "band " << b;
  }
}

TEST(WavToLipMel, FilterbankHasSlaneyShape) {
  const std::vector<double> fb = slaneyMelFilterbank(16000, 800, 80, 55, 7600);
  for (int b = 0; b < 80; ++b) {
    // Area normalisation: sum over bins * bin width (20 Hz) equals ~1 for
    // bands wide enough to be sampled well.
    double area = 0;
    for (int k = 0; k <= 400; ++k) area += fb[size_t(b) * 401 + k] * 20.0;
    if (b >= 10) EXPECT_NEAR(area, 1.0, 0.05) << "band " << b;
    EXPECT_GT(area, 0.0) << "band " << b;
  }
  // Nothing below 55 Hz or above 7600 Hz.
  for (int b = 0; b < 80; ++b) {
    EXPECT_EQ(fb[size_t(b) * 401 + 2], 0.0);    // 40 Hz
    EXPECT_EQ(fb[size_t(b) * 401 + 381], 0.0);  // 7620 Hz
  }
}

TEST(WavToLipMel, SilenceIsMinusFourAndShapesAreRight) {
  std::vector<float> zeros(16000, 0.0f);
  const MelSpectrogram mel = computeWav2LipMel(zeros.data(), zeros.size());
  EXPECT_EQ(mel.bands, 80);
  EXPECT_EQ(mel.frames, 81);
  for (float v : mel.values) ASSERT_EQ(v, -4.0f);
  EXPECT_EQ(computeWav2LipMel(zeros.data(), 0).frames, 0);

  MelSpectrogram out;
  AudioSamples wrongRate{44100, zeros};
  EXPECT_EQ(computeWav2LipMel(wrongRate, &out).code(), avatar::ErrorCode::InvalidArgument);
  AudioSamples empty{16000, {}};
  EXPECT_EQ(computeWav2LipMel(empty, &out).code(), avatar::ErrorCode::AudioEmpty);
}

TEST(WavToLipMel, VideoFrameWindowsFollowWav2Lip) {
  // 2 s at 16 kHz -> 161 columns; 25 fps -> step 3.2 columns.
  const int cols = 161;
  EXPECT_EQ(melWindowStart(0, cols, 25), 0);
  EXPECT_EQ(melWindowStart(1, cols, 25), 3);
  EXPECT_EQ(melWindowStart(2, cols, 25), 6);
  EXPECT_EQ(melWindowStart(5, cols, 25), 16);
  // Windows while start + 16 <= 161: int(i * 3.2) <= 145 -> i <= 45; then the
  // final window [145, 161). Count = 46 full + 1 final = 47.
  EXPECT_EQ(melWindowCount(cols, 25), 47);
  EXPECT_EQ(melWindowStart(45, cols, 25), 144);
  EXPECT_EQ(melWindowStart(46, cols, 25), 145);
  EXPECT_EQ(melWindowStart(1000, cols, 25), 145);
  // Reference loop, as Wav2Lip's inference script walks it.
  for (double fps : {24.0, 25.0, 29.97, 30.0, 60.0}) {
    int i = 0;
    std::vector<int> starts;
    for (;;) {
      const int s = int(i * (80.0 / fps));
      if (s + 16 > cols) {
        starts.push_back(cols - 16);
        break;
      }
      starts.push_back(s);
      ++i;
    }
    ASSERT_EQ(melWindowCount(cols, fps), int(starts.size())) << fps;
    for (size_t k = 0; k < starts.size(); ++k)
      EXPECT_EQ(melWindowStart(int(k), cols, fps), starts[k]);
  }
}

TEST(WavToLipMel, CopyWindowPadsShortSpectrograms) {
  std::vector<float> x = syntheticSignal(1600);  // 9 columns
  const MelSpectrogram mel = computeWav2LipMel(x.data(), x.size());
  ASSERT_EQ(mel.frames, 9);
  std::vector<float> block(80 * 16);
  copyMelWindow(mel, 0, 25, block.data());
  for (int b = 0; b < 80; ++b) {
    for (int c = 0; c < 16; ++c) {
      const float expected = c < 9 ? mel.at(b, c) : kMelMinValue;
      ASSERT_EQ(block[b * 16 + c], expected);
    }
  }
}
