// Shared by the face tests: an Engine on the source tree's models, photo
// loading with skip messages, overlays written for people to look at.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "avatar/engine.h"
#include "avatar/face.h"
#include "avatar/image.h"
#include "test_support.h"

namespace face_test {

// Where face-api's files should be; "" when they are not installed.
inline std::string faceApiDir() {
  const std::string dir = avatar_test::modelsDir() + "/face-api";
  for (const char* f : {"tiny_face_detector_model.bin", "face_landmark_68_model.bin",
                        "ssd_mobilenetv1_model.bin", "face_landmark_68_tiny_model.bin"}) {
    if (!std::filesystem::exists(dir + "/" + f)) return {};
  }
  return dir;
}

inline const char* kHaarPath =
    "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

// An Engine on `modelsDir` ("" = AVATAR_MODELS_DIR, one Engine shared by
// all tests), 1 CPU thread.
std::shared_ptr<const avatar::Engine> makeEngine(const std::string& modelsDir = "");

// The photo at `path` as RGB (test fails when it cannot be loaded).
avatar::Image loadPhoto(const std::string& path);

// Photos: the path, or "" when absent (the caller skips).
inline std::string astronaut() {
  return avatar_test::demoInput("astronaut.png");
}
inline std::string facePhoto(const char* name) {
  return avatar_test::testdata(std::string("faces/") + name);
}

cv::Mat toMat(const avatar::Image& image);  // RGB, a copy
avatar::Image fromMat(const cv::Mat& rgb);

// Draws the box, the 68 points and the 5 alignment points; writes
// $AVATAR_TEST_TMP/face-overlays/<name>.png (kept after the test).
void writeOverlay(const avatar::Image& image, const avatar::FaceInfo& face,
                  const std::string& name);

struct Box {  // x0, y0, x1, y1 in photo pixels
  float x0, y0, x1, y1;
  bool contains(avatar::PointF p) const { return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1; }
  avatar::PointF centre() const { return {(x0 + x1) / 2, (y0 + y1) / 2}; }
};

// Where the eye centres and mouth corners are in each test photo, read off
// zoomed crops with a pixel grid by eye (not from any net's output).
struct Reference {
  const char* name;
  std::string path;                              // "" when the photo is absent
  Box eyeLeft, eyeRight, mouthLeft, mouthRight;  // image left/right
};
std::vector<Reference> references();

// Checks the alignment points (except the nose) against the reference boxes
// grown by `slack` eye distances, and prints each distance to the box centre
// in eye distances.
void expectMatches(const Reference& ref, const avatar::FaceInfo& face, const std::string& tag,
                   float slack = 0);

}  // namespace face_test

#define FACE_SKIP_UNLESS_MODELS()                                                       \
  AVATAR_SKIP_UNLESS(!face_test::faceApiDir().empty(),                                  \
                     "face-api models not installed under $AVATAR_MODELS_DIR/face-api " \
                     "(scripts/setup.sh --models)")
