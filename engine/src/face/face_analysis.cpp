// detectFaces / analyseFace / landmarksInBox (public API in avatar/face.h).
#include <algorithm>
#include <cmath>

#include "avatar/face.h"
#include "avatar/face_choice.h"
#include "avatar/log.h"
#include "core/engine_impl.h"
#include "face/face_landmarks.h"
#include "face/face_models.h"
#include "media/image_ops.h"

#include <opencv2/imgproc.hpp>

namespace avatar {
namespace {

constexpr int kMinFaceSidePx = 64;
constexpr float kMaxLandmarkFollow = 0.35f;  // see detail::landmarkBoxFollow

struct Candidate {
  RectF box;
  float score = 0;
  std::string detector;
};

bool imageValid(const Image& image) {
  return !image.empty() && image.rgb.size() >= size_t(image.width) * image.height * 3;
}

// Haar boxes are tighter than face-api's (brows to lower lip, roughly); the
// landmark net was trained on face-api detector boxes, so Haar faces get a
// widened box.
RectF landmarkBoxForHaar(const RectF& b) {
  const float grow = 0.15f;
  return {b.x - grow * b.width, b.y - 0.5f * grow * b.height, b.width * (1 + 2 * grow),
          b.height * (1 + 2 * grow)};
}

std::string detectorsTried(const detail::FaceModels& m) {
  std::string s;
  if (m.ssd) s += "ssd-mobilenet-v1";
  if (m.tiny) s += std::string(s.empty() ? "" : ", ") + "tiny-face-detector";
  if (s.empty() && m.haar) s = "haar-cascade";
  return s;
}

float iou(const RectF& a, const RectF& b) {
  const float w = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
  const float h = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return w * h / (a.width * a.height + b.width * b.height - w * h);
}

// The detectors see at most 608 px, so big photos are shrunk first (area
// averaging), which also bounds the nets' float buffers.
struct DetectionImage {
  cv::Mat rgb;
  float scaleX = 1, scaleY = 1;  // photo pixels per detection pixel
};

DetectionImage forDetection(const Image& photo) {
  constexpr int kMaxSide = 1024;
  DetectionImage d{detail::imageView(photo)};
  const int side = std::max(photo.width, photo.height);
  if (side <= kMaxSide) return d;
  const double f = double(kMaxSide) / side;
  cv::resize(d.rgb, d.rgb, cv::Size(), f, f, cv::INTER_AREA);
  d.scaleX = float(photo.width) / float(d.rgb.cols);
  d.scaleY = float(photo.height) / float(d.rgb.rows);
  return d;
}

Status detectWith(const nets::FaceDetectorNet& net, const DetectionImage& image, int inputSize,
                  std::vector<Candidate>* found) {
  nets::DetectorOptions options;
  options.inputSize = inputSize;
  std::vector<nets::FaceDetection> faces;
  std::string error;
  const nets::RgbView view{image.rgb.data, image.rgb.cols, image.rgb.rows, int(image.rgb.step)};
  if (!net.detect(view, options, &faces, &error)) {
    return Status::error(ErrorCode::Internal, net.name(), error);
  }
  for (const nets::FaceDetection& f : faces) {
    const RectF box{f.box.x * image.scaleX, f.box.y * image.scaleY, f.box.width * image.scaleX,
                    f.box.height * image.scaleY};
    found->push_back({box, f.score, net.name()});
  }
  return Status::ok();
}

// The tiny detector's boxes frame the whole face, which suits the landmark
// net best (and keeps its points anchored when the box moves); SSD is the
// better judge of whether a face is there at all. So: tiny-detector faces
// that SSD confirms (or that are very confident), plus SSD faces the tiny
// detector missed.
Status runFaceApiDetectors(const detail::FaceModels& m, const Image& photo,
                           std::vector<Candidate>* found) {
  constexpr float kConfidentAlone = 0.9f, kSameFaceIou = 0.3f;
  const DetectionImage image = forDetection(photo);
  std::vector<Candidate> tiny, ssd;
  if (m.ssd) {
    if (Status s = detectWith(*m.ssd, image, 512, &ssd); !s) return s;
  }
  if (m.tiny) {
    if (Status s = detectWith(*m.tiny, image, 416, &tiny); !s) return s;
    if (tiny.empty() && ssd.empty()) {
      if (Status s = detectWith(*m.tiny, image, 608, &tiny); !s) return s;
    }
  }
  for (const Candidate& t : tiny) {
    bool confirmed = !m.ssd || t.score >= kConfidentAlone;
    for (const Candidate& c : ssd) confirmed = confirmed || iou(t.box, c.box) >= kSameFaceIou;
    if (confirmed) found->push_back(t);
  }
  const size_t fromTiny = found->size();
  for (const Candidate& c : ssd) {
    bool seen = false;
    for (size_t i = 0; i < fromTiny; ++i)
      seen = seen || iou((*found)[i].box, c.box) >= kSameFaceIou;
    if (!seen) found->push_back(c);
  }
  return Status::ok();
}

Status runDetectors(const detail::FaceModels& m, const Image& photo,
                    std::vector<Candidate>* found) {
  if (m.tiny || m.ssd) return runFaceApiDetectors(m, photo, found);
  if (m.haar) {
    log(LogLevel::Warning, "face-api face detectors are not installed (" + m.tinyWhy +
                               "); falling back to OpenCV's Haar cascade, which is less accurate");
    for (const RectF& box : m.haar->detect(detail::imageView(photo))) {
      found->push_back({landmarkBoxForHaar(box), 1.f, "haar-cascade"});
    }
    return Status::ok();
  }
  return Status::error(ErrorCode::ModelMissing, "face detector",
                       "no face detector is installed: " + m.tinyWhy + "; " + m.haarWhy);
}

std::string pixels(float v) {
  return std::to_string(int(std::lround(v))) + " px";
}

}  // namespace

Status detectFaces(const Engine& engine, const Image& photo, std::vector<FaceInfo>* faces) {
  faces->clear();
  if (!imageValid(photo)) return Status::error(ErrorCode::InvalidArgument, "photo", "empty image");
  try {
    const detail::FaceModels& m = engine.impl().faceModels();
    if (!m.loadError.isOk()) return m.loadError;
    std::vector<Candidate> found;
    if (Status s = runDetectors(m, photo, &found); !s) return s;
    std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
      return a.box.x + a.box.width / 2 < b.box.x + b.box.width / 2;
    });
    if (!found.empty() && !m.landmarks) {
      log(LogLevel::Warning, "no face landmark net is installed (" + m.landmarksWhy +
                                 "); face alignment points are estimated from the face box");
    }
    for (size_t i = 0; i < found.size(); ++i) {
      FaceInfo f;
      f.found = true;
      f.box = found[i].box;
      f.score = found[i].score;
      f.detector = found[i].detector;
      f.facesInPhoto = int(found.size());
      f.index = int(i);
      if (m.landmarks) {
        if (Status s = detail::landmarksInBox(engine, photo.rgb.data(), photo.width, photo.height,
                                              0, f.box, &f.landmarks68);
            !s) {
          return s;
        }
        f.alignment = detail::alignmentFrom68(f.landmarks68);
      } else {
        f.alignment = detail::alignmentFromBox(f.box);
      }
      faces->push_back(std::move(f));
    }
    return Status::ok();
  } catch (const std::exception& e) {
    faces->clear();
    return Status::error(ErrorCode::Internal, "face detection", e.what());
  }
}

