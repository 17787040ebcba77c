#include "pipeline/builtin_stages.h"

#include <algorithm>
#include <cmath>

#include "render/face_field.h"
#include "render/warp_map.h"

namespace avatar::detail {
namespace {

// Only the motion part of a frame's field: the photo's mouth stays as it is.
void dropMouth(const FaceRig& rig, FieldParams* fp) {
  fp->jawDrop = 0;
  fp->widthShift = 0;
  fp->pucker = 0;
  fp->lipRaise = 0;
  fp->targetGap = rig.sourceGap;
}

std::vector<cv::Point2f> toPoints(const std::vector<PointF>& p) {
  std::vector<cv::Point2f> out;
  out.reserve(p.size());
  for (const PointF& q : p) out.emplace_back(q.x, q.y);
  return out;
}

// Least-squares similarity dst ~ [a -b; b a](src - ms) + md.
struct Similarity {
  float a = 1, b = 0;
  cv::Point2f ms, md;
  cv::Point2f apply(cv::Point2f p) const {
    const cv::Point2f d = p - ms;
    return {a * d.x - b * d.y + md.x, b * d.x + a * d.y + md.y};
  }
  float scale() const { return std::hypot(a, b); }
};

Similarity fitSimilarity(const std::vector<cv::Point2f>& src, const std::vector<cv::Point2f>& dst) {
  Similarity s;
  const size_t n = std::min(src.size(), dst.size());
  if (n == 0) return s;
  for (size_t i = 0; i < n; ++i) s.ms += src[i], s.md += dst[i];
  s.ms /= float(n);
  s.md /= float(n);
  double sxx = 0, num_a = 0, num_b = 0;
  for (size_t i = 0; i < n; ++i) {
    const cv::Point2f p = src[i] - s.ms, q = dst[i] - s.md;
    sxx += double(p.x) * p.x + double(p.y) * p.y;
    num_a += double(p.x) * q.x + double(p.y) * q.y;
    num_b += double(p.x) * q.y - double(p.y) * q.x;
  }
  if (sxx > 0) {
    s.a = float(num_a / sxx);
    s.b = float(num_b / sxx);
  }
  return s;
}

}  // namespace

BuiltinWarp::BuiltinWarp(cv::Mat base, FaceRig rig) : base_(std::move(base)), rig_(std::move(rig)) {
  palette_ = measurePalette(base_, rig_);
  // About 40 grid cells down the face: fine enough for lips and lids.
  gridStep_ = std::clamp(int(std::lround(rig_.faceHeight / 40.0f)), 2, 6);
}

void BuiltinWarp::paint(FrameContext& ctx) const {
  FieldParams fp = fieldParams(rig_, ctx.motion);
  if (!ctx.mouthPosed) dropMouth(rig_, &fp);
  base_.copyTo(ctx.image);
  if (!fp.deforms()) return;
  const TargetMouth mouth = targetMouth(rig_, fp);
  warpFrame(base_, rig_, fp, mouth, gridStep_, ctx.image);
  if (ctx.mouthPosed) {
    drawMouthInterior(base_, rig_, fp, mouth, palette_, ctx.motion.mouth.jawOpen, ctx.image);
  }
}

Status makeBuiltinWarp(const cv::Mat& base, const FaceInfo& face,
                       std::shared_ptr<const BuiltinWarp>* out) {
  FaceRig rig;
  if (!buildFaceRig(toPoints(face.landmarks68), &rig)) {
    return Status::error(ErrorCode::NoFaceDetected, "photo",
                         "the face's landmarks are degenerate at the output size");
  }
  *out = std::make_shared<const BuiltinWarp>(base, std::move(rig));
  return Status::ok();
}

FaceInfo movedFace(const FaceRig& rig, const FaceInfo& still, const FrameMotion& m) {
  FieldParams fp = fieldParams(rig, m);
  dropMouth(rig, &fp);
  if (!fp.deforms() || still.landmarks68.size() != 68) return still;  // the mouth was dropped
  FaceInfo f = still;
  std::vector<cv::Point2f> from, to;
  for (size_t k = 0; k < 68; ++k) {
    const cv::Point2f p =
        rig.toImage(headForward(rig, fp, faceForward(rig, fp, rig.lm[k], LipSide::Upper)));
    f.landmarks68[k] = {p.x, p.y};
    if ((k < 36 || k > 47) && (k < 17 || k > 26)) {  // lids and brows move on their own
      from.emplace_back(still.landmarks68[k].x, still.landmarks68[k].y);
      to.push_back(p);
    }
  }
  const Similarity s = fitSimilarity(from, to);
  const cv::Point2f c =
      s.apply({still.box.x + still.box.width / 2, still.box.y + still.box.height / 2});
  f.box.width = still.box.width * s.scale();
  f.box.height = still.box.height * s.scale();
  f.box.x = c.x - f.box.width / 2;
  f.box.y = c.y - f.box.height / 2;
  for (size_t i = 0; i < 5; ++i) {
    const cv::Point2f p = s.apply({still.alignment[i].x, still.alignment[i].y});
    f.alignment[i] = {p.x, p.y};
  }
  return f;
}

BuiltinMotionStage::BuiltinMotionStage(std::shared_ptr<const BuiltinWarp> warp, FaceInfo face,
                                       std::vector<FrameMotion> motion)
    : warp_(std::move(warp)), face_(std::move(face)), motion_(std::move(motion)) {}

Status BuiltinMotionStage::process(std::vector<FrameContext>& frames) {
  for (FrameContext& ctx : frames) {
    if (Status s = checkFrameIndex(ctx.index, int(motion_.size())); !s) return s;
    const FrameMotion& m = motion_[size_t(ctx.index)];
    ctx.motion = {};
    ctx.motion.head = m.head;
    ctx.motion.blink = m.blink;
    ctx.motion.browRaise = m.browRaise;
    ctx.mouthPosed = false;
    ctx.head = ctx.motion.head;
    ctx.face = movedFace(warp_->rig(), face_, ctx.motion);
    ctx.pending = warp_.get();
  }
  return Status::ok();
}

BuiltinMouthStage::BuiltinMouthStage(std::shared_ptr<const BuiltinWarp> warp,
                                     std::vector<MouthPose> mouth)
    : warp_(std::move(warp)), mouth_(std::move(mouth)) {}

Status BuiltinMouthStage::process(std::vector<FrameContext>& frames) {
  for (FrameContext& ctx : frames) {
    if (ctx.index < 0 || ctx.index >= int(mouth_.size())) {
      return Status::error(ErrorCode::InvalidArgument, "frame index",
                           std::to_string(ctx.index) + " out of range");
    }
    const MouthPose& pose = mouth_[size_t(ctx.index)];
    if (ctx.pending == warp_.get()) {  // after the built-in motion: one warp for both
      ctx.motion.mouth = pose;
      ctx.mouthPosed = true;
      continue;
    }
    // After another motion backend: deform that frame's own face.
    FaceRig rig;
    if (!buildFaceRig(toPoints(ctx.face.landmarks68), &rig)) {
      return Status::error(ErrorCode::NoFaceDetected, "frame " + std::to_string(ctx.index),
                           "the moved face's landmarks are degenerate");
    }
    const cv::Mat moved = ctx.pixels().clone();
    FrameMotion m;
    m.mouth = pose;
    const FieldParams fp = fieldParams(rig, m);
    if (!fp.deforms()) continue;
    const TargetMouth mouth = targetMouth(rig, fp);
    warpFrame(moved, rig, fp, mouth, std::clamp(int(std::lround(rig.faceHeight / 40.0f)), 2, 6),
              ctx.image);
    drawMouthInterior(moved, rig, fp, mouth, measurePalette(moved, rig), pose.jawOpen, ctx.image);
  }
  return Status::ok();
}

}  // namespace avatar::detail
