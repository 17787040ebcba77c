#include "pipeline/output_geometry.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace avatar::detail {
namespace {

int evenAtLeast16(double v) {
  return std::max(16, int(std::floor(v / 2.0)) * 2);
}

}  // namespace

OutputGeometry computeOutputGeometry(int pw, int ph, const RenderOptions& o, cv::Point2d focus) {
  OutputGeometry g;
  double w = o.width;
  double h = o.height;
  if (w <= 0 && h <= 0) {
    const double s = std::min(1.0, double(o.maxSidePx) / std::max(pw, ph));
    w = pw * s;
    h = ph * s;
  } else if (w <= 0) {
    w = h * pw / ph;
  } else if (h <= 0) {
    h = w * ph / pw;
  }
  g.width = evenAtLeast16(w);
  g.height = evenAtLeast16(h);
  if (o.width > 0 && g.width != o.width) {
    g.notes.push_back("width " + std::to_string(o.width) + " rounded to " +
                      std::to_string(g.width) + " (H.264 4:2:0 needs even sizes)");
  }
  if (o.height > 0 && g.height != o.height) {
    g.notes.push_back("height " + std::to_string(o.height) + " rounded to " +
                      std::to_string(g.height) + " (H.264 4:2:0 needs even sizes)");
  }
  const double sx = double(g.width) / pw;
  const double sy = double(g.height) / ph;
  g.scale = o.fit == FitMode::Cover ? std::max(sx, sy) : std::min(sx, sy);
  const double sw = pw * g.scale;
  const double sh = ph * g.scale;
  if (o.fit == FitMode::Cover) {
    // Keep the focus point as central as the crop allows.
    const double ox = g.width / 2.0 - focus.x * g.scale;
    const double oy = g.height / 2.0 - focus.y * g.scale;
    g.offset.x = std::clamp(ox, g.width - sw, 0.0);
    g.offset.y = std::clamp(oy, g.height - sh, 0.0);
  } else {
    g.offset.x = (g.width - sw) / 2.0;
    g.offset.y = (g.height - sh) / 2.0;
  }
  return g;
}

cv::Mat composeFrame(const cv::Mat& photo, const OutputGeometry& g, uint32_t bg) {
  const cv::Scalar background((bg >> 16) & 0xFF, (bg >> 8) & 0xFF, bg & 0xFF);
  cv::Mat out;
  const cv::Matx23d m(g.scale, 0, g.offset.x, 0, g.scale, g.offset.y);
  const int interp = g.scale < 1.0 ? cv::INTER_AREA : cv::INTER_CUBIC;
  if (interp == cv::INTER_AREA) {
    // warpAffine has no area filter: shrink first, then place.
    cv::Mat small;
    cv::resize(photo, small, cv::Size(), g.scale, g.scale, cv::INTER_AREA);
    const double fx = double(small.cols) / photo.cols;
    const double fy = double(small.rows) / photo.rows;
    const cv::Matx23d m2(g.scale / fx, 0, g.offset.x, 0, g.scale / fy, g.offset.y);
    cv::warpAffine(small, out, m2, cv::Size(g.width, g.height), cv::INTER_LINEAR,
                   cv::BORDER_CONSTANT, background);
  } else {
    cv::warpAffine(photo, out, m, cv::Size(g.width, g.height), cv::INTER_CUBIC, cv::BORDER_CONSTANT,
                   background);
  }
  return out;
}

}  // namespace avatar::detail
