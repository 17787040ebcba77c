#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "driver/driver_signals.h"

namespace avatar::detail {
namespace {

// Zero-phase Gaussian smoothing of one measure over the frames.
template <typename Get>
void smooth(std::vector<DriverFrame>& frames, double sigma, Get get) {
  if (sigma <= 0 || frames.size() < 3) return;
  const int r = std::max(1, int(std::ceil(2.5 * sigma)));
  std::vector<double> w(size_t(2 * r + 1));
  for (int k = -r; k <= r; ++k) w[size_t(k + r)] = std::exp(-0.5 * k * k / (sigma * sigma));
  std::vector<float> in(frames.size());
  for (size_t i = 0; i < frames.size(); ++i) in[i] = get(frames[i].measures);
  const int n = int(frames.size());
  for (int i = 0; i < n; ++i) {
    double sum = 0, wsum = 0;
    for (int k = -r; k <= r; ++k) {
      const int j = std::clamp(i + k, 0, n - 1);
      sum += w[size_t(k + r)] * in[size_t(j)];
      wsum += w[size_t(k + r)];
    }
    get(frames[size_t(i)].measures) = float(sum / wsum);
  }
}

}  // namespace

void smoothMeasures(std::vector<DriverFrame>& frames, double fps) {
  const double pose = std::max(0.5, 0.04 * fps);  // 40 ms: the landmark net's jitter
  const double eyes = 0.012 * fps;                // blinks last 4-6 frames: barely
  smooth(frames, pose, [](FaceMeasures& m) -> float& { return m.yawDeg; });
  smooth(frames, pose, [](FaceMeasures& m) -> float& { return m.pitchDeg; });
  smooth(frames, pose, [](FaceMeasures& m) -> float& { return m.rollDeg; });
  smooth(frames, pose, [](FaceMeasures& m) -> float& { return m.center.x; });
  smooth(frames, pose, [](FaceMeasures& m) -> float& { return m.center.y; });
  smooth(frames, pose, [](FaceMeasures& m) -> float& { return m.size; });
  smooth(frames, pose, [](FaceMeasures& m) -> float& { return m.browHeight; });
  smooth(frames, pose, [](FaceMeasures& m) -> float& { return m.mouthWidth; });
  smooth(frames, 0.6 * pose, [](FaceMeasures& m) -> float& { return m.mouthOpen; });
  smooth(frames, eyes, [](FaceMeasures& m) -> float& { return m.eyeOpen[0]; });
  smooth(frames, eyes, [](FaceMeasures& m) -> float& { return m.eyeOpen[1]; });
}

// How tall the dark band in the middle of an eye is (rows of a 14-row
// patch aligned on the eye's corners, the eye's width over 21 of its 28
// columns, so pose and size cancel): the iris while the eye is open, only
// the lash line once it is shut. A row counts fully when it is darker than
// halfway from the skin (the patch's top or bottom row) to the darkest row,
// partly on the way there.
float irisOpening(const cv::Mat& rgb, const std::vector<PointF>& l, int first) {
  const PointF a = l[size_t(first)], b = l[size_t(first + 3)];
  const float w = std::hypot(b.x - a.x, b.y - a.y);
  const cv::Point2f c((a.x + b.x) / 2, (a.y + b.y) / 2);
  cv::Mat m = cv::getRotationMatrix2D(c, std::atan2(b.y - a.y, b.x - a.x) * 180 / CV_PI,
                                      28.0 / std::max(1.3 * w, 1.0));
  m.at<double>(0, 2) += 14 - c.x;
  m.at<double>(1, 2) += 7 - c.y;
  cv::Mat patch, grey, profile;
  cv::warpAffine(rgb, patch, m, cv::Size(28, 14), cv::INTER_AREA, cv::BORDER_REPLICATE);
  cv::cvtColor(patch, grey, cv::COLOR_RGB2GRAY);
  cv::reduce(grey(cv::Rect(11, 0, 6, 14)), profile, 1, cv::REDUCE_AVG, CV_32F);  // 14 x 1
  double darkest = 0, lightest = 0;
  cv::minMaxLoc(profile, &darkest, &lightest);
  const double skin = std::max(profile.at<float>(0), profile.at<float>(13));
  const double cut = darkest + 0.5 * (skin - darkest);
  const double span = std::max(cut - darkest, 1.0);
  float height = 0;
  for (int y = 0; y < 14; ++y) {
    height += float(std::clamp(2 * (cut - profile.at<float>(y)) / span, 0.0, 1.0));
  }
  return height;
}

// Blinks from both eyes' opening: its drop below the running median (over
// 1.2 s: head motion changes it slowly, a blink takes 400 ms at most), over
// the deepest drop. A video without blinks gets none: the drops must
// stand out of the noise.
void blinksFromIris(const std::vector<float>& iris, std::vector<DriverFrame>& frames, double fps) {
  const int n = int(frames.size());
  const int half = std::max(3, int(std::lround(0.6 * fps)));
  std::vector<float> drop(frames.size(), 0.0f), window;
  for (int i = 0; i < n; ++i) {
    window.clear();
    for (int k = std::max(0, i - half); k <= std::min(n - 1, i + half); ++k) {
      window.push_back(iris[size_t(k)]);
    }
    std::nth_element(window.begin(), window.begin() + std::ptrdiff_t(window.size() / 2),
                     window.end());
    const float median = window[window.size() / 2];
    drop[size_t(i)] = median > 0 ? std::max(0.0f, (median - iris[size_t(i)]) / median) : 0.0f;
  }
  std::vector<float> sorted = drop;
  std::sort(sorted.begin(), sorted.end());
  const float noise = sorted[size_t(0.75 * double(sorted.size() - 1))];
  const float peak = sorted.back();
  if (peak < std::max(0.08f, 4 * noise)) return;  // nothing stands out: no blinks
  for (size_t i = 0; i < frames.size(); ++i) {
    // Half the deepest drop is a shut eye: a half-shut lid would bring the
    // lashes over the iris, which reads (and looks) like an open eye.
    frames[i].blink = std::clamp((drop[i] - 3 * noise) / (0.5f * (peak - 3 * noise)), 0.0f, 1.0f);
  }
}

}  // namespace avatar::detail
