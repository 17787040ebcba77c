// Face analysis on a still photo: detection, 68 landmarks, the 5 alignment
// points. Used by the session and by front-ends (the studio's face overlay).
// Thread-safe: the nets are loaded once per Engine (on first use) and shared.
//
// Detectors, in order: face-api Tiny Face Detector (416 px input), SSD
// MobileNet v1, the tiny detector again at 608 px; OpenCV's Haar cascade
// (with a logged warning) only when no face-api detector is installed.
// Landmarks come from face-api's 68-point net (its tiny variant when only
// that is installed); without either, landmarks68 stays empty, alignment is
// estimated from the box and a warning is logged.
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

// 68 landmarks (iBUG order, frame pixels) for the face inside `box` on any
// frame, e.g. a rendered output frame: one landmark-net pass (112 x 112, a
// few ms on CPU), no detection. ModelMissing when no landmark net is
// installed; InvalidArgument for an empty frame or a box outside it.
Status landmarksInBox(const Engine& engine, const Image& frame, const RectF& box,
                      std::vector<PointF>* points);

}  // namespace avatar
