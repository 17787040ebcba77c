// face-api (vladmandic/face-api, MIT) nets re-implemented on LibTorch:
// Tiny Face Detector, SSD MobileNet v1 face detector, 68-point landmarks
// (full and tiny). Weights are the tfjs files shipped with face-api
// (`*-weights_manifest.json` + `.bin`).
//
// No torch types here: images go in as 8-bit RGB buffers, boxes and points
// come out in image pixels, errors as bool + message.
// Thread-safety: a loaded net is immutable; detect()/landmarks() may be
// called from any number of threads at once. They run on the CPU with
// LibTorch's intra-op threads (see runtime.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace avatar::nets {

// A view of 8-bit RGB pixels owned by the caller.
struct RgbView {
  const uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int strideBytes = 0;  // bytes per row; 0 means 3 * width
};

struct BoxF {
  float x = 0;  // left, pixels
  float y = 0;  // top, pixels
  float width = 0;
  float height = 0;
};

struct Point2F {
  float x = 0;
  float y = 0;
};

struct FaceDetection {
  BoxF box;  // image pixels; may extend past the image border
  float score = 0;
};

struct DetectorOptions {
  // Tiny Face Detector: the net's input side, a multiple of 32 (416 is the
  // face-api default; 608 finds smaller faces). SSD always uses 512.
  int inputSize = 416;
  float minScore = 0.5f;
  // Boxes overlapping a better one by more than this IoU are dropped
  // (face-api: 0.4 for the tiny detector, 0.5 for SSD; < 0 = the net's default).
  float iouThreshold = -1;
  int maxResults = 100;
};

class FaceDetectorNet {
 public:
  virtual ~FaceDetectorNet() = default;
  virtual const char* name() const = 0;  // "tiny-face-detector" or "ssd-mobilenet-v1"
  // Faces in `image`, best score first.
  virtual bool detect(const RgbView& image, const DetectorOptions& options,
                      std::vector<FaceDetection>* faces, std::string* error) const = 0;
};

class LandmarkNet {
 public:
  virtual ~LandmarkNet() = default;
  virtual const char* name() const = 0;  // "face-landmark-68" or "face-landmark-68-tiny"
  // 68 points (iBUG 300-W order) in image pixels for the face inside `box`.
  // The box is clipped to the image, padded to a centred square and scaled
  // to the net's 112 x 112 input, as face-api does with detector boxes.
  virtual bool landmarks(const RgbView& image, const BoxF& box, std::vector<Point2F>* points,
                         std::string* error) const = 0;
};

// Loaders: nullptr with *error naming the file and the reason on failure.
std::unique_ptr<FaceDetectorNet> loadTinyFaceDetector(const std::string& manifestPath,
                                                      std::string* error);
std::unique_ptr<FaceDetectorNet> loadSsdMobilenetV1(const std::string& manifestPath,
                                                    std::string* error);
// The full (4 dense blocks) or tiny (3 blocks) landmark net, told apart by its weights.
std::unique_ptr<LandmarkNet> loadLandmarkNet(const std::string& manifestPath, std::string* error);

}  // namespace avatar::nets
