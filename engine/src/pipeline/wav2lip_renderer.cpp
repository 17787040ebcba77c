#include "pipeline/wav2lip_renderer.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/engine_impl.h"
#include "pipeline/net_loading.h"

namespace avatar::detail {
namespace {

constexpr int kSize = nets::Wav2LipNet::kFaceSize;   // 96
constexpr int kBands = nets::Wav2LipNet::kMelBands;  // 80
constexpr int kSteps = nets::Wav2LipNet::kMelSteps;  // 16
constexpr size_t kCachedBatches = 4;

cv::Point2f toFrame(const PointF& p, const OutputGeometry& g) {
  return {float(p.x * g.scale + g.offset.x), float(p.y * g.scale + g.offset.y)};
}

}  // namespace

FaceInfo mapFaceToFrame(const FaceInfo& f, const OutputGeometry& g) {
  FaceInfo out = f;
  out.box.x = float(f.box.x * g.scale + g.offset.x);
  out.box.y = float(f.box.y * g.scale + g.offset.y);
  out.box.width = float(f.box.width * g.scale);
  out.box.height = float(f.box.height * g.scale);
  for (auto& p : out.landmarks68) {
    const cv::Point2f q = toFrame(p, g);
    p = {q.x, q.y};
  }
  for (auto& p : out.alignment) {
    const cv::Point2f q = toFrame(p, g);
    p = {q.x, q.y};
  }
  return out;
}

cv::Rect wav2lipCrop(const RectF& box, const std::array<int, 4>& pads, cv::Size frame) {
  const int left = int(std::lround(box.x)), top = int(std::lround(box.y));
  const int right = int(std::lround(box.x + box.width));
  const int bottom = int(std::lround(box.y + box.height));
  const int y1 = std::max(0, top - pads[0]);
  const int y2 = std::min(frame.height, bottom + pads[1]);
  const int x1 = std::max(0, left - pads[2]);
  const int x2 = std::min(frame.width, right + pads[3]);
  return {x1, y1, std::max(0, x2 - x1), std::max(0, y2 - y1)};
}

void wav2lipFaceInput(const cv::Mat& cropRgb, float* out) {
  cv::Mat face;
  cv::resize(cropRgb, face, cv::Size(kSize, kSize), 0, 0, cv::INTER_LINEAR);
  const size_t plane = size_t(kSize) * kSize;
  for (int y = 0; y < kSize; ++y) {
    const auto* row = face.ptr<cv::Vec3b>(y);
    for (int x = 0; x < kSize; ++x) {
      for (int c = 0; c < 3; ++c) {
        const float v = float(row[x][2 - c]) / 255.f;  // BGR order, as cv2.imread gives
        const size_t at = size_t(y) * kSize + size_t(x);
        out[size_t(c) * plane + at] = y >= kSize / 2 ? 0.f : v;  // masked copy
        out[size_t(3 + c) * plane + at] = v;                     // reference
      }
    }
  }
}

cv::Mat wav2lipBlendMask(const cv::Rect& crop, const FaceInfo& face) {
  cv::Mat mask = cv::Mat::zeros(crop.size(), CV_32F);
  if (face.landmarks68.size() == 68) {
    std::vector<cv::Point> pts;
    for (int i : {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 35, 29, 31}) {
      pts.emplace_back(int(std::lround(face.landmarks68[size_t(i)].x - float(crop.x))),
                       int(std::lround(face.landmarks68[size_t(i)].y - float(crop.y))));
    }
    std::vector<cv::Point> hull;
    cv::convexHull(pts, hull);
    cv::fillConvexPoly(mask, hull, cv::Scalar(1.0), cv::LINE_AA);
  } else {
    cv::ellipse(mask, cv::Point(crop.width / 2, int(crop.height * 0.72)),
                cv::Size(int(crop.width * 0.38), int(crop.height * 0.28)), 0, 0, 360,
                cv::Scalar(1.0), cv::FILLED, cv::LINE_AA);
  }
  // The net only redraws the crop: keep the mask (after feathering) inside it.
  const int feather = std::max(2, int(std::lround(0.05 * std::min(crop.width, crop.height))));
  cv::Mat inside = cv::Mat::zeros(crop.size(), CV_32F);
  cv::rectangle(inside,
                cv::Rect(feather, feather, crop.width - 2 * feather, crop.height - 2 * feather),
                cv::Scalar(1.0), cv::FILLED);
  mask = mask.mul(inside);
  cv::GaussianBlur(mask, mask, cv::Size(0, 0), feather / 2.0);
  return mask;
}

Status Wav2LipRenderer::create(std::shared_ptr<const nets::Wav2LipNet> net, Wav2LipInputs in,
                               const Wav2LipSettings& settings,
                               std::unique_ptr<Wav2LipRenderer>* out) {
  if (!net) return Status::error(ErrorCode::Internal, "wav2lip", "no net given");
  if (in.frame.empty() || in.frame.type() != CV_8UC3) {
    return Status::error(ErrorCode::InvalidArgument, "frame", "expected an 8-bit RGB frame");
  }
  if (in.mel.frames < 1 || in.mel.bands != kBands ||
      in.mel.values.size() != size_t(kBands) * size_t(in.mel.frames)) {
    return Status::error(
        ErrorCode::InvalidArgument, "mel",
        "expected 80 x T values with T >= 1, got " + std::to_string(in.mel.values.size()));
  }
  if (in.frameCount < 1 || !(in.fps > 0)) {
    return Status::error(ErrorCode::InvalidArgument, "frames",
                         "frame count and fps must be positive");
  }
  if (!in.face.found) {
    return Status::error(ErrorCode::NoFaceDetected, "photo", "Wav2Lip needs a face box");
  }
  std::unique_ptr<Wav2LipRenderer> r(new Wav2LipRenderer());
  r->crop_ = wav2lipCrop(in.face.box, settings.padsTopBottomLeftRight, in.frame.size());
  if (r->crop_.width < 8 || r->crop_.height < 8) {
    return Status::error(ErrorCode::NoFaceDetected, "photo",
                         "the face box lies outside the output frame (cropped away?)");
  }
  r->settings_ = settings;
  r->settings_.batchSize = std::max(1, settings.batchSize);
  r->faceInput_.resize(size_t(6) * kSize * kSize);
  wav2lipFaceInput(in.frame(r->crop_), r->faceInput_.data());
  if (settings.paste == Wav2LipPaste::Feathered) {
    cv::Mat m = wav2lipBlendMask(r->crop_, in.face);
    cv::merge(std::vector<cv::Mat>{m, m, m}, r->mask_);
  }
  r->net_ = std::move(net);
  r->in_ = std::move(in);
  *out = std::move(r);
  return Status::ok();
}

Status Wav2LipRenderer::predict(int first, int count) {
  const int n = std::min(count, in_.frameCount - first);
  std::vector<float> mel(size_t(n) * kBands * kSteps);
  std::vector<float> face(size_t(n) * faceInput_.size());
  for (int i = 0; i < n; ++i) {
    copyMelWindow(in_.mel, first + i, in_.fps, mel.data() + size_t(i) * kBands * kSteps);
    std::copy(faceInput_.begin(), faceInput_.end(),
              face.begin() + long(size_t(i) * faceInput_.size()));
  }
  std::vector<float> pred(size_t(n) * 3 * kSize * kSize);
  if (nets::NetStatus s = net_->run(n, mel.data(), face.data(), pred.data()); !s) {
    return toStatus(s);
  }
  Batch batch;
  batch.first = first;
  const size_t plane = size_t(kSize) * kSize;
  for (int i = 0; i < n; ++i) {
    const float* p = pred.data() + size_t(i) * 3 * plane;
    cv::Mat rgb(kSize, kSize, CV_32FC3);
    for (int y = 0; y < kSize; ++y) {
      auto* row = rgb.ptr<cv::Vec3f>(y);
      for (int x = 0; x < kSize; ++x) {
        const size_t at = size_t(y) * kSize + size_t(x);
        row[x] = {p[2 * plane + at] * 255.f, p[plane + at] * 255.f, p[at] * 255.f};  // BGR -> RGB
      }
    }
    batch.predictions.push_back(rgb);
  }
  cache_.push_front(std::move(batch));
  if (cache_.size() > kCachedBatches) cache_.pop_back();
  return Status::ok();
}

void Wav2LipRenderer::compose(const cv::Mat& prediction, cv::Mat& out) const {
  in_.frame.copyTo(out);
  cv::Mat roi = out(crop_);
  if (settings_.paste == Wav2LipPaste::Hard) {
    // Official: uint8 truncation, bilinear resize, hard paste.
    cv::Mat p8(prediction.size(), CV_8UC3);
    for (int y = 0; y < prediction.rows; ++y) {
      for (int x = 0; x < prediction.cols; ++x) {
        const cv::Vec3f v = prediction.at<cv::Vec3f>(y, x);
        p8.at<cv::Vec3b>(y, x) = {uchar(v[0]), uchar(v[1]), uchar(v[2])};
      }
    }
    cv::resize(p8, roi, crop_.size(), 0, 0, cv::INTER_LINEAR);
    return;
  }
  cv::Mat pred, orig;
  cv::resize(prediction, pred, crop_.size(), 0, 0, cv::INTER_LINEAR);
  roi.convertTo(orig, CV_32FC3);
  // Colour matching: the upper half of the crop is redrawn from the reference
  // and should match the photo; shift the prediction by the mean difference.
  const cv::Rect upper(0, 0, crop_.width, std::max(1, crop_.height / 2));
  const cv::Scalar shift = cv::mean(orig(upper)) - cv::mean(pred(upper));
  pred += shift;
  cv::Mat blended = orig + mask_.mul(pred - orig);
  blended.convertTo(roi, CV_8UC3);  // rounds and saturates
}

Status Wav2LipRenderer::render(int index, cv::Mat& out) {
  if (index < 0 || index >= in_.frameCount) {
    return Status::error(
        ErrorCode::InvalidArgument, "frame index",
        std::to_string(index) + " is outside 0.." + std::to_string(in_.frameCount - 1));
  }
  for (int pass = 0; pass < 2; ++pass) {
    for (const Batch& b : cache_) {
      if (index >= b.first && index < b.first + int(b.predictions.size())) {
        compose(b.predictions[size_t(index - b.first)], out);
        lastIndex_ = index;
        return Status::ok();
      }
    }
    if (pass == 0) {
      const bool sequential = index == 0 || index == lastIndex_ + 1;
      if (Status s = predict(index, sequential ? settings_.batchSize : 1); !s) return s;
    }
  }
  return Status::error(ErrorCode::Internal, "wav2lip", "prediction cache miss");
}

Status makeWav2LipRenderer(const Engine& engine, const RenderOptions& options,
                           const cv::Mat& baseFrame, const FaceInfo& photoFace,
                           const OutputGeometry& geometry, MelSpectrogram mel, int frameCount,
                           std::unique_ptr<FrameRenderer>* out) {
  std::string why;
  const std::string path = engine.impl().modelFile("wav2lip", 0, &why);
  if (path.empty())
    return Status::error(ErrorCode::ModelMissing, "wav2lip", "Wav2Lip weights: " + why);
  const nets::NetOptions netOptions = netOptionsFor(engine, options.device);
  std::shared_ptr<const nets::Wav2LipNet> net;
  if (Status s = loadWav2LipNet(engine, "wav2lip", path, netOptions, &net); !s) return s;
  Wav2LipInputs in;
  in.frame = baseFrame;
  in.face = mapFaceToFrame(photoFace, geometry);
  in.mel = std::move(mel);
  in.fps = options.fps;
  in.frameCount = frameCount;
  Wav2LipSettings settings;
  settings.batchSize = netOptions.cuda ? 64 : 16;
  std::unique_ptr<Wav2LipRenderer> r;
  if (Status s = Wav2LipRenderer::create(std::move(net), std::move(in), settings, &r); !s) return s;
  *out = std::move(r);
  return Status::ok();
}

}  // namespace avatar::detail
