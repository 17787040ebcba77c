// The face as the renderer sees it: landmark curves and measures in a
// face-aligned frame (x along the eyes, y down the face), derived once from
// the 68 landmarks of the still photo (in output-frame pixels).
#pragma once

#include <array>
#include <vector>

#include <opencv2/core.hpp>

namespace avatar::detail {

// A polyline sorted by x; y(x) interpolates linearly and extends flat.
struct Curve {
  std::vector<cv::Point2f> pts;
  float yAt(float x) const;
};

struct EyeRig {
  Curve upperLid, lowerLid;
  float xInner = 0, xOuter = 0;  // corners (min/max x)
  float browY = 0;               // mean brow height above this eye
  float maxGap = 0;              // widest lid opening
};

struct FaceRig {
  // Face frame: p_face = R^T (p_img - origin); p_img = R p_face + origin.
  cv::Point2f origin;
  float cosA = 1, sinA = 0;  // rotation of the face's x axis in the image

  std::array<cv::Point2f, 68> lm;  // landmarks in the face frame
  float faceHeight = 0;            // brows to chin
  float faceHalfWidth = 0;
  float mouthHalfWidth = 0;
  float mouthCenterX = 0;
  float mouthCenterY = 0;
  float noseBaseY = 0;
  float chinY = 0;
  Curve innerUpper, innerLower;  // 60-61-62-63-64 and 60-67-66-65-64
  Curve outerUpper, outerLower;  // 48..54 and 48,59..55,54
  Curve jawLine;                 // 0..16 (lower face contour)
  float sourceGap = 0;           // mean inner-lip opening of the photo
  bool sourceMouthOpen = false;  // teeth/interior visible in the photo
  EyeRig eyes[2];
  cv::Point2f headCenter;  // ellipse that moves with the head
  float headRadiusX = 0, headRadiusY = 0;
  cv::Point2f neckPivot;  // where the head rotates

  cv::Point2f toFace(cv::Point2f img) const;
  cv::Point2f toImage(cv::Point2f face) const;
  cv::Point2f vecToImage(cv::Point2f v) const;
};

// Fails (returns false) when the landmarks are degenerate.
bool buildFaceRig(const std::vector<cv::Point2f>& landmarksImage, FaceRig* rig);

}  // namespace avatar::detail
