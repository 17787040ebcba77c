// FOMM forward pass (vox-256): KPDetector, DenseMotionNetwork and
// OcclusionAwareGenerator as in the official modules/*.py. Convolutions run
// in the compute dtype (fp16 on CUDA when asked); keypoints, jacobians,
// softmaxes, motion fields and grid sampling stay in float32.
#include <cmath>

#include "avatar_nets/fomm.h"
#include "fomm_blocks.h"

namespace avatar::nets {

using namespace detail;

struct FommNet::Impl {
  NetOptions options;
  FommConfig config;
  torch::Device device{torch::kCPU};
  torch::ScalarType dtype = torch::kFloat;
  // KPDetector
  torch::Tensor kpDown;
  FommHourglassNet kpHourglass;
  FommFolded kp, jacobian;
  // DenseMotionNetwork
  torch::Tensor dmDown;
  FommHourglassNet dmHourglass;
  FommFolded mask, occlusion;
  // Generator
  FommFolded first, final;
  std::vector<FommFolded> down, up;
  struct Res {
    FommAffine norm1;
    FommFolded conv1;  // with norm2 folded in
    FommFolded conv2;
  };
  std::vector<Res> bottleneck;

  torch::Tensor in(const torch::Tensor& x) const { return x.to(dtype); }

  // image (B,3,256,256) float32 -> value (B,10,2), jacobian (B,10,2,2).
  std::pair<torch::Tensor, torch::Tensor> detect(const torch::Tensor& image) const {
    const torch::Tensor feature = kpHourglass.forward(antiAliasDown(in(image), kpDown));
    const torch::Tensor pred = kp.apply(feature).to(torch::kFloat);
    const int64_t b = pred.size(0), k = pred.size(1), h = pred.size(2), w = pred.size(3);
    const torch::Tensor heat =
        torch::softmax(pred.view({b, k, -1}) / kFommTemperature, 2).view({b, k, h, w});
    const torch::Tensor grid = coordinateGrid(h, w, device).view({1, 1, h, w, 2});
    const torch::Tensor value = (heat.unsqueeze(-1) * grid).sum({2, 3});
    const torch::Tensor jmap = jacobian.apply(feature).to(torch::kFloat).reshape({b, k, 4, h, w});
    const torch::Tensor jac =
        (heat.unsqueeze(2) * jmap).view({b, k, 4, -1}).sum(-1).view({b, k, 2, 2});
    return {value, jac};
  }

  // Eq. 6: Gaussians of the driving minus the source keypoints, background
  // channel of zeros first -> (B,11,1,h,w).
  torch::Tensor heatmaps(const torch::Tensor& grid, const torch::Tensor& kpDrv,
                         const torch::Tensor& kpSrc) const {
    const int64_t b = kpDrv.size(0), h = grid.size(0), w = grid.size(1);
    auto gaussian = [&](const torch::Tensor& kpv) {
      const torch::Tensor d = grid.view({1, 1, h, w, 2}) - kpv.view({b, kFommKp, 1, 1, 2});
      return torch::exp(-0.5 * d.square().sum(-1) / kFommKpVariance);
    };
    const torch::Tensor heat = gaussian(kpDrv) - gaussian(kpSrc);
    return torch::cat({torch::zeros({b, 1, h, w}, heat.options()), heat}, 1).unsqueeze(2);
  }

  // Eq. 4: for each keypoint, where each driving-frame point comes from in the
  // source; identity first -> (B,11,h,w,2).
  torch::Tensor sparseMotions(const torch::Tensor& grid, const torch::Tensor& kpDrv,
                              const torch::Tensor& jacDrv, const torch::Tensor& kpSrc,
                              const torch::Tensor& jacSrc) const {
    const int64_t b = kpDrv.size(0), h = grid.size(0), w = grid.size(1);
    const torch::Tensor identity = grid.view({1, 1, h, w, 2});
    torch::Tensor coord = identity - kpDrv.view({b, kFommKp, 1, 1, 2});
    const torch::Tensor j =
        torch::matmul(jacSrc, torch::inverse(jacDrv)).view({b, kFommKp, 1, 1, 2, 2});
    coord = torch::matmul(j, coord.unsqueeze(-1)).squeeze(-1);
    const torch::Tensor toSource = coord + kpSrc.view({b, kFommKp, 1, 1, 2});
    return torch::cat({identity.expand({b, 1, h, w, 2}), toSource}, 1);
  }

