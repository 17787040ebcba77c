// Face analysis on a still photo: detection, 68 landmarks, the 5 alignment
// points. Used by the session and by front-ends (the studio's face overlay).
// Thread-safe: the nets are loaded once per Engine and shared.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "avatar/engine.h"
#include "avatar/image.h"
#include "avatar/status.h"

namespace avatar {

struct FaceInfo {
  bool found = false;
  RectF box;                          // in photo pixels
  std::vector<PointF> landmarks68;    // iBUG 68-point order; empty when only a box is known
  std::array<PointF, 5> alignment{};  // left eye, right eye, nose tip, left/right mouth corner
  float score = 0;
  std::string detector;  // "tiny-face-detector", "ssd-mobilenet-v1", "haar-cascade"
  int facesInPhoto = 0;  // how many faces the detector found
  int index = 0;         // which of them this is (left to right)
};

// Every face in the photo, left to right, each with landmarks.
Status detectFaces(const Engine& engine, const Image& photo, std::vector<FaceInfo>* faces);

// The face to animate: the largest (faceIndex -1) or faces[faceIndex].
// Fails with NoFaceDetected naming `photoName` and what was found when there
// is no face, it is smaller than 64 px, or its landmarks fail a sanity check.
Status analyseFace(const Engine& engine, const Image& photo, const std::string& photoName,
                   int faceIndex, FaceInfo* face);

}  // namespace avatar
