// Per-frame signals of a driver track computed over the whole video:
// blinks from the eyes' pixels and the temporal smoothing of the measures.
#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "avatar/driver.h"

namespace avatar::detail {

// How tall the dark band in the middle of an eye is (0 .. 14 rows of an
// aligned patch): the iris when open, the lash line when shut; `first` is
// 36 (image-left eye) or 42.
float irisOpening(const cv::Mat& rgb, const std::vector<PointF>& landmarks, int first);

// Sets frames[i].blink from both eyes' opening per frame.
void blinksFromIris(const std::vector<float>& iris, std::vector<DriverFrame>& frames, double fps);

// Zero-phase Gaussian smoothing of the measures (pose 40 ms, eyes barely).
void smoothMeasures(std::vector<DriverFrame>& frames, double fps);

}  // namespace avatar::detail