int chooseFace(const std::vector<FaceInfo>& faces, int faceIndex) {
  if (faces.empty()) return -1;
  if (faceIndex >= 0) return size_t(faceIndex) < faces.size() ? faceIndex : -1;
  auto side = [](const FaceInfo& f) { return std::min(f.box.width, f.box.height); };
  size_t chosen = 0;
  for (size_t i = 1; i < faces.size(); ++i) {
    if (side(faces[i]) > side(faces[chosen])) chosen = i;
  }
  return int(chosen);
}

Status analyseFace(const Engine& engine, const Image& photo, const std::string& photoName,
                   int faceIndex, FaceInfo* face) {
  *face = FaceInfo{};
  if (faceIndex < -1) {
    return Status::error(ErrorCode::InvalidArgument, "faceIndex",
                         "must be -1 (the largest face) or 0, 1, ... (faces left to right)");
  }
  if (!imageValid(photo)) {
    return Status::error(ErrorCode::InvalidArgument, photoName, "empty image");
  }
  std::vector<FaceInfo> faces;
  if (Status s = detectFaces(engine, photo, &faces); !s) {
    return s.addContext("while looking for a face in " + photoName);
  }
  const std::string size = std::to_string(photo.width) + "x" + std::to_string(photo.height);
  if (faces.empty()) {
    return Status::error(ErrorCode::NoFaceDetected, photoName,
                         "no face found in the " + size + " image (tried " +
                             detectorsTried(engine.impl().faceModels()) + ")");
  }
  auto side = [](const FaceInfo& f) { return std::min(f.box.width, f.box.height); };
  size_t chosen = 0;
  if (faceIndex >= 0) {
    if (chooseFace(faces, faceIndex) < 0) {
      return Status::error(ErrorCode::NoFaceDetected, photoName,
                           std::to_string(faces.size()) + (faces.size() == 1 ? " face" : " faces") +
                               " found, index " + std::to_string(faceIndex) +
                               " requested (faces are numbered " + "0.." +
                               std::to_string(faces.size() - 1) + " from left to right)");
    }
    chosen = size_t(faceIndex);
  } else {
    chosen = size_t(chooseFace(faces, -1));
  }
  const FaceInfo& f = faces[chosen];
  const std::string which =
      faceIndex >= 0 ? "face " + std::to_string(chosen) + " of " + std::to_string(faces.size())
                     : (faces.size() == 1 ? "the only face" : "the largest face");
  if (side(f) < kMinFaceSidePx) {
    return Status::error(ErrorCode::NoFaceDetected, photoName,
                         which + " is " + pixels(side(f)) + "; at least " +
                             std::to_string(kMinFaceSidePx) + " px needed (use a larger photo)");
  }
  if (!f.landmarks68.empty()) {
    if (std::string problem = detail::landmarkSanityProblem(f.landmarks68, f.box);
        !problem.empty()) {
      return Status::error(ErrorCode::NoFaceDetected, photoName,
                           which + " (" + f.detector + ", box at " + pixels(f.box.x) + ", " +
                               pixels(f.box.y) + ") failed the landmark check: " + problem);
    }
    float follow = 0;
    if (Status s = detail::landmarkBoxFollow(engine, photo.rgb.data(), photo.width, photo.height,
                                             f.box, f.landmarks68, &follow);
        !s) {
      return s;
    }
    if (follow > kMaxLandmarkFollow) {
      char value[16];
      std::snprintf(value, sizeof value, "%.2f", follow);
      return Status::error(ErrorCode::NoFaceDetected, photoName,
                           which + " (" + f.detector + ", box at " + pixels(f.box.x) + ", " +
                               pixels(f.box.y) + ") is probably not a face: its landmarks move " +
                               "with the box instead of staying on facial features (" + value +
                               "; faces stay under 0.35)");
    }
  }
  *face = f;
  return Status::ok();
}

Status landmarksInBox(const Engine& engine, const Image& frame, const RectF& box,
                      std::vector<PointF>* points) {
  points->clear();
  if (!imageValid(frame)) return Status::error(ErrorCode::InvalidArgument, "frame", "empty image");
  try {
    return detail::landmarksInBox(engine, frame.rgb.data(), frame.width, frame.height, 0, box,
                                  points);
  } catch (const std::exception& e) {
    return Status::error(ErrorCode::Internal, "face landmarks", e.what());
  }
}

}  // namespace avatar
