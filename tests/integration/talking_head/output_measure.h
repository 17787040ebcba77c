// Measures a rendered video from the file alone: decodes its frames and
// audio, runs the landmark net on every frame, and reports the mouth opening
// next to the loudness of the video's own audio track.
#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "avatar/engine.h"
#include "avatar/image.h"
#include "avatar/status.h"

namespace measure {

struct VideoMeasure {
  int fps = 0;
  std::vector<cv::Mat> frames;                         // RGB
  std::vector<double> mouthOpening;                    // inner-lip gap / face height, per frame
  std::vector<std::vector<avatar::PointF>> landmarks;  // 68 per frame
  std::vector<float> loudness;                         // of the video's audio track, per frame
};

// Decodes `video`; finds the face on its first frame and follows it: each
// frame's landmarks are found in the previous frame's face box.
avatar::Status measureVideo(const avatar::Engine& engine, const std::string& video,
                            VideoMeasure* out);

double pearson(const std::vector<double>& a, const std::vector<double>& b, int lag);

// PSNR of `a` against `b` over pixels where mask != 0.
double psnr(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask);

// espeak-ng phrases separated by `gapSec` of inserted digital silence;
// returns the known silent spans (start, end) in seconds.
bool speechWithGaps(const std::string& dir, const std::vector<std::string>& phrases, double gapSec,
                    std::string* wav, std::vector<std::pair<double, double>>* gaps);

}  // namespace measure
