#include "cli_nets_diff2lip.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <tuple>
#include <vector>

#include "avatar_nets/diff2lip.h"
#include "avatar_nets/runtime.h"
#include "avatar_nets/safetensors.h"
#include "exit_codes.h"

namespace app {
namespace {

using namespace avatar::nets;

constexpr int kWeights = 0, kInputs = 1, kOutput = 2, kRun = 3;

std::string shapeText(const std::vector<int64_t>& tail) {
  std::string s = "(B";
  for (int64_t d : tail) s += ", " + std::to_string(d);
  return s + ")";
}

// A float input with shape (B, tail...); every input must share one B.
NetStatus readFloat(const SafetensorsFile& f, const std::string& name,
                    const std::vector<int64_t>& tail, int* batch, std::vector<float>* values) {
  std::vector<int64_t> shape;
  if (NetStatus s = f.readFloat(name, &shape, values); !s) return s;
  bool ok = shape.size() == tail.size() + 1 && shape[0] >= 1;
  for (size_t i = 0; ok && i < tail.size(); ++i) ok = shape[i + 1] == tail[i];
  if (!ok) {
    return NetStatus::error(NetError::InvalidArgument, f.path(),
                            "tensor '" + name + "' must have shape " + shapeText(tail));
  }
  if (*batch != 0 && shape[0] != *batch) {
    return NetStatus::error(NetError::InvalidArgument, f.path(),
                            "tensor '" + name + "' has batch " + std::to_string(shape[0]) +
                                ", the others " + std::to_string(*batch));
  }
  *batch = int(shape[0]);
  return NetStatus::ok();
}

// The timesteps: an I64 (or I32) tensor of shape (B).
NetStatus readTimesteps(const SafetensorsFile& f, int batch, std::vector<int64_t>* out) {
  const TensorEntry* t = f.header().find("t");
  if (!t) return NetStatus::error(NetError::InvalidArgument, f.path(), "no tensor 't'");
  if ((t->dtype != DType::I64 && t->dtype != DType::I32) || t->shape.size() != 1 ||
      t->shape[0] != batch) {
    return NetStatus::error(
        NetError::InvalidArgument, f.path(),
        "tensor 't' must be I64 (or I32) with shape (" + std::to_string(batch) + ",)");
  }
  out->resize(size_t(batch));
  const uint8_t* d = f.data(*t);
  for (int i = 0; i < batch; ++i) {
    if (t->dtype == DType::I64) {
      std::memcpy(&(*out)[size_t(i)], d + 8 * i, 8);
    } else {
      int32_t v = 0;
      std::memcpy(&v, d + 4 * i, 4);
      (*out)[size_t(i)] = v;
    }
  }
  return NetStatus::ok();
}

}  // namespace

int runDiff2LipEval(const ArgParser& p, const NetOptions& o, const std::string& device,
                    NetsFail fail) {
  const bool loop = p.value("net") == "diff2lip_sample";
  int steps = kDefaultDdimSteps;
  if (p.has("steps")) {
    try {
      steps = std::stoi(*p.value("steps"));
    } catch (const std::exception&) {
      steps = -1;
    }
    DdimSchedule schedule;
    if (NetStatus s = ddimSchedule(steps, &schedule); !s) {
      std::fprintf(stderr, "avatar-renderer nets: --steps: %s\n", s.detail().c_str());
      return kExitUsage;
    }
  }
  std::unique_ptr<SafetensorsFile> in;
  if (NetStatus s = SafetensorsFile::open(*p.value("inputs"), &in); !s) return fail(s, kInputs);
  const int64_t S = Diff2LipNet::kSize;
  int batch = 0;
  std::vector<float> x, cond, mask, ref, mel;
  std::vector<int64_t> t;
  const std::vector<int64_t> image = {3, S, S};
  for (auto [name, tail, values] :
       {std::make_tuple(loop ? "noise" : "x", image, &x), std::make_tuple("cond_img", image, &cond),
        std::make_tuple("mask", std::vector<int64_t>{1, S, S}, &mask),
        std::make_tuple("ref_img", image, &ref),
        std::make_tuple("mel", std::vector<int64_t>{Diff2LipNet::kMelBands, Diff2LipNet::kMelSteps},
                        &mel)}) {
    if (NetStatus s = readFloat(*in, name, tail, &batch, values); !s) return fail(s, kInputs);
  }
  if (!loop) {
    if (NetStatus s = readTimesteps(*in, batch, &t); !s) return fail(s, kInputs);
  }
  std::unique_ptr<Diff2LipNet> net;
  if (NetStatus s = Diff2LipNet::load(*p.value("weights"), o, &net); !s) return fail(s, kWeights);
  const int channels = loop ? 3 : Diff2LipNet::kOutChannels;
  std::vector<float> out(size_t(batch) * size_t(channels) * size_t(S * S));
  const auto t0 = std::chrono::steady_clock::now();
  NetStatus s = loop ? net->sample(batch, steps, x.data(), cond.data(), mask.data(), ref.data(),
                                   mel.data(), out.data())
                     : net->run(batch, x.data(), t.data(), cond.data(), mask.data(), ref.data(),
                                mel.data(), out.data());
  if (!s) return fail(s, kRun);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::map<std::string, std::string> meta = {{"net", loop ? "diff2lip_sample" : "diff2lip"},
                                             {"device", device},
                                             {"precision", o.half ? "fp16" : "fp32"},
                                             {"cpu_threads", std::to_string(cpuThreads())}};
  if (loop) meta["steps"] = std::to_string(steps);
  s = writeSafetensors(*p.value("out"),
                       {{loop ? "sample" : "out", DType::F32, {batch, channels, S, S}, out.data()}},
                       meta);
  if (!s) return fail(s, kOutput);
  std::fprintf(stderr, "nets eval: %s batch %d%s on %s %s (%d CPU threads): %.1f ms\n",
               loop ? "diff2lip_sample" : "diff2lip", batch,
               loop ? (", " + std::to_string(steps) + " steps").c_str() : "", device.c_str(),
               o.half ? "fp16" : "fp32", cpuThreads(), ms);
  return kExitOk;
}

}  // namespace app
