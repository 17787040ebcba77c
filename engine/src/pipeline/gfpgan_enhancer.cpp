#include "pipeline/gfpgan_enhancer.h"

#include <algorithm>
#include <cmath>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include "core/engine_impl.h"
#include "pipeline/net_loading.h"

namespace avatar::detail {
namespace {

constexpr int kSize = nets::GfpganNet::kSize;  // 512
const cv::Scalar kBorderRgb(132, 133, 135);    // (135, 133, 132) in the official BGR

cv::Point2f mean(const std::vector<PointF>& pts, int from, int to) {
  cv::Point2f m(0, 0);
  for (int i = from; i <= to; ++i) m += cv::Point2f(pts[size_t(i)].x, pts[size_t(i)].y);
  return m / float(to - from + 1);
}

// The official paste mask: the crop square warped back, eroded, feathered.
cv::Mat softMask(const cv::Mat& inverse, cv::Size frame) {
  cv::Mat ones(kSize, kSize, CV_32F, cv::Scalar(1.0));
  cv::Mat mask;
  cv::warpAffine(ones, mask, inverse, frame, cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
  cv::erode(mask, mask, cv::Mat::ones(2, 2, CV_8U));
  const int edge = int(std::sqrt(cv::sum(mask)[0])) / 20;
  if (edge > 0) {
    cv::erode(mask, mask, cv::Mat::ones(2 * edge, 2 * edge, CV_8U));
    cv::GaussianBlur(mask, mask, cv::Size(2 * edge + 1, 2 * edge + 1), 0);
  }
  return mask;
}

}  // namespace

const std::array<cv::Point2f, 5>& ffhqTemplate512() {
  static const std::array<cv::Point2f, 5> t = {
      cv::Point2f(192.98138f, 239.94708f), cv::Point2f(318.90277f, 240.1936f),
      cv::Point2f(256.63416f, 314.01935f), cv::Point2f(201.26117f, 371.41043f),
      cv::Point2f(313.08905f, 371.15118f)};
  return t;
}

bool gfpganAlignmentPoints(const FaceInfo& face, std::array<cv::Point2f, 5>* out) {
  if (face.landmarks68.size() == 68) {
    const auto& l = face.landmarks68;
    *out = {mean(l, 36, 41), mean(l, 42, 47), cv::Point2f(l[30].x, l[30].y),
            cv::Point2f(l[48].x, l[48].y), cv::Point2f(l[54].x, l[54].y)};
    return true;
  }
  bool any = false;
  for (size_t i = 0; i < 5; ++i) {
    (*out)[i] = cv::Point2f(face.alignment[i].x, face.alignment[i].y);
    any = any || face.alignment[i].x != 0 || face.alignment[i].y != 0;
  }
  return face.found && any;
}

Status gfpganAlign(const std::array<cv::Point2f, 5>& pts, cv::Size frameSize, double strength,
                   GfpganAlignment* out) {
  GfpganAlignment a;
  a.points = pts;
  const std::vector<cv::Point2f> src(pts.begin(), pts.end());
  const std::vector<cv::Point2f> dst(ffhqTemplate512().begin(), ffhqTemplate512().end());
  a.affine = cv::estimateAffinePartial2D(src, dst, cv::noArray(), cv::LMEDS);
  if (a.affine.empty()) {
    return Status::error(ErrorCode::NoFaceDetected, "photo",
                         "cannot align the face to the FFHQ template (degenerate landmarks)");
  }
  cv::invertAffineTransform(a.affine, a.inverse);
  cv::Mat mask = softMask(a.inverse, frameSize);
  cv::Mat nonzero = mask > 1e-4f;
  a.roi = cv::boundingRect(nonzero);
  if (a.roi.empty()) {
    return Status::error(ErrorCode::NoFaceDetected, "photo",
                         "the face lies outside the output frame");
  }
  cv::Mat m = mask(a.roi) * strength;
  cv::merge(std::vector<cv::Mat>{m, m, m}, a.softMask);
  a.inverse.at<double>(0, 2) -= a.roi.x;
  a.inverse.at<double>(1, 2) -= a.roi.y;
  *out = std::move(a);
  return Status::ok();
}

Status GfpganEnhancer::create(std::shared_ptr<const nets::GfpganNet> net, const FaceInfo& face,
                              cv::Size frameSize, const GfpganSettings& settings,
                              std::unique_ptr<GfpganEnhancer>* out) {
  if (!net) return Status::error(ErrorCode::Internal, "gfpgan", "no net given");
  if (!(settings.strength >= 0 && settings.strength <= 1)) {
    return Status::error(ErrorCode::InvalidArgument, "enhancerStrength", "must be within 0..1");
  }
  std::array<cv::Point2f, 5> pts;
  if (!gfpganAlignmentPoints(face, &pts)) {
    return Status::error(ErrorCode::NoFaceDetected, "photo",
                         "GFPGAN needs face landmarks (or the 5 alignment points)");
  }
  std::unique_ptr<GfpganEnhancer> e(new GfpganEnhancer());
  if (Status s = gfpganAlign(pts, frameSize, settings.strength, &e->align_); !s) return s;
  e->net_ = std::move(net);
  e->settings_ = settings;
  e->settings_.batchSize = std::max(1, settings.batchSize);
  e->frameSize_ = frameSize;
  *out = std::move(e);
  return Status::ok();
}

Status GfpganEnhancer::enhance(const std::vector<cv::Mat*>& frames,
                               const std::vector<const GfpganAlignment*>& alignments) const {
  if (!alignments.empty() && alignments.size() != frames.size()) {
    return Status::error(ErrorCode::Internal, "gfpgan", "one alignment per frame expected");
  }
  auto alignOf = [&](size_t i) -> const GfpganAlignment& {
    return alignments.empty() ? align_ : *alignments[i];
  };
  const size_t plane = size_t(kSize) * kSize;
  for (size_t first = 0; first < frames.size(); first += size_t(settings_.batchSize)) {
    const size_t n = std::min(size_t(settings_.batchSize), frames.size() - first);
    std::vector<float> input(n * 3 * plane), output(n * 3 * plane);
    for (size_t i = 0; i < n; ++i) {
      const cv::Mat& f = *frames[first + i];
      if (f.size() != frameSize_ || f.type() != CV_8UC3) {
        return Status::error(ErrorCode::Internal, "gfpgan", "frame size changed after setup");
      }
      cv::Mat crop;
      cv::warpAffine(f, crop, alignOf(first + i).affine, cv::Size(kSize, kSize), cv::INTER_LINEAR,
                     cv::BORDER_CONSTANT, kBorderRgb);
      float* in = input.data() + i * 3 * plane;
      for (int y = 0; y < kSize; ++y) {
        const auto* row = crop.ptr<cv::Vec3b>(y);
        for (int x = 0; x < kSize; ++x) {
          for (int c = 0; c < 3; ++c) {
            in[size_t(c) * plane + size_t(y) * kSize + size_t(x)] = float(row[x][c]) / 127.5f - 1.f;
          }
        }
      }
    }
    if (nets::NetStatus s = net_->run(int(n), input.data(), output.data()); !s) return toStatus(s);
    for (size_t i = 0; i < n; ++i) {
      const float* o = output.data() + i * 3 * plane;
      cv::Mat restored(kSize, kSize, CV_8UC3);
      for (int y = 0; y < kSize; ++y) {
        auto* row = restored.ptr<cv::Vec3b>(y);
        for (int x = 0; x < kSize; ++x) {
          for (int c = 0; c < 3; ++c) {
            const float v =
                std::clamp(o[size_t(c) * plane + size_t(y) * kSize + size_t(x)], -1.f, 1.f);
            row[x][c] = uchar(std::lround((v + 1.f) * 127.5f));
          }
        }
      }
      const GfpganAlignment& a = alignOf(first + i);
      cv::Mat back;
      cv::warpAffine(restored, back, a.inverse, a.roi.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                     0);
      cv::Mat roi = (*frames[first + i])(a.roi);
      cv::Mat img, face;
      roi.convertTo(img, CV_32FC3);
      back.convertTo(face, CV_32FC3);
      cv::Mat blended = img + a.softMask.mul(face - img);
      blended.convertTo(roi, CV_8UC3);
    }
  }
  return Status::ok();
}

Status GfpganStage::process(std::vector<FrameContext>& frames) {
  std::vector<cv::Mat*> images;
  std::vector<GfpganAlignment> aligns(frames.size());
  std::vector<const GfpganAlignment*> alignPtrs;
  for (size_t i = 0; i < frames.size(); ++i) {
    FrameContext& ctx = frames[i];
    std::array<cv::Point2f, 5> pts;
    if (!gfpganAlignmentPoints(ctx.face, &pts)) {
      return Status::error(ErrorCode::NoFaceDetected, "frame " + std::to_string(ctx.index),
                           "GFPGAN needs face landmarks (or the 5 alignment points)");
    }
    if (last_.affine.empty() || pts != last_.points) {
      if (Status s = gfpganAlign(pts, frameSize_, enhancer_->settings().strength, &last_); !s) {
        return s;
      }
    }
    aligns[i] = last_;
    images.push_back(&ctx.pixels());
  }
  for (const auto& a : aligns) alignPtrs.push_back(&a);
  return enhancer_->enhance(images, alignPtrs);
}

Status makeGfpganStage(const StageSetup& setup, std::unique_ptr<Stage>* out) {
  const Engine& engine = *setup.engine;
  std::string why;
  const std::string path = engine.impl().modelFile("gfpgan", 0, &why);
  if (path.empty())
    return Status::error(ErrorCode::ModelMissing, "gfpgan", "GFPGAN weights: " + why);
  const nets::NetOptions netOptions = netOptionsFor(engine, setup.options.device);
  std::shared_ptr<const nets::GfpganNet> net;
  if (Status s = loadGfpganNet(engine, "gfpgan", path, netOptions, &net); !s) return s;
  GfpganSettings settings;
  settings.strength = setup.options.enhancerStrength;
  settings.batchSize = netOptions.cuda ? 8 : 1;
  std::unique_ptr<GfpganEnhancer> enhancer;
  if (Status s = GfpganEnhancer::create(std::move(net), setup.face, setup.baseFrame.size(),
                                        settings, &enhancer);
      !s) {
    return s;
  }
  *out = std::make_unique<GfpganStage>(std::move(enhancer), setup.baseFrame.size());
  return Status::ok();
}

}  // namespace avatar::detail
