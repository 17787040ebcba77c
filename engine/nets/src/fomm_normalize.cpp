// The official normalize_kp (first-order-model animate.py) on host buffers,
// and the convex hull area it scales movement by (scipy's ConvexHull volume
// in 2-D).
#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>
#include <vector>

#include "avatar_nets/fomm.h"

namespace avatar::nets {
namespace {

using Mat2 = std::array<double, 4>;  // row-major

Mat2 load(const float* j) {
  return {j[0], j[1], j[2], j[3]};
}

Mat2 mul(const Mat2& a, const Mat2& b) {
  return {a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
          a[2] * b[1] + a[3] * b[3]};
}

NetStatus finite(const char* name, const float* v, size_t n) {
  if (!v) return NetStatus::error(NetError::InvalidArgument, name, "no data given");
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(v[i])) {
      return NetStatus::error(NetError::InvalidArgument, name,
                              "holds NaN or infinite values (element " + std::to_string(i) + ")");
    }
  }
  return NetStatus::ok();
}

double cross(const std::array<double, 2>& o, const std::array<double, 2>& a,
             const std::array<double, 2>& b) {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

}  // namespace

double convexHullArea(const float* points, int n) {
  if (!points || n < 3) return 0;
  std::vector<std::array<double, 2>> p(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) p[size_t(i)] = {points[2 * i], points[2 * i + 1]};
  std::sort(p.begin(), p.end());
  // Andrew's monotone chain.
  std::vector<std::array<double, 2>> hull(2 * p.size());
  size_t k = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    while (k >= 2 && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) --k;
    hull[k++] = p[i];
  }
  for (size_t i = p.size() - 1, t = k + 1; i > 0; --i) {
    while (k >= t && cross(hull[k - 2], hull[k - 1], p[i - 1]) <= 0) --k;
    hull[k++] = p[i - 1];
  }
  double area = 0;
  for (size_t i = 0; i + 1 < k; ++i)
    area += hull[i][0] * hull[i + 1][1] - hull[i + 1][0] * hull[i][1];
  return std::abs(area) / 2;
}

NetStatus fommNormalizeKeypoints(int batch, const float* kpSource, const float* jacSource,
                                 const float* kpDrivingInitial, const float* jacDrivingInitial,
                                 const float* kpDriving, const float* jacDriving,
                                 const FommNormalizeOptions& o, float* kpOut, float* jacOut) {
  constexpr int K = FommNet::kKeypoints;
  if (batch < 1) {
    return NetStatus::error(NetError::InvalidArgument, "batch",
                            "must be at least 1, got " + std::to_string(batch));
  }
  const size_t b = size_t(batch);
  for (auto [name, v, n] :
       {std::tuple{"kp_source", kpSource, size_t(2 * K)},
        std::tuple{"jacobian_source", jacSource, size_t(4 * K)},
        std::tuple{"kp_driving_initial", kpDrivingInitial, size_t(2 * K)},
        std::tuple{"jacobian_driving_initial", jacDrivingInitial, size_t(4 * K)},
        std::tuple{"kp_driving", kpDriving, b * 2 * K},
        std::tuple{"jacobian_driving", jacDriving, b * 4 * K}}) {
    if (NetStatus s = finite(name, v, n); !s) return s;
  }
  if (!kpOut || !jacOut)
    return NetStatus::error(NetError::InvalidArgument, "out", "no output buffer");
  std::copy(kpDriving, kpDriving + b * 2 * K, kpOut);
  std::copy(jacDriving, jacDriving + b * 4 * K, jacOut);
  if (!o.relativeMovement) return NetStatus::ok();  // absolute: the driving keypoints as they are
  double scale = 1;
  if (o.adaptMovementScale) {
    const double src = convexHullArea(kpSource, K);
    const double drv = convexHullArea(kpDrivingInitial, K);
    if (!(drv > 1e-12) || !(src > 1e-12)) {
      return NetStatus::error(
          NetError::InvalidArgument, drv > 1e-12 ? "kp_source" : "kp_driving_initial",
          "keypoints span no area (collinear or coincident): adapt movement scale is undefined");
    }
    scale = std::sqrt(src) / std::sqrt(drv);
  }
  for (size_t i = 0; i < b * 2 * K; ++i) {
    const size_t k = i % (2 * K);
    kpOut[i] = float((double(kpDriving[i]) - kpDrivingInitial[k]) * scale + kpSource[k]);
  }
  if (!o.relativeJacobian) return NetStatus::ok();
  for (int k = 0; k < K; ++k) {
    const Mat2 a = load(jacDrivingInitial + 4 * k);
    const double det = a[0] * a[3] - a[1] * a[2];
    if (!(std::abs(det) > 1e-12)) {
      return NetStatus::error(NetError::InvalidArgument, "jacobian_driving_initial",
                              "jacobian of keypoint " + std::to_string(k) + " is singular");
    }
    const Mat2 inv{a[3] / det, -a[1] / det, -a[2] / det, a[0] / det};
    const Mat2 src = load(jacSource + 4 * k);
    for (size_t f = 0; f < b; ++f) {
      const size_t at = (f * K + size_t(k)) * 4;
      const Mat2 j = mul(mul(load(jacDriving + at), inv), src);
      for (int e = 0; e < 4; ++e) jacOut[at + size_t(e)] = float(j[size_t(e)]);
    }
  }
  return NetStatus::ok();
}

}  // namespace avatar::nets
