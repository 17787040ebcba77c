#include "pipeline/gfpgan_enhancer.h"

#include <algorithm>
#include <cmath>

#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include "core/engine_impl.h"
#include "pipeline/net_loading.h"
#include "pipeline/wav2lip_renderer.h"

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
  const std::vector<cv::Point2f> src(pts.begin(), pts.end());
  const std::vector<cv::Point2f> dst(ffhqTemplate512().begin(), ffhqTemplate512().end());
  e->affine_ = cv::estimateAffinePartial2D(src, dst, cv::noArray(), cv::LMEDS);
  if (e->affine_.empty()) {
    return Status::error(ErrorCode::NoFaceDetected, "photo",
                         "cannot align the face to the FFHQ template (degenerate landmarks)");
  }
  cv::invertAffineTransform(e->affine_, e->inverse_);
  cv::Mat mask = softMask(e->inverse_, frameSize);
  cv::Mat nonzero = mask > 1e-4f;
  e->roi_ = cv::boundingRect(nonzero);
  if (e->roi_.empty()) {
    return Status::error(ErrorCode::NoFaceDetected, "photo",
                         "the face lies outside the output frame");
  }
  cv::Mat m = mask(e->roi_) * settings.strength;
  cv::merge(std::vector<cv::Mat>{m, m, m}, e->softMask_);
  e->inverse_.at<double>(0, 2) -= e->roi_.x;
  e->inverse_.at<double>(1, 2) -= e->roi_.y;
  e->net_ = std::move(net);
  e->settings_ = settings;
  e->settings_.batchSize = std::max(1, settings.batchSize);
  e->frameSize_ = frameSize;
  *out = std::move(e);
  return Status::ok();
}

Status GfpganEnhancer::enhance(const std::vector<cv::Mat*>& frames) const {
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
      cv::warpAffine(f, crop, affine_, cv::Size(kSize, kSize), cv::INTER_LINEAR,
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
      cv::Mat back;
      cv::warpAffine(restored, back, inverse_, roi_.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                     0);
      cv::Mat roi = (*frames[first + i])(roi_);
      cv::Mat img, face;
      roi.convertTo(img, CV_32FC3);
      back.convertTo(face, CV_32FC3);
      cv::Mat blended = img + softMask_.mul(face - img);
      blended.convertTo(roi, CV_8UC3);
    }
  }
  return Status::ok();
}

EnhancedRenderer::EnhancedRenderer(std::unique_ptr<FrameRenderer> inner,
                                   std::unique_ptr<GfpganEnhancer> enhancer, int frameCount)
    : inner_(std::move(inner)), enhancer_(std::move(enhancer)), frameCount_(frameCount) {}

Status EnhancedRenderer::render(int index, cv::Mat& out) {
  if (index < 0 || index >= frameCount_) {
    return Status::error(
        ErrorCode::InvalidArgument, "frame index",
        std::to_string(index) + " is outside 0.." + std::to_string(frameCount_ - 1));
  }
  const bool cached =
      cachedFirst_ >= 0 && index >= cachedFirst_ && index < cachedFirst_ + int(cached_.size());
  if (!cached) {
    // Sequential access enhances a batch from here on; random access one frame.
    const bool sequential = index == 0 || index == lastIndex_ + 1;
    const int n = std::min(sequential ? enhancer_->batchSize() : 1, frameCount_ - index);
    cachedFirst_ = -1;
    cached_.assign(size_t(n), cv::Mat());
    std::vector<cv::Mat*> frames;
    for (int i = 0; i < n; ++i) {
      if (Status s = inner_->render(index + i, cached_[size_t(i)]); !s) return s;
      frames.push_back(&cached_[size_t(i)]);
    }
    if (Status s = enhancer_->enhance(frames); !s) return s;
    cachedFirst_ = index;
  }
  lastIndex_ = index;
  cached_[size_t(index - cachedFirst_)].copyTo(out);
  return Status::ok();
}

Status addGfpganEnhancer(const Engine& engine, const RenderOptions& options,
                         const FaceInfo& photoFace, const OutputGeometry& geometry,
                         cv::Size frameSize, int frameCount,
                         std::unique_ptr<FrameRenderer>* renderer) {
  std::string why;
  const std::string path = engine.impl().modelFile("gfpgan", 0, &why);
  if (path.empty())
    return Status::error(ErrorCode::ModelMissing, "gfpgan", "GFPGAN weights: " + why);
  const nets::NetOptions netOptions = netOptionsFor(engine, options.device);
  std::shared_ptr<const nets::GfpganNet> net;
  if (Status s = loadGfpganNet(engine, "gfpgan", path, netOptions, &net); !s) return s;
  GfpganSettings settings;
  settings.strength = options.enhancerStrength;
  settings.batchSize = netOptions.cuda ? 8 : 1;
  std::unique_ptr<GfpganEnhancer> enhancer;
  if (Status s = GfpganEnhancer::create(std::move(net), mapFaceToFrame(photoFace, geometry),
                                        frameSize, settings, &enhancer);
      !s) {
    return s;
  }
  *renderer =
      std::make_unique<EnhancedRenderer>(std::move(*renderer), std::move(enhancer), frameCount);
  return Status::ok();
}

}  // namespace avatar::detail
