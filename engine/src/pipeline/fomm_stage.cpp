#include "pipeline/fomm_stage.h"

#include <algorithm>
#include <cmath>

#include "core/engine_impl.h"
#include "face/face_landmarks.h"
#include "motion/driver_motion.h"
#include "pipeline/net_loading.h"

namespace avatar::detail {
namespace {

constexpr size_t kKp = nets::FommNet::kKeypointFloats;
constexpr size_t kJac = nets::FommNet::kJacobianFloats;
constexpr size_t kImage = nets::FommNet::kImageFloats;

cv::Point2f meanKeypoint(const float* kp) {
  cv::Point2f m;
  for (int k = 0; k < nets::FommNet::kKeypoints; ++k) m += cv::Point2f(kp[2 * k], kp[2 * k + 1]);
  return m / float(nets::FommNet::kKeypoints);
}

}  // namespace

FommStage::FommStage(const Engine& engine, std::shared_ptr<const nets::FommNet> net, cv::Mat base,
                     FaceInfo face, FommCrop crop, std::vector<float> source,
                     FommKeypoints sourceKp, FommKeypoints driving, std::vector<HeadPose> heads,
                     int batch)
    : engine_(engine),
      net_(std::move(net)),
      base_(std::move(base)),
      face_(std::move(face)),
      crop_(crop),
      source_(std::move(source)),
      sourceKp_(std::move(sourceKp)),
      driving_(std::move(driving)),
      heads_(std::move(heads)),
      batch_(std::max(1, batch)) {}

Status FommStage::process(std::vector<FrameContext>& frames) {
  return processInBatches(frames, &batch_,
                          [this](FrameContext* f, int n) { return runBatch(f, n); });
}

Status FommStage::runBatch(FrameContext* frames, int n) {
  std::vector<float> kp(size_t(n) * kKp), jac(size_t(n) * kJac), pred(size_t(n) * kImage);
  for (int i = 0; i < n; ++i) {
    if (Status s = checkFrameIndex(frames[i].index, driving_.frames()); !s) return s;
    const size_t f = size_t(frames[i].index);
    std::copy_n(driving_.kp.begin() + ptrdiff_t(f * kKp), kKp,
                kp.begin() + ptrdiff_t(size_t(i) * kKp));
    std::copy_n(driving_.jac.begin() + ptrdiff_t(f * kJac), kJac,
                jac.begin() + ptrdiff_t(size_t(i) * kJac));
  }
  if (nets::NetStatus s = net_->generate(n, 1, source_.data(), sourceKp_.kp.data(),
                                         sourceKp_.jac.data(), kp.data(), jac.data(), pred.data());
      !s) {
    return toStatus(s);
  }
  for (int i = 0; i < n; ++i) {
    FrameContext& ctx = frames[i];
    ctx.pending = nullptr;
    ctx.mouthPosed = false;
    ctx.motion = {};
    ctx.image = base_.clone();
    fommPaste(pred.data() + size_t(i) * kImage, crop_, base_, ctx.image);
    ctx.head = heads_.empty() ? HeadPose{} : heads_[size_t(ctx.index) % heads_.size()];
    ctx.motion.head = ctx.head;
    ctx.face = movedFace(ctx.image, kp.data() + size_t(i) * kKp);
  }
  return Status::ok();
}

FaceInfo FommStage::movedFace(const cv::Mat& frame, const float* kp) const {
  // The photo's face moved as the keypoints moved on average, then its
  // landmarks found again in that box.
  const cv::Point2f d =
      crop_.toFrame(meanKeypoint(kp)) - crop_.toFrame(meanKeypoint(sourceKp_.kp.data()));
  FaceInfo f = face_;
  f.box.x += d.x;
  f.box.y += d.y;
  for (PointF& p : f.landmarks68) p.x += d.x, p.y += d.y;
  for (PointF& p : f.alignment) p.x += d.x, p.y += d.y;
  std::vector<PointF> found;
  if (landmarksInBox(engine_, frame.data, frame.cols, frame.rows, int(frame.step), f.box, &found) &&
      landmarkSanityProblem(found, f.box).empty()) {
    f.landmarks68 = std::move(found);
    f.alignment = alignmentFrom68(f.landmarks68);
  }
  return f;
}

Status makeFommStage(const StageSetup& setup, std::unique_ptr<Stage>* out) {
  const Engine& engine = *setup.engine;
  if (!setup.face.found) {
    return Status::error(ErrorCode::NoFaceDetected, "photo", "FOMM needs the photo's face");
  }
  std::string why;
  const std::string path = engine.impl().modelFile("fomm", 0, &why);
  if (path.empty()) return Status::error(ErrorCode::ModelMissing, "fomm", "FOMM weights: " + why);
  const nets::NetOptions netOptions = netOptionsFor(engine, setup.options.device, true);
  std::shared_ptr<const nets::FommNet> net;
  if (Status s = loadFommNet(engine, "fomm", path, netOptions, &net); !s) return s;
  const int batch = netOptions.cuda ? 16 : 4;

  const FommCrop crop = fommCropFor(setup.face.box);
  std::vector<float> source(kImage);
  fommCropTensor(setup.baseFrame, crop, source.data());
  FommKeypoints sourceKp;
  sourceKp.kp.resize(kKp);
  sourceKp.jac.resize(kJac);
  if (nets::NetStatus s = net->detect(1, source.data(), sourceKp.kp.data(), sourceKp.jac.data());
      !s) {
    return toStatus(s);
  }
  const int frameCount = setup.motion.frameCount;
  const std::vector<FrameMotion> plan = plannedMotion(setup);
  std::vector<HeadPose> heads;
  for (const FrameMotion& m : plan) heads.push_back(m.head);
  FommKeypoints driving;
  if (setup.driver) {
    FommKeypoints driverKp;
    if (Status s =
            detectDriverKeypoints(*net, *setup.driver, setup.driverReference, batch, &driverKp);
        !s) {
      return s;
    }
    nets::FommNormalizeOptions no;
    no.relativeMovement = no.relativeJacobian =
        setup.options.fommMovement == FommMovement::Relative;
    no.adaptMovementScale = setup.options.fommScale == FommScale::Adapt;
    if (Status s = normaliseDriverKeypoints(sourceKp, driverKp, setup.driverReference, frameCount,
                                            setup.options.driverLoop, no, &driving);
        !s) {
      return s;
    }
  } else {
    // Audio-driven: the photo's keypoints moved by the built-in plan.
    const std::vector<PointF>& lm = setup.face.landmarks68;
    std::array<cv::Point2f, 2> eyes{};
    float eyeHeight = 0.02f, halfWidth = 0.25f;
    cv::Point2f centre = crop.toUnit({setup.face.box.x + setup.face.box.width / 2,
                                      setup.face.box.y + setup.face.box.height / 2});
    if (lm.size() == 68) {
      for (int e = 0; e < 2; ++e) {
        cv::Point2f m;
        for (int k = 36 + 6 * e; k < 42 + 6 * e; ++k)
          m += cv::Point2f(lm[size_t(k)].x, lm[size_t(k)].y);
        eyes[size_t(e)] = crop.toUnit(m / 6.0f);
      }
      const cv::Point2f l = crop.toUnit({lm[0].x, lm[0].y}), r = crop.toUnit({lm[16].x, lm[16].y});
      halfWidth = 0.5f * float(cv::norm(r - l));
      eyeHeight = 0.1f * halfWidth;
      centre = crop.toUnit({lm[30].x, lm[30].y});
    }
    driving = plannedKeypoints(sourceKp, plan, centre, halfWidth, eyes, eyeHeight);
  }
  if (driving.frames() < frameCount) {
    return Status::error(ErrorCode::Internal, "fomm", "fewer driving keypoints than frames");
  }
  *out = std::make_unique<FommStage>(engine, std::move(net), setup.baseFrame, setup.face, crop,
                                     std::move(source), std::move(sourceKp), std::move(driving),
                                     std::move(heads), batch);
  return Status::ok();
}

}  // namespace avatar::detail
