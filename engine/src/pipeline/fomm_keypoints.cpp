#include "pipeline/fomm_keypoints.h"

#include <algorithm>
#include <cmath>

#include "media/video_reader.h"
#include "pipeline/net_loading.h"

namespace avatar::detail {
namespace {

constexpr size_t kKp = nets::FommNet::kKeypointFloats;   // 20
constexpr size_t kJac = nets::FommNet::kJacobianFloats;  // 40
constexpr size_t kImage = nets::FommNet::kImageFloats;

}  // namespace

Status detectDriverKeypoints(const nets::FommNet& net, const DriverTrack& track, int reference,
                             int batch, FommKeypoints* out) {
  *out = {};
  if (track.frames.empty()) {
    return Status::error(ErrorCode::InvalidArgument, "driver video", "no tracked frames");
  }
  const int n = int(track.frames.size());
  const FommCrop crop = fommCropFor(track.frames[size_t(std::clamp(reference, 0, n - 1))].box);
  VideoReader reader;
  VideoReadOptions ro;
  ro.fps = track.fps;
  ro.maxSide = std::max(track.width, track.height);
  if (Status s = reader.open(track.path, ro); !s) return s;
  batch = std::max(1, batch);
  std::vector<float> images(size_t(batch) * kImage);
  out->kp.resize(size_t(n) * kKp);
  out->jac.resize(size_t(n) * kJac);
  int done = 0, pending = 0;
  auto flush = [&]() -> Status {
    if (pending == 0) return Status::ok();
    if (nets::NetStatus s = net.detect(pending, images.data(), out->kp.data() + size_t(done) * kKp,
                                       out->jac.data() + size_t(done) * kJac);
        !s) {
      return toStatus(s);
    }
    done += pending;
    pending = 0;
    return Status::ok();
  };
  cv::Mat rgb;
  while (done + pending < n) {
    bool got = false;
    if (Status s = reader.read(&rgb, &got); !s) return s;
    if (!got) break;
    fommCropTensor(rgb, crop, images.data() + size_t(pending) * kImage);
    if (++pending == batch) {
      if (Status s = flush(); !s) return s;
    }
  }
  if (Status s = flush(); !s) return s;
  if (done < n) {
    return Status::error(ErrorCode::UnsupportedMedia, track.path,
                         "the video ended after " + std::to_string(done) + " of the " +
                             std::to_string(n) + " frames it had when tracked");
  }
  // Frames without a face hold the keypoints of the last one with a face.
  int last = track.firstFaceFrame;
  for (int i = 0; i < n; ++i) {
    if (track.frames[size_t(i)].face) {
      last = i;
      continue;
    }
    std::copy_n(out->kp.begin() + ptrdiff_t(size_t(last) * kKp), kKp,
                out->kp.begin() + ptrdiff_t(size_t(i) * kKp));
    std::copy_n(out->jac.begin() + ptrdiff_t(size_t(last) * kJac), kJac,
                out->jac.begin() + ptrdiff_t(size_t(i) * kJac));
  }
  return Status::ok();
}

Status normaliseDriverKeypoints(const FommKeypoints& source, const FommKeypoints& driver,
                                int reference, int frameCount, DriverLoop loop,
                                const nets::FommNormalizeOptions& options, FommKeypoints* out) {
  const int n = driver.frames();
  if (n < 1 || source.frames() < 1 || frameCount < 1) {
    return Status::error(ErrorCode::InvalidArgument, "driver video", "no keypoints to animate");
  }
  reference = std::clamp(reference, 0, n - 1);
  std::vector<float> kpDrv(size_t(frameCount) * kKp), jacDrv(size_t(frameCount) * kJac);
  for (int i = 0; i < frameCount; ++i) {
    const size_t d = size_t(driverFrameAt(i, n, loop));
    std::copy_n(driver.kp.begin() + ptrdiff_t(d * kKp), kKp,
                kpDrv.begin() + ptrdiff_t(size_t(i) * kKp));
    std::copy_n(driver.jac.begin() + ptrdiff_t(d * kJac), kJac,
                jacDrv.begin() + ptrdiff_t(size_t(i) * kJac));
  }
  out->kp.resize(kpDrv.size());
  out->jac.resize(jacDrv.size());
  if (nets::NetStatus s = nets::fommNormalizeKeypoints(
          frameCount, source.kp.data(), source.jac.data(),
          driver.kp.data() + size_t(reference) * kKp, driver.jac.data() + size_t(reference) * kJac,
          kpDrv.data(), jacDrv.data(), options, out->kp.data(), out->jac.data());
      !s) {
    return Status::error(ErrorCode::InvalidArgument, "driver video", s.detail());
  }
  return Status::ok();
}

FommKeypoints plannedKeypoints(const FommKeypoints& source, const std::vector<FrameMotion>& plan,
                               cv::Point2f c, float halfWidth,
                               const std::array<cv::Point2f, 2>& eyes, float eyeHeight) {
  constexpr int kK = nets::FommNet::kKeypoints;
  FommKeypoints out;
  out.kp.resize(plan.size() * kKp);
  out.jac.resize(plan.size() * kJac);
  // The keypoint nearest each eye, if it is near it, closes with the blink.
  int eyeKp[2] = {-1, -1};
  for (int e = 0; e < 2; ++e) {
    float best = halfWidth;  // within half the face's width
    for (int k = 0; k < kK; ++k) {
      const float d = std::hypot(source.kp[size_t(2 * k)] - eyes[size_t(e)].x,
                                 source.kp[size_t(2 * k + 1)] - eyes[size_t(e)].y);
      if (d < best) best = d, eyeKp[e] = k;
    }
  }
  for (size_t f = 0; f < plan.size(); ++f) {
    const HeadPose& h = plan[f].head;
    const float roll = h.rollDeg * 0.0174533f, yaw = h.yawDeg * 0.0174533f,
                pitch = h.pitchDeg * 0.0174533f;
    const float cs = std::cos(roll), sn = std::sin(roll);
    // As the built-in rig: the face's front moves about a half width per
    // radian of turn or nod, plus the head's shift and zoom.
    const cv::Point2f shift(yaw * 1.3f * halfWidth + h.shiftX * 2.2f * halfWidth,
                            pitch * 1.2f * halfWidth + h.shiftY * 2.2f * halfWidth);
    for (int k = 0; k < kK; ++k) {
      const float x = source.kp[size_t(2 * k)] - c.x, y = source.kp[size_t(2 * k + 1)] - c.y;
      float* kp = out.kp.data() + f * kKp + size_t(2 * k);
      kp[0] = c.x + h.scale * (cs * x - sn * y) + shift.x;
      kp[1] = c.y + h.scale * (sn * x + cs * y) + shift.y;
      if (k == eyeKp[0] || k == eyeKp[1]) kp[1] += plan[f].blink * eyeHeight;
      const float* j = source.jac.data() + size_t(4 * k);
      float* jo = out.jac.data() + f * kJac + size_t(4 * k);
      // J' = s R J
      jo[0] = h.scale * (cs * j[0] - sn * j[2]);
      jo[1] = h.scale * (cs * j[1] - sn * j[3]);
      jo[2] = h.scale * (sn * j[0] + cs * j[2]);
      jo[3] = h.scale * (sn * j[1] + cs * j[3]);
    }
  }
  return out;
}

}  // namespace avatar::detail
