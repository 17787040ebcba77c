// detectFaces / analyseFace / landmarksInBox (public API in avatar/face.h).
#include <algorithm>
#include <cmath>

#include "avatar/face.h"
#include "avatar/log.h"
#include "core/engine_impl.h"
#include "face/face_landmarks.h"
#include "face/face_models.h"
#include "media/image_ops.h"

namespace avatar {
namespace {

constexpr int kMinFaceSidePx = 64;

struct Candidate {
  RectF box;
  float score = 0;
};

bool imageValid(const Image& image) {
  return !image.empty() && image.rgb.size() >= size_t(image.width) * image.height * 3;
}

// Haar boxes are tighter than face-api's (brows to lower lip, roughly); the
// landmark net was trained on face-api detector boxes, so widen them.
RectF landmarkBoxForHaar(const RectF& b) {
  const float grow = 0.15f;
  return {b.x - grow * b.width, b.y - 0.5f * grow * b.height, b.width * (1 + 2 * grow),
          b.height * (1 + 2 * grow)};
}

std::string detectorsTried(const detail::FaceModels& m) {
  std::string s;
  if (m.tiny) s += "tiny-face-detector at 416 and 608 px";
  if (m.ssd) s += std::string(s.empty() ? "" : ", ") + "ssd-mobilenet-v1";
  if (s.empty() && m.haar) s = "haar-cascade";
  return s;
}

Status runDetectors(const detail::FaceModels& m, const Image& photo, std::vector<Candidate>* found,
                    std::string* detector) {
  const nets::RgbView view{photo.rgb.data(), photo.width, photo.height, 0};
  struct Pass {
    const nets::FaceDetectorNet* net;
    int inputSize;
  };
  const Pass passes[] = {{m.tiny.get(), 416}, {m.ssd.get(), 512}, {m.tiny.get(), 608}};
  if (m.tiny || m.ssd) {
    for (const Pass& pass : passes) {
      if (!pass.net) continue;
      nets::DetectorOptions options;
      options.inputSize = pass.inputSize;
      std::vector<nets::FaceDetection> faces;
      std::string error;
      if (!pass.net->detect(view, options, &faces, &error)) {
        return Status::error(ErrorCode::Internal, pass.net->name(), error);
      }
      for (const nets::FaceDetection& f : faces) {
        found->push_back({{f.box.x, f.box.y, f.box.width, f.box.height}, f.score});
      }
      *detector = pass.net->name();
      if (!found->empty()) return Status::ok();
    }
    return Status::ok();
  }
  if (m.haar) {
    log(LogLevel::Warning, "face-api face detectors are not installed (" + m.tinyWhy +
                               "); falling back to OpenCV's Haar cascade, which is less accurate");
    for (const RectF& box : m.haar->detect(detail::imageView(photo))) {
      found->push_back({box, 1.f});
    }
    *detector = "haar-cascade";
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
    std::string detector;
    if (Status s = runDetectors(m, photo, &found, &detector); !s) return s;
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
      f.detector = detector;
      f.facesInPhoto = int(found.size());
      f.index = int(i);
      if (m.landmarks) {
        const RectF box = detector == "haar-cascade" ? landmarkBoxForHaar(f.box) : f.box;
        if (Status s = detail::landmarksInBox(engine, photo.rgb.data(), photo.width, photo.height,
                                              0, box, &f.landmarks68);
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
    if (size_t(faceIndex) >= faces.size()) {
      return Status::error(ErrorCode::NoFaceDetected, photoName,
                           std::to_string(faces.size()) + (faces.size() == 1 ? " face" : " faces") +
                               " found, index " + std::to_string(faceIndex) +
                               " requested (faces are numbered " + "0.." +
                               std::to_string(faces.size() - 1) + " from left to right)");
    }
    chosen = size_t(faceIndex);
  } else {
    for (size_t i = 1; i < faces.size(); ++i) {
      if (side(faces[i]) > side(faces[chosen])) chosen = i;
    }
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
