// avatar-renderer nets eval --net fomm: keypoints of source and driving, and
// the generator's prediction with the absolute driving keypoints (no
// normalize_kp), for parity with the official first-order-model.
#include <chrono>
#include <cstdio>

#include "avatar_nets/fomm.h"
#include "avatar_nets/runtime.h"
#include "cli_nets.h"
#include "exit_codes.h"

namespace app {

using namespace avatar::nets;

int runFommEval(const ArgParser& p, const NetOptions& o, const SafetensorsFile& in,
                const std::string& device) {
  const std::vector<int64_t> image{3, FommNet::kSize, FommNet::kSize};
  std::vector<int64_t> shapeS, shapeD;
  std::vector<float> source, driving;
  if (NetStatus s = netsReadInput(in, "source", image, &shapeS, &source); !s)
    return netsFail(s, NetRole::Inputs);
  if (NetStatus s = netsReadInput(in, "driving", image, &shapeD, &driving); !s)
    return netsFail(s, NetRole::Inputs);
  if (shapeS[0] != shapeD[0]) {
    return netsFail(NetStatus::error(NetError::InvalidArgument, in.path(),
                                     "source and driving have different batch sizes"),
                    NetRole::Inputs);
  }
  const int batch = int(shapeS[0]);
  std::unique_ptr<FommNet> net;
  if (NetStatus s = FommNet::load(*p.value("weights"), o, &net); !s)
    return netsFail(s, NetRole::Weights);
  const size_t b = size_t(batch);
  std::vector<float> kpS(b * FommNet::kKeypointFloats), jacS(b * FommNet::kJacobianFloats);
  std::vector<float> kpD(kpS.size()), jacD(jacS.size()), pred(b * FommNet::kImageFloats);
  const auto t0 = std::chrono::steady_clock::now();
  NetStatus s = net->detect(batch, source.data(), kpS.data(), jacS.data());
  if (s) s = net->detect(batch, driving.data(), kpD.data(), jacD.data());
  if (s) {
    s = net->generate(batch, batch, source.data(), kpS.data(), jacS.data(), kpD.data(), jacD.data(),
                      pred.data());
  }
  if (!s) return netsFail(s, NetRole::Run);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const int64_t k = FommNet::kKeypoints, n = batch;
  s = writeSafetensors(*p.value("out"),
                       {{"prediction", DType::F32, shapeS, pred.data()},
                        {"kp_source", DType::F32, {n, k, 2}, kpS.data()},
                        {"kp_driving", DType::F32, {n, k, 2}, kpD.data()},
                        {"jacobian_source", DType::F32, {n, k, 2, 2}, jacS.data()},
                        {"jacobian_driving", DType::F32, {n, k, 2, 2}, jacD.data()}},
                       {{"net", "fomm"},
                        {"device", device},
                        {"precision", o.half ? "fp16" : "fp32"},
                        {"cpu_threads", std::to_string(cpuThreads())}});
  if (!s) return netsFail(s, NetRole::Output);
  std::fprintf(stderr, "nets eval: fomm batch %d on %s %s (%d CPU threads): %.1f ms\n", batch,
               device.c_str(), o.half ? "fp16" : "fp32", cpuThreads(), ms);
  return kExitOk;
}

}  // namespace app
