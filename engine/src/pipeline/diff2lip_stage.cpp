#include "pipeline/diff2lip_stage.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/engine_impl.h"
#include "pipeline/net_loading.h"
#include "pipeline/wav2lip_stage.h"

namespace avatar::detail {
namespace {

constexpr int kSize = nets::Diff2LipNet::kSize;  // 128
constexpr size_t kPlane = size_t(kSize) * kSize;
constexpr size_t kImage = 3 * kPlane;
constexpr size_t kMel = size_t(nets::Diff2LipNet::kMelBands) * nets::Diff2LipNet::kMelSteps;
constexpr std::array<int, 4> kNoPads = {0, 0, 0, 0};

// An RGB crop as (3,128,128) floats in [-1,1], resized without keeping its
// aspect (cv2.resize, bilinear), as generate.py feeds the net.
void faceTensor(const cv::Mat& cropRgb, float* out) {
  cv::Mat face;
  cv::resize(cropRgb, face, cv::Size(kSize, kSize), 0, 0, cv::INTER_LINEAR);
  for (int y = 0; y < kSize; ++y) {
    const auto* row = face.ptr<cv::Vec3b>(y);
    for (int x = 0; x < kSize; ++x) {
      for (int c = 0; c < 3; ++c) {
        out[size_t(c) * kPlane + size_t(y) * kSize + size_t(x)] = float(row[x][c]) / 127.5f - 1.f;
      }
    }
  }
}

// (3,128,128) in [-1,1] -> 128x128 CV_32FC3 in 0..255.
cv::Mat sampleImage(const float* sample) {
  cv::Mat img(kSize, kSize, CV_32FC3);
  for (int y = 0; y < kSize; ++y) {
    auto* row = img.ptr<cv::Vec3f>(y);
    for (int x = 0; x < kSize; ++x) {
      const size_t at = size_t(y) * kSize + size_t(x);
      for (int c = 0; c < 3; ++c) {
        row[x][c] = (std::clamp(sample[size_t(c) * kPlane + at], -1.f, 1.f) + 1.f) * 127.5f;
      }
    }
  }
  return img;
}

}  // namespace

Status Diff2LipStage::create(std::shared_ptr<const nets::Diff2LipNet> net, MelSpectrogram mel,
                             double fps, int frameCount, const cv::Mat& photoFrame,
                             const FaceInfo& photoFace, const Diff2LipSettings& settings,
                             std::unique_ptr<Diff2LipStage>* out) {
  if (!net) return Status::error(ErrorCode::Internal, "diff2lip", "no net given");
  if (Status s = checkMelTiming(mel, fps, frameCount); !s) return s;
  nets::DdimSchedule schedule;
  if (nets::NetStatus s = nets::ddimSchedule(settings.steps, &schedule); !s) {
    return Status::error(ErrorCode::InvalidArgument, "diffusionSteps", s.detail());
  }
  if (!photoFace.found) {
    return Status::error(ErrorCode::NoFaceDetected, "photo", "Diff2Lip needs a face box");
  }
  const cv::Rect crop = wav2lipCrop(photoFace.box, kNoPads, photoFrame.size());
  if (std::min(crop.width, crop.height) < kDiff2LipMinFacePx) {
    return Status::error(ErrorCode::NoFaceDetected, "photo",
                         "the face is " + std::to_string(std::min(crop.width, crop.height)) +
                             " px in the output frame; Diff2Lip needs at least " +
                             std::to_string(kDiff2LipMinFacePx) +
                             " px (use a larger output size or another lip-sync backend)");
  }
  std::unique_ptr<Diff2LipStage> st(new Diff2LipStage());
  st->net_ = std::move(net);
  st->mel_ = std::move(mel);
  st->fps_ = fps;
  st->frameCount_ = frameCount;
  st->settings_ = settings;
  st->settings_.batchSize = std::max(1, settings.batchSize);
  st->reference_.resize(kImage);
  faceTensor(photoFrame(crop), st->reference_.data());
  st->noise_ = nets::Diff2LipNet::fixedNoise(settings.seed);
  *out = std::move(st);
  return Status::ok();
}

Status Diff2LipStage::process(std::vector<FrameContext>& frames) {
  return processInBatches(frames, &settings_.batchSize,
                          [this](FrameContext* f, int n) { return runBatch(f, n); });
}

Status Diff2LipStage::runBatch(FrameContext* frames, int n) {
  std::vector<float> face(size_t(n) * kImage), ref(size_t(n) * kImage), mel(size_t(n) * kMel);
  std::vector<cv::Rect> crops(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    FrameContext& ctx = frames[i];
    cv::Rect& crop = crops[size_t(i)];
    if (Status s = mouthFrameCrop(ctx, frameCount_, kNoPads, "Diff2Lip", &crop); !s) return s;
    faceTensor(ctx.image(crop), face.data() + size_t(i) * kImage);
    std::copy(reference_.begin(), reference_.end(), ref.begin() + ptrdiff_t(size_t(i) * kImage));
    copyMelWindow(mel_, std::max(ctx.index - 1, 0), fps_, mel.data() + size_t(i) * kMel);
  }
  std::vector<float> out(size_t(n) * kImage);
  if (nets::NetStatus s = net_->generate(n, settings_.steps, face.data(), ref.data(), mel.data(),
                                         noise_.data(), out.data());
      !s) {
    return toStatus(s);
  }
  for (int i = 0; i < n; ++i) compose(out.data() + size_t(i) * kImage, crops[size_t(i)], frames[i]);
  return Status::ok();
}

void Diff2LipStage::compose(const float* sample, const cv::Rect& crop, FrameContext& ctx) const {
  cv::Mat roi = ctx.image(crop);
  const cv::Mat pred128 = sampleImage(sample);
  if (settings_.hardPaste) {  // official: the whole crop, resized back
    cv::Mat p8;
    pred128.convertTo(p8, CV_8UC3);
    cv::resize(p8, roi, crop.size(), 0, 0, cv::INTER_LINEAR);
    return;
  }
  cv::Mat pred, orig;
  cv::resize(pred128, pred, crop.size(), 0, 0, cv::INTER_LINEAR);
  roi.convertTo(orig, CV_32FC3);
  const cv::Mat m = wav2lipBlendMask(crop, ctx.face);
  // Colour match on the skin the mask fades over (its soft edge): the net's
  // lower half drifts in tone; the mouth inside may rightly be darker.
  const cv::Mat ring = (m > 0.02f) & (m < 0.6f);
  if (cv::countNonZero(ring) > 16) pred += cv::mean(orig, ring) - cv::mean(pred, ring);
  cv::Mat mask3;
  cv::merge(std::vector<cv::Mat>{m, m, m}, mask3);
  const cv::Mat blended = orig + mask3.mul(pred - orig);
  blended.convertTo(roi, CV_8UC3);
}

Status makeDiff2LipStage(const StageSetup& setup, std::unique_ptr<Stage>* out) {
  const Engine& engine = *setup.engine;
  std::string why;
  const std::string path = engine.impl().modelFile("diff2lip", 0, &why);
  if (path.empty()) {
    return Status::error(ErrorCode::ModelMissing, "diff2lip", "Diff2Lip weights: " + why);
  }
  const nets::NetOptions netOptions = netOptionsFor(engine, setup.options.device, true);
  std::shared_ptr<const nets::Diff2LipNet> net;
  if (Status s = loadDiff2LipNet(engine, "diff2lip", path, netOptions, &net); !s) return s;
  MelSpectrogram mel;
  if (Status s = setup.mel(&mel); !s) return s;
  Diff2LipSettings settings;
  settings.steps = setup.options.diffusionSteps;
  settings.batchSize = setup.options.diffusionBatch > 0 ? setup.options.diffusionBatch
                       : netOptions.cuda                ? 32
                                                        : 4;
  settings.hardPaste = setup.options.mouthPaste == MouthPaste::Hard;
  settings.seed = setup.options.seed;
  std::unique_ptr<Diff2LipStage> st;
  if (Status s = Diff2LipStage::create(std::move(net), std::move(mel), setup.options.fps,
                                       setup.motion.frameCount, setup.baseFrame, setup.face,
                                       settings, &st);
      !s) {
    return s;
  }
  *out = std::move(st);
  return Status::ok();
}

}  // namespace avatar::detail