  // DenseMotionNetwork: deformation (B,64,64,2) and occlusion (B,1,64,64).
  std::pair<torch::Tensor, torch::Tensor> denseMotion(const torch::Tensor& smallSource,
                                                      const torch::Tensor& kpDrv,
                                                      const torch::Tensor& jacDrv,
                                                      const torch::Tensor& kpSrc,
                                                      const torch::Tensor& jacSrc) const {
    const int64_t b = kpDrv.size(0), c = smallSource.size(1);
    const int64_t h = smallSource.size(2), w = smallSource.size(3);
    const int64_t n = kFommKp + 1;
    const torch::Tensor grid = coordinateGrid(h, w, device);
    const torch::Tensor heat = heatmaps(grid, kpDrv, kpSrc);
    const torch::Tensor sparse = sparseMotions(grid, kpDrv, jacDrv, kpSrc, jacSrc);
    const torch::Tensor repeated =
        smallSource.unsqueeze(1).expand({b, n, c, h, w}).reshape({b * n, c, h, w});
    const torch::Tensor deformed =
        gridSample(repeated, sparse.reshape({b * n, h, w, 2}), config.alignCorners)
            .view({b, n, c, h, w});
    const torch::Tensor input = torch::cat({heat, deformed}, 2).view({b, -1, h, w});
    const torch::Tensor pred = dmHourglass.forward(in(input));
    const torch::Tensor m = torch::softmax(mask.apply(pred).to(torch::kFloat), 1).unsqueeze(2);
    const torch::Tensor deformation =
        (sparse.permute({0, 1, 4, 2, 3}) * m).sum(1).permute({0, 2, 3, 1});
    const torch::Tensor occ = torch::sigmoid(occlusion.apply(pred).to(torch::kFloat));
    return {deformation, occ};
  }

  // source (S,3,256,256) float32, S = 1 (shared) or B; keypoints for B outputs.
  torch::Tensor generate(const torch::Tensor& source, const torch::Tensor& kpSrc,
                         const torch::Tensor& jacSrc, const torch::Tensor& kpDrv,
                         const torch::Tensor& jacDrv) const {
    const int64_t b = kpDrv.size(0);
    torch::Tensor feat = first.apply(in(source)).relu_();
    for (const auto& d : down) feat = downBlock(d, feat);
    torch::Tensor small = antiAliasDown(in(source), dmDown).to(torch::kFloat);
    if (source.size(0) != b) {  // one shared source: encoded once
      feat = feat.expand({b, -1, -1, -1});
      small = small.expand({b, -1, -1, -1});
    }
    auto [deformation, occ] = denseMotion(small, kpDrv, jacDrv, kpSrc.expand({b, -1, -1}),
                                          jacSrc.expand({b, -1, -1, -1}));
    const int64_t fh = feat.size(2), fw = feat.size(3);
    if (deformation.size(1) != fh || deformation.size(2) != fw) {
      deformation = torch::upsample_bilinear2d(deformation.permute({0, 3, 1, 2}), {fh, fw}, false)
                        .permute({0, 2, 3, 1});
    }
    if (occ.size(2) != fh || occ.size(3) != fw)
      occ = torch::upsample_bilinear2d(occ, {fh, fw}, false);
    torch::Tensor out =
        in(gridSample(feat.to(torch::kFloat).contiguous(), deformation, config.alignCorners) * occ);
    for (const auto& r : bottleneck) {
      torch::Tensor y = r.conv1.apply(r.norm1.apply(out).relu_()).relu_();
      out = r.conv2.apply(y) + out;
    }
    for (const auto& u : up) out = upBlock(u, out);
    return torch::sigmoid(final.apply(out).to(torch::kFloat));
  }
};

FommNet::FommNet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FommNet::~FommNet() = default;

const NetOptions& FommNet::options() const {
  return impl_->options;
}

const FommConfig& FommNet::config() const {
  return impl_->config;
}

NetStatus FommNet::load(const std::string& path, const NetOptions& options,
                        std::unique_ptr<FommNet>* out, const FommConfig& config) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->config = config;
  if (NetStatus s = resolveDevice(options, &impl->device, &impl->dtype); !s) return s;
  TensorMap p;
  if (NetStatus s = loadWeights(path, NetKind::Fomm, &p); !s) return s;
  return guarded(path, [&] {
    torch::NoGradGuard noGrad;
    const FommArch& a = fommArch();
    const torch::Device d = impl->device;
    const torch::ScalarType t = impl->dtype;
    impl->kpDown = p.at(a.kpDown).to(d, t);
    impl->kpHourglass = foldHourglass(a.kpHourglass, p, d, t);
    impl->kp = foldConv(a.kp, p, d, t);
    impl->jacobian = foldConv(a.jacobian, p, d, t);
    impl->dmDown = p.at(a.dmDown).to(d, t);
    impl->dmHourglass = foldHourglass(a.dmHourglass, p, d, t);
    impl->mask = foldConv(a.mask, p, d, t);
    impl->occlusion = foldConv(a.occlusion, p, d, t);
    impl->first = foldConv(a.first, p, d, t);
    for (const auto& c : a.down) impl->down.push_back(foldConv(c, p, d, t));
    for (const auto& c : a.up) impl->up.push_back(foldConv(c, p, d, t));
    for (const auto& r : a.bottleneck) {
      FommConv conv1 = r.conv1;
      conv1.norm = r.norm2;  // conv1 -> norm2: fold
      impl->bottleneck.push_back(
          {foldNorm(r.norm1, p, d, t), foldConv(conv1, p, d, t), foldConv(r.conv2, p, d, t)});
    }
    impl->final = foldConv(a.final, p, d, t);
    if (d.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
    out->reset(new FommNet(std::move(impl)));
    return NetStatus::ok();
  });
}

namespace {

NetStatus checkBatch(int batch) {
  if (batch >= 1) return NetStatus::ok();
  return NetStatus::error(NetError::InvalidArgument, "batch",
                          "must be at least 1, got " + std::to_string(batch));
}

// Every 2x2 jacobian must be invertible (the generator inverts the driving ones).
NetStatus checkInvertible(const char* name, const float* j, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    const double det = double(j[4 * i]) * j[4 * i + 3] - double(j[4 * i + 1]) * j[4 * i + 2];
    if (!(std::abs(det) > 1e-12)) {
      return NetStatus::error(NetError::InvalidArgument, name,
                              "jacobian " + std::to_string(i) + " is singular (determinant " +
                                  std::to_string(det) + ")");
    }
  }
  return NetStatus::ok();
}

torch::Tensor hostTensor(const float* data, torch::IntArrayRef shape, torch::Device d) {
  return toDevice(data, shape, d, torch::kFloat);
}

}  // namespace

