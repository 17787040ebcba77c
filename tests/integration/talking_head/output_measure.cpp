#include "output_measure.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "avatar/face.h"
#include "avatar/media.h"
#include "avatar/visemes.h"

namespace measure {
namespace {

avatar::Image toImage(const cv::Mat& rgb) {
  avatar::Image img;
  img.width = rgb.cols;
  img.height = rgb.rows;
  img.rgb.assign(rgb.data, rgb.data + rgb.total() * 3);
  return img;
}

double opening(const std::vector<avatar::PointF>& p) {
  auto d = [&](int a, int b) { return std::hypot(p[a].x - p[b].x, p[a].y - p[b].y); };
  const double gap = (d(61, 67) + d(62, 66) + d(63, 65)) / 3;
  return gap / d(27, 8);
}

double soundDuration(const std::string& wav) {
  avatar::AudioSamples a;
  return avatar::decodeAudio(wav, 16000, &a) ? a.durationSec() : 0;
}

}  // namespace

avatar::Status measureVideo(const avatar::Engine& engine, const std::string& video,
                            VideoMeasure* out) {
  cv::VideoCapture cap(video, cv::CAP_FFMPEG);
  if (!cap.isOpened()) {
    return avatar::Status::error(avatar::ErrorCode::UnsupportedMedia, video, "cannot open");
  }
  out->fps = int(std::lround(cap.get(cv::CAP_PROP_FPS)));
  cv::Mat bgr;
  while (cap.read(bgr)) {
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    out->frames.push_back(rgb);
  }
  if (out->frames.empty()) {
    return avatar::Status::error(avatar::ErrorCode::UnsupportedMedia, video, "no frames");
  }
  avatar::FaceInfo face;
  if (avatar::Status s = avatar::analyseFace(engine, toImage(out->frames[0]), video, -1, &face);
      !s) {
    return s;
  }
  avatar::RectF box = face.box;
  for (const cv::Mat& f : out->frames) {
    std::vector<avatar::PointF> pts;
    if (avatar::Status s = avatar::landmarksInBox(engine, toImage(f), box, &pts); !s) return s;
    out->mouthOpening.push_back(opening(pts));
    out->landmarks.push_back(pts);
    float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
    for (const auto& p : pts) {
      x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x),
      y1 = std::max(y1, p.y);
    }
    // Follow the head: re-centre the box on this frame's landmarks.
    const float cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    box.x = cx - box.width / 2;
    box.y = cy - box.height / 2;
  }
  avatar::AudioSamples audio;
  if (avatar::Status s = avatar::decodeAudio(video, 16000, &audio); !s) return s;
  return avatar::computeLoudnessEnvelope(audio, out->fps, &out->loudness);
}

double pearson(const std::vector<double>& a, const std::vector<double>& b, int lag) {
  // Correlates a[i] with b[i + lag].
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  int n = 0;
  for (int i = 0; i < int(a.size()); ++i) {
    const int j = i + lag;
    if (j < 0 || j >= int(b.size())) continue;
    sa += a[i], sb += b[j], saa += a[i] * a[i], sbb += b[j] * b[j], sab += a[i] * b[j];
    ++n;
  }
  if (n < 3) return 0;
  const double cov = sab / n - sa / n * sb / n;
  const double va = saa / n - sa / n * sa / n, vb = sbb / n - sb / n * sb / n;
  return va > 0 && vb > 0 ? cov / std::sqrt(va * vb) : 0;
}

double psnr(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  diff.convertTo(diff, CV_64F);
  diff = diff.mul(diff);
  double sum = 0;
  long n = 0;
  for (int y = 0; y < a.rows; ++y) {
    for (int x = 0; x < a.cols; ++x) {
      if (!mask.empty() && !mask.at<uint8_t>(y, x)) continue;
      const cv::Vec3d d = diff.at<cv::Vec3d>(y, x);
      sum += d[0] + d[1] + d[2];
      n += 3;
    }
  }
  if (n == 0) return 0;
  const double mse = sum / double(n);
  return mse <= 1e-12 ? 99.0 : 10 * std::log10(255.0 * 255.0 / mse);
}

bool speechWithGaps(const std::string& dir, const std::vector<std::string>& phrases, double gapSec,
                    std::string* wav, std::vector<std::pair<double, double>>* gaps) {
  std::string parts;
  const std::string silence = dir + "/gap.wav";
  char cmd[512];
  std::snprintf(cmd, sizeof cmd, "sox -n -r 22050 -c 1 -b 16 %s trim 0.0 %.3f", silence.c_str(),
                gapSec);
  if (std::system(cmd) != 0) return false;
  double t = 0;
  for (size_t i = 0; i < phrases.size(); ++i) {
    const std::string p = dir + "/phrase" + std::to_string(i) + ".wav";
    const std::string say = "espeak-ng -v en-us -s 150 -w " + p + " \"" + phrases[i] + "\"";
    if (std::system(say.c_str()) != 0) return false;
    t += soundDuration(p);
    parts += p + " ";
    if (i + 1 < phrases.size()) {
      gaps->emplace_back(t, t + gapSec);
      t += gapSec;
      parts += silence + " ";
    }
  }
  *wav = dir + "/speech_gaps.wav";
  return std::system(("sox " + parts + *wav).c_str()) == 0;
}

}  // namespace measure
