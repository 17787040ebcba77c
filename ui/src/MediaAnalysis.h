// Work done off the GUI thread when the user picks a photo or a sound file:
// decoding, face detection, the waveform envelope and the viseme track.
// Each function is blocking and thread-safe; run it with QtConcurrent.
#pragma once

#include <QImage>
#include <QString>
#include <QVector>
#include <memory>
#include <vector>

#include "avatar/engine.h"
#include "avatar/face.h"
#include "avatar/media.h"
#include "avatar/status.h"
#include "avatar/visemes.h"

namespace studio {

struct PhotoAnalysis {
  QString path;
  avatar::Status status;  // loading the photo
  QImage image;           // as the engine sees it (RGB, orientation applied)
  avatar::ImageInfo info;
  avatar::Status faceStatus;  // face detection (may fail while the photo is fine)
  std::vector<avatar::FaceInfo> faces;
  double loadMs = 0;
  double faceMs = 0;
};

PhotoAnalysis analysePhoto(std::shared_ptr<const avatar::Engine> engine, const QString& path);

// The face the engine animates: the largest (faceIndex -1) or faces[faceIndex].
int chosenFace(const std::vector<avatar::FaceInfo>& faces, int faceIndex);

struct AudioAnalysis {
  QString path;
  avatar::Status status;  // decoding
  avatar::AudioInfo info;
  double durationSec = 0;
  static constexpr int kBucketsPerSecond = 200;
  QVector<float> peak;  // max |sample| per bucket, 0..1
  QVector<float> rms;   // RMS per bucket, 0..1
  avatar::Status visemeStatus;
  avatar::VisemeTrack visemes;
  double decodeMs = 0;
};

AudioAnalysis analyseAudio(const QString& path);

}  // namespace studio