NetStatus FommNet::detect(int batch, const float* image, float* keypoints, float* jacobians) const {
  if (NetStatus s = checkBatch(batch); !s) return s;
  if (NetStatus s = checkInput("image", image, size_t(batch) * kImageFloats); !s) return s;
  if (!keypoints || !jacobians)
    return NetStatus::error(NetError::InvalidArgument, "out", "no output buffer");
  return guarded("fomm", [&] {
    c10::InferenceMode inference;
    const Impl& m = *impl_;
    auto [value, jac] = m.detect(hostTensor(image, {batch, 3, kSize, kSize}, m.device));
    toHost(value, keypoints);
    toHost(jac, jacobians);
    return NetStatus::ok();
  });
}

NetStatus FommNet::generate(int batch, int sourceBatch, const float* source, const float* kpSource,
                            const float* jacSource, const float* kpDriving, const float* jacDriving,
                            float* prediction) const {
  if (NetStatus s = checkBatch(batch); !s) return s;
  if (sourceBatch != 1 && sourceBatch != batch) {
    return NetStatus::error(NetError::InvalidArgument, "sourceBatch",
                            "must be 1 or the batch (" + std::to_string(batch) + "), got " +
                                std::to_string(sourceBatch));
  }
  const size_t s = size_t(sourceBatch), b = size_t(batch);
  if (NetStatus st = checkInput("source", source, s * kImageFloats); !st) return st;
  if (NetStatus st = checkInput("kp_source", kpSource, s * kKeypointFloats); !st) return st;
  if (NetStatus st = checkInput("jacobian_source", jacSource, s * kJacobianFloats); !st) return st;
  if (NetStatus st = checkInput("kp_driving", kpDriving, b * kKeypointFloats); !st) return st;
  if (NetStatus st = checkInput("jacobian_driving", jacDriving, b * kJacobianFloats); !st)
    return st;
  if (NetStatus st = checkInvertible("jacobian_driving", jacDriving, b * kKeypoints); !st)
    return st;
  if (!prediction) return NetStatus::error(NetError::InvalidArgument, "out", "no output buffer");
  return guarded("fomm", [&] {
    c10::InferenceMode inference;
    const Impl& m = *impl_;
    const int64_t sb = sourceBatch;
    const torch::Tensor out =
        m.generate(hostTensor(source, {sb, 3, kSize, kSize}, m.device),
                   hostTensor(kpSource, {sb, kKeypoints, 2}, m.device),
                   hostTensor(jacSource, {sb, kKeypoints, 2, 2}, m.device),
                   hostTensor(kpDriving, {batch, kKeypoints, 2}, m.device),
                   hostTensor(jacDriving, {batch, kKeypoints, 2, 2}, m.device));
    toHost(out, prediction);
    return NetStatus::ok();
  });
}

}  // namespace avatar::nets
