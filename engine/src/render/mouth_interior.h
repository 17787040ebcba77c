// What shows between parted lips: the photo's own teeth and interior when its
// mouth is open, otherwise a synthesised cavity with upper teeth (and lower
// teeth and tongue when the mouth opens wide).
#pragma once

#include <opencv2/core.hpp>

#include "render/face_field.h"
#include "render/face_rig.h"
#include "render/warp_map.h"

namespace avatar::detail {

// Colours measured once from the photo.
struct MouthPalette {
  cv::Vec3f lip{150, 80, 80};  // RGB
  cv::Vec3f teeth{232, 226, 214};
  cv::Vec3f cavity{45, 18, 20};
};

MouthPalette measurePalette(const cv::Mat& baseRgb, const FaceRig& rig);

// Draws the interior into `out` (RGB) where the target lips are apart.
void drawMouthInterior(const cv::Mat& baseRgb, const FaceRig& rig, const FieldParams& fp,
                       const TargetMouth& mouth, const MouthPalette& palette, float jawOpen,
                       cv::Mat& out);

}  // namespace avatar::detail
