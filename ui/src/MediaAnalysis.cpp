#include "MediaAnalysis.h"

#include <QElapsedTimer>
#include <cmath>

#include "EngineTypes.h"
#include "avatar/face_choice.h"

namespace studio {

PhotoAnalysis analysePhoto(std::shared_ptr<const avatar::Engine> engine, const QString& path) {
  PhotoAnalysis out;
  out.path = path;
  QElapsedTimer timer;
  timer.start();
  avatar::Image image;
  out.status = avatar::loadImage(toEnginePath(path), &image, &out.info);
  out.loadMs = double(timer.nsecsElapsed()) / 1e6;
  if (!out.status) return out;
  out.image = toQImage(image);
  timer.restart();
  if (engine) {
    out.faceStatus = avatar::detectFaces(*engine, image, &out.faces);
  } else {
    out.faceStatus =
        avatar::Status::error(avatar::ErrorCode::Internal, "engine", "no engine available");
  }
  out.faceMs = double(timer.nsecsElapsed()) / 1e6;
  return out;
}

int chosenFace(const std::vector<avatar::FaceInfo>& faces, int faceIndex) {
  return avatar::chooseFace(faces, faceIndex);  // the engine's own choice
}

AudioAnalysis analyseAudio(const QString& path) {
  AudioAnalysis out;
  out.path = path;
  QElapsedTimer timer;
  timer.start();
  avatar::AudioSamples audio;
  out.status = avatar::decodeAudio(toEnginePath(path), 16000, &audio, &out.info);
  out.decodeMs = double(timer.nsecsElapsed()) / 1e6;
  if (!out.status) return out;
  out.durationSec = audio.durationSec();
  const int bucket = std::max(1, audio.sampleRate / AudioAnalysis::kBucketsPerSecond);
  const size_t n = audio.samples.size();
  out.peak.reserve(int(n / size_t(bucket)) + 1);
  out.rms.reserve(out.peak.capacity());
  for (size_t start = 0; start < n; start += size_t(bucket)) {
    const size_t end = std::min(n, start + size_t(bucket));
    float peak = 0;
    double sum = 0;
    for (size_t i = start; i < end; ++i) {
      const float v = audio.samples[i];
      peak = std::max(peak, std::abs(v));
      sum += double(v) * v;
    }
    out.peak.push_back(std::min(1.0f, peak));
    out.rms.push_back(float(std::min(1.0, std::sqrt(sum / double(end - start)))));
  }
  out.visemeStatus = avatar::estimateVisemes(audio, &out.visemes);
  return out;
}

}  // namespace studio
