// First-Order Motion Model (vox-256: KPDetector, DenseMotionNetwork,
// OcclusionAwareGenerator) on LibTorch, behind plain float buffers, and the
// official `normalize_kp` for relative animation. Load once, run from many
// threads: the methods are const and thread-safe. Tensors are float32,
// C-contiguous: images (B,3,256,256) RGB in [0,1], keypoints (B,10,2) as
// (x, y) in [-1,1], jacobians (B,10,2,2) row-major.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "avatar_nets/net_status.h"
#include "avatar_nets/nets.h"

namespace avatar::nets {

struct FommConfig {
  // grid_sample's corner convention. false is PyTorch's default since 1.3
  // (and Debian's python3-torch); the weights were trained under torch 1.0,
  // which behaved as true.
  bool alignCorners = false;
};

class FommNet {
 public:
  static constexpr int kSize = 256;
  static constexpr int kKeypoints = 10;
  static constexpr size_t kImageFloats = size_t(3) * kSize * kSize;
  static constexpr size_t kKeypointFloats = size_t(kKeypoints) * 2;
  static constexpr size_t kJacobianFloats = size_t(kKeypoints) * 4;

  // One safetensors file with `kp_detector.` and `generator.` keys (see
  // scripts/convert_checkpoint.py --model fomm); fails with WeightsMismatch
  // listing missing, unexpected and mis-shaped keys, InvalidWeights on NaN.
  static NetStatus load(const std::string& weightsPath, const NetOptions& options,
                        std::unique_ptr<FommNet>* out, const FommConfig& config = {});
  ~FommNet();

  // KPDetector: image (B,3,256,256) -> keypoints (B,10,2), jacobians (B,10,2,2).
  NetStatus detect(int batch, const float* image, float* keypoints, float* jacobians) const;

  // OcclusionAwareGenerator: warps `source` so its keypoints (kpSource,
  // jacSource) move to (kpDriving, jacDriving). `sourceBatch` is 1 (one
  // source shared by all `batch` outputs: encoded once) or `batch`.
  // prediction: (batch,3,256,256) in [0,1].
  NetStatus generate(int batch, int sourceBatch, const float* source, const float* kpSource,
                     const float* jacSource, const float* kpDriving, const float* jacDriving,
                     float* prediction) const;

  const NetOptions& options() const;
  const FommConfig& config() const;

  struct Impl;

 private:
  explicit FommNet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The official normalize_kp (demo.py / animate.py) options; the defaults are
// the demo's `--relative --adapt_scale`.
struct FommNormalizeOptions {
  bool relativeMovement = true;    // kp = kp_src + (kp_drv - kp_drv_initial) * scale
  bool relativeJacobian = true;    // J = (J_drv . inv(J_drv_initial)) . J_src
  bool adaptMovementScale = true;  // scale = sqrt(hull area(kp_src) / hull area(kp_drv_initial))
};

// Keypoints for the generator for `batch` driving frames, against one source
// and the driving video's initial (or best-matching) frame, each (1,10,2) and
// (1,10,2,2). Without relativeMovement the driving keypoints pass unchanged
// (absolute animation). Errors name the input: a zero-area keypoint hull
// (adapt scale undefined), a singular initial jacobian, non-finite values.
NetStatus fommNormalizeKeypoints(int batch, const float* kpSource, const float* jacSource,
                                 const float* kpDrivingInitial, const float* jacDrivingInitial,
                                 const float* kpDriving, const float* jacDriving,
                                 const FommNormalizeOptions& options, float* kpOut, float* jacOut);

// Area of the convex hull of n 2-D points (x, y interleaved); 0 when they are
// collinear or fewer than 3.
double convexHullArea(const float* points, int n);

}  // namespace avatar::nets
