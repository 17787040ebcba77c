#include "pipeline/wav2lip_stage.h"

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

cv::Point2f toFrame(const PointF& p, const OutputGeometry& g) {
  return {float(p.x * g.scale + g.offset.x), float(p.y * g.scale + g.offset.y)};
}

bool samePoints(const std::vector<PointF>& a, const std::vector<PointF>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].x != b[i].x || a[i].y != b[i].y) return false;
  }
  return true;
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

Status mouthFrameCrop(FrameContext& ctx, int frameCount, const std::array<int, 4>& pads,
                      const char* backend, cv::Rect* crop) {
  if (Status s = checkFrameIndex(ctx.index, frameCount); !s) return s;
  const cv::Mat& image = ctx.pixels();
  if (image.empty() || image.type() != CV_8UC3) {
    return Status::error(ErrorCode::Internal, backend, "expected an 8-bit RGB frame");
  }
  const std::string frame = "frame " + std::to_string(ctx.index);
  if (!ctx.face.found) {
    return Status::error(ErrorCode::NoFaceDetected, frame,
                         std::string(backend) + " needs a face box");
  }
  *crop = wav2lipCrop(ctx.face.box, pads, image.size());
  if (crop->width < 8 || crop->height < 8) {
    return Status::error(ErrorCode::NoFaceDetected, frame,
                         "the face box lies outside the output frame (cropped away?)");
  }
  return Status::ok();
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

Status Wav2LipStage::create(std::shared_ptr<const nets::Wav2LipNet> net, MelSpectrogram mel,
                            double fps, int frameCount, const Wav2LipSettings& settings,
                            std::unique_ptr<Wav2LipStage>* out) {
  if (!net) return Status::error(ErrorCode::Internal, "wav2lip", "no net given");
  if (Status s = checkMelTiming(mel, fps, frameCount); !s) return s;
  std::unique_ptr<Wav2LipStage> st(new Wav2LipStage());
  st->net_ = std::move(net);
  st->mel_ = std::move(mel);
  st->fps_ = fps;
  st->frameCount_ = frameCount;
  st->settings_ = settings;
  st->settings_.batchSize = std::max(1, settings.batchSize);
  *out = std::move(st);
  return Status::ok();
}

Status Wav2LipStage::process(std::vector<FrameContext>& frames) {
  for (size_t first = 0; first < frames.size(); first += size_t(settings_.batchSize)) {
    const int n = int(std::min(size_t(settings_.batchSize), frames.size() - first));
    if (Status s = runBatch(frames.data() + first, n); !s) return s;
  }
  return Status::ok();
}

Status Wav2LipStage::runBatch(FrameContext* frames, int n) {
  const size_t faceSize = size_t(6) * kSize * kSize;
  std::vector<float> mel(size_t(n) * kBands * kSteps);
  std::vector<float> face(size_t(n) * faceSize);
  std::vector<cv::Rect> crops(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    FrameContext& ctx = frames[i];
    const std::array<int, 4>& pads = settings_.padsTopBottomLeftRight;
    if (Status s = mouthFrameCrop(ctx, frameCount_, pads, "Wav2Lip", &crops[size_t(i)]); !s) {
      return s;
    }
    wav2lipFaceInput(ctx.image(crops[size_t(i)]), face.data() + size_t(i) * faceSize);
    copyMelWindow(mel_, ctx.index, fps_, mel.data() + size_t(i) * kBands * kSteps);
  }
  std::vector<float> pred(size_t(n) * 3 * kSize * kSize);
  if (nets::NetStatus s = net_->run(n, mel.data(), face.data(), pred.data()); !s) {
    return toStatus(s);
  }
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
    compose(rgb, crops[size_t(i)], frames[i]);
  }
  return Status::ok();
}

void Wav2LipStage::compose(const cv::Mat& prediction, const cv::Rect& crop, FrameContext& ctx) {
  cv::Mat roi = ctx.image(crop);
  if (settings_.paste == Wav2LipPaste::Hard) {
    // Official: uint8 truncation, bilinear resize, hard paste.
    cv::Mat p8(prediction.size(), CV_8UC3);
    for (int y = 0; y < prediction.rows; ++y) {
      for (int x = 0; x < prediction.cols; ++x) {
        const cv::Vec3f v = prediction.at<cv::Vec3f>(y, x);
        p8.at<cv::Vec3b>(y, x) = {uchar(v[0]), uchar(v[1]), uchar(v[2])};
      }
    }
    cv::resize(p8, roi, crop.size(), 0, 0, cv::INTER_LINEAR);
    return;
  }
  // The mask follows the frame's own face; a head that did not move reuses it.
  if (mask_.empty() || crop != maskCrop_ || !samePoints(ctx.face.landmarks68, maskLandmarks_)) {
    cv::Mat m = wav2lipBlendMask(crop, ctx.face);
    cv::merge(std::vector<cv::Mat>{m, m, m}, mask_);
    maskCrop_ = crop;
    maskLandmarks_ = ctx.face.landmarks68;
  }
  cv::Mat pred, orig;
  cv::resize(prediction, pred, crop.size(), 0, 0, cv::INTER_LINEAR);
  roi.convertTo(orig, CV_32FC3);
  // Colour matching: the upper half of the crop is redrawn from the reference
  // and should match the moved frame; shift the prediction by the mean difference.
  const cv::Rect upper(0, 0, crop.width, std::max(1, crop.height / 2));
  const cv::Scalar shift = cv::mean(orig(upper)) - cv::mean(pred(upper));
  pred += shift;
  cv::Mat blended = orig + mask_.mul(pred - orig);
  blended.convertTo(roi, CV_8UC3);  // rounds and saturates
}

Status makeWav2LipStage(const StageSetup& setup, std::unique_ptr<Stage>* out) {
  const Engine& engine = *setup.engine;
  std::string why;
  const std::string path = engine.impl().modelFile("wav2lip", 0, &why);
  if (path.empty())
    return Status::error(ErrorCode::ModelMissing, "wav2lip", "Wav2Lip weights: " + why);
  const nets::NetOptions netOptions = netOptionsFor(engine, setup.options.device);
  std::shared_ptr<const nets::Wav2LipNet> net;
  if (Status s = loadWav2LipNet(engine, "wav2lip", path, netOptions, &net); !s) return s;
  if (!setup.face.found) {
    return Status::error(ErrorCode::NoFaceDetected, "photo", "Wav2Lip needs a face box");
  }
  MelSpectrogram mel;
  if (Status s = setup.mel(&mel); !s) return s;
  Wav2LipSettings settings;
  settings.batchSize = netOptions.cuda ? 64 : 16;
  settings.paste =
      setup.options.mouthPaste == MouthPaste::Hard ? Wav2LipPaste::Hard : Wav2LipPaste::Feathered;
  std::unique_ptr<Wav2LipStage> st;
  if (Status s = Wav2LipStage::create(std::move(net), std::move(mel), setup.options.fps,
                                      setup.motion.frameCount, settings, &st);
      !s) {
    return s;
  }
  *out = std::move(st);
  return Status::ok();
}

}  // namespace avatar::detail
