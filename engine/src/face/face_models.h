// The face nets of one Engine: face-api detectors and landmark net (LibTorch,
// avatar_nets) and OpenCV's Haar cascade as the fallback detector. Loaded
// once per Engine by Engine::Impl::faceModels(); immutable afterwards, so
// every member may be used from any thread (the Haar detector serialises
// its own calls).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/objdetect.hpp>

#include "avatar/image.h"
#include "avatar/status.h"
#include "avatar_nets/face_api.h"

namespace avatar::detail {

class HaarFaceDetector {
 public:
  bool load(const std::string& path, std::string* error);
  // Face boxes in `rgb` (CV_8UC3), any order.
  std::vector<RectF> detect(const cv::Mat& rgb) const;

 private:
  mutable std::mutex mutex_;  // CascadeClassifier::detectMultiScale is not thread-safe
  mutable cv::CascadeClassifier cascade_;
};

struct FaceModels {
  std::unique_ptr<nets::FaceDetectorNet> tiny;  // face-api-tiny-face-detector
  std::unique_ptr<nets::FaceDetectorNet> ssd;   // face-api-ssd-mobilenet-v1
  // face-api-landmark-68, or its tiny variant when only that is installed.
  std::unique_ptr<nets::LandmarkNet> landmarks;
  std::unique_ptr<HaarFaceDetector> haar;  // opencv-haar-frontalface
  // Why a model is absent ("<file> is missing (get it with: ...)"), for messages.
  std::string tinyWhy, ssdWhy, landmarksWhy, haarWhy;
  // Set when an installed model file could not be read (ModelInvalid).
  Status loadError;
};

}  // namespace avatar::detail
