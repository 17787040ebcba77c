// Driving keypoints for the FOMM stage, one set per output frame:
// - from a driver video: the KP detector on every driver frame (cropped
//   around the face of its reference frame, fixed, as the official
//   crop-video does), held over frames without a face, then normalize_kp
//   against the reference frame (relative or absolute, adapt scale or not);
// - audio-driven: the photo's own keypoints moved by the built-in motion
//   plan (head turn, nod and tilt about the face's centre; blinks pull the
//   keypoints nearest the eyes down).
#pragma once

#include <vector>

#include "avatar/driver.h"
#include "avatar/status.h"
#include "avatar_nets/fomm.h"
#include "motion/motion_types.h"
#include "pipeline/fomm_crop.h"

namespace avatar::detail {

struct FommKeypoints {
  std::vector<float> kp;   // frames x 10 x 2
  std::vector<float> jac;  // frames x 10 x 2 x 2
  int frames() const { return int(kp.size() / nets::FommNet::kKeypointFloats); }
};

// KP detector over the driver video (decoded again, streamed; `batch`
// frames per call). Errors name the driver file.
Status detectDriverKeypoints(const nets::FommNet& net, const DriverTrack& track, int reference,
                             int batch, FommKeypoints* out);

// normalize_kp for each output frame (driver frames mapped by `loop`).
Status normaliseDriverKeypoints(const FommKeypoints& source, const FommKeypoints& driver,
                                int reference, int frameCount, DriverLoop loop,
                                const nets::FommNormalizeOptions& options, FommKeypoints* out);

// The source keypoints moved by the planned motion of each output frame.
// `eyes` are the photo's eye centres in crop units ([-1, 1]), `faceCenter`
// and `halfWidth` its centre and half width in the same units.
FommKeypoints plannedKeypoints(const FommKeypoints& source, const std::vector<FrameMotion>& plan,
                               cv::Point2f faceCenter, float halfWidth,
                               const std::array<cv::Point2f, 2>& eyes, float eyeHeight);

}  // namespace avatar::detail
