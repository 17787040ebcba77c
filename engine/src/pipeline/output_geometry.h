// Output frame size and how the photo is placed in it.
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "avatar/options.h"

namespace avatar::detail {

struct OutputGeometry {
  int width = 0;  // even, >= 16
  int height = 0;
  // Maps photo pixels to output pixels: out = photo * scale + offset.
  double scale = 1;
  cv::Point2d offset;
  std::vector<std::string> notes;  // e.g. "width 511 rounded to 510"
};

// `focus` (photo pixels) is kept in view when Cover crops; pass the photo's
// centre when no face is known.
OutputGeometry computeOutputGeometry(int photoWidth, int photoHeight, const RenderOptions& options,
                                     cv::Point2d focus);

// Places the photo into an output frame (resampled, cropped or padded).
cv::Mat composeFrame(const cv::Mat& photoRgb, const OutputGeometry& g, uint32_t backgroundRgb);

}  // namespace avatar::detail
