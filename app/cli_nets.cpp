// avatar-renderer nets: run one neural net on tensors from a safetensors file
// (parity checks against the official implementations), write random-weight
// files, and list the keys a net consumes.
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "avatar/status.h"
#include "avatar_nets/nets.h"
#include "avatar_nets/runtime.h"
#include "avatar_nets/safetensors.h"
#include "avatar_nets/weights.h"
#include "cli_args.h"
#include "cli_nets.h"
#include "cli_nets_diff2lip.h"
#include "commands.h"
#include "exit_codes.h"

namespace app {

using avatar::ErrorCode;
using namespace avatar::nets;

int netsFail(const NetStatus& s, NetRole role) {
  ErrorCode code = ErrorCode::Internal;
  switch (s.code()) {
    case NetError::Ok:
      return kExitOk;
    case NetError::InvalidArgument:
      code = role == NetRole::Output ? ErrorCode::OutputNotWritable : ErrorCode::InvalidArgument;
      break;
    case NetError::FileNotFound:
      code = role == NetRole::Weights ? ErrorCode::ModelMissing : ErrorCode::InputNotFound;
      break;
    case NetError::InvalidFile:
    case NetError::WeightsMismatch:
    case NetError::InvalidWeights:
      code = role == NetRole::Weights ? ErrorCode::ModelInvalid : ErrorCode::UnsupportedMedia;
      break;
    case NetError::DeviceUnavailable:
      code = ErrorCode::DeviceUnavailable;
      break;
    case NetError::OutOfMemory:
      code = ErrorCode::OutOfMemory;
      break;
    case NetError::Internal:
      code = ErrorCode::Internal;
      break;
  }
  std::fprintf(stderr, "avatar-renderer nets: %s\n", s.message().c_str());
  return exitCodeFor(code);
}

NetStatus netsReadInput(const SafetensorsFile& f, const std::string& name,
                        const std::vector<int64_t>& tail, std::vector<int64_t>* shape,
                        std::vector<float>* values) {
  if (NetStatus s = f.readFloat(name, shape, values); !s) return s;
  bool ok = shape->size() == tail.size() + 1 && (*shape)[0] >= 1;
  for (size_t i = 0; ok && i < tail.size(); ++i) ok = (*shape)[i + 1] == tail[i];
  if (!ok) {
    std::string want = "(B";
    for (int64_t d : tail) want += ", " + std::to_string(d);
    return NetStatus::error(NetError::InvalidArgument, f.path(),
                            "tensor '" + name + "' must have shape " + want + ")");
  }
  return NetStatus::ok();
}

namespace {

using Role = NetRole;  // short local names for the shared helpers
auto* const fail = &netsFail;
auto* const readInput = &netsReadInput;

int usage(const std::string& message) {
  std::fprintf(stderr, "avatar-renderer nets: %s\nTry `avatar-renderer nets --help`.\n",
               message.c_str());
  return kExitUsage;
}

void printHelp(const ArgParser& p) {
  std::printf(
      "Usage:\n"
      "  avatar-renderer nets eval --net NAME --weights W.safetensors --inputs IN.safetensors\n"
      "                            --out OUT.safetensors [--device cpu|cuda] [--half]\n"
      "  avatar-renderer nets random-weights --net NAME --out W.safetensors [--seed N]\n"
      "  avatar-renderer nets keys --net NAME\n\n"
      "Nets and tensors (float32, NCHW):\n"
      "  wav2lip  inputs mel (B,1,80,16) and face (B,6,96,96) -> out (B,3,96,96) in [0,1]\n"
      "  gfpgan   input image (B,3,512,512) RGB in [-1,1] -> out (B,3,512,512), not clamped;\n"
      "           noise from the stored stylegan_decoder.noises buffers (deterministic)\n"
      "  diff2lip inputs x, cond_img, ref_img (B,3,128,128), mask (B,1,128,128), t (B) int64,\n"
      "           mel (B,80,16) -> out (B,6,128,128): one UNet evaluation\n"
      "  diff2lip_sample  inputs noise, cond_img, mask, ref_img, mel -> sample (B,3,128,128):\n"
      "           the DDIM loop (eta 0, clipped) over --steps (default 25) timesteps\n\n"
      "  fomm     inputs source and driving (B,3,256,256) RGB in [0,1] -> prediction\n"
      "           (B,3,256,256), kp_source, kp_driving (B,10,2), jacobian_source,\n"
      "           jacobian_driving (B,10,2,2): absolute keypoints (no normalisation)\n\n"
      "Options:\n%s",
      p.helpText().c_str());
}

int runEval(const ArgParser& p, NetKind kind) {
  for (const char* flag : {"weights", "inputs", "out"}) {
    if (!p.has(flag)) return usage(std::string("eval needs --") + flag);
  }
  NetOptions o;
  const std::string device = p.value("device").value_or("cpu");
  if (device != "cpu" && device != "cuda") return usage("--device must be cpu or cuda");
  o.cuda = device == "cuda";
  o.half = p.has("half");
  if (kind == NetKind::Diff2Lip)
    return runDiff2LipEval(p, o, device,
                           [](const NetStatus& s, int r) { return fail(s, Role(r)); });
  std::unique_ptr<SafetensorsFile> in;
  if (NetStatus s = SafetensorsFile::open(*p.value("inputs"), &in); !s)
    return fail(s, Role::Inputs);
  if (kind == NetKind::Fomm) return runFommEval(p, o, *in, device);
  std::vector<int64_t> shape, shape2;
  std::vector<float> a, b, out;
  int batch = 0;
  std::unique_ptr<Wav2LipNet> w2l;
  std::unique_ptr<GfpganNet> gfp;
  if (kind == NetKind::Wav2Lip) {
    if (NetStatus s = readInput(*in, "mel", {1, 80, 16}, &shape, &a); !s)
      return fail(s, Role::Inputs);
    if (NetStatus s = readInput(*in, "face", {6, 96, 96}, &shape2, &b); !s)
      return fail(s, Role::Inputs);
    if (shape[0] != shape2[0]) {
      return fail(NetStatus::error(NetError::InvalidArgument, in->path(),
                                   "mel and face have different batch sizes"),
                  Role::Inputs);
    }
    batch = int(shape[0]);
    if (NetStatus s = Wav2LipNet::load(*p.value("weights"), o, &w2l); !s)
      return fail(s, Role::Weights);
  } else {
    if (NetStatus s = readInput(*in, "image", {3, 512, 512}, &shape, &a); !s)
      return fail(s, Role::Inputs);
    batch = int(shape[0]);
    if (NetStatus s = GfpganNet::load(*p.value("weights"), o, &gfp); !s)
      return fail(s, Role::Weights);
  }
  const int64_t side = kind == NetKind::Wav2Lip ? Wav2LipNet::kFaceSize : GfpganNet::kSize;
  shape = {batch, 3, side, side};
  out.assign(size_t(batch) * 3 * size_t(side * side), 0.f);
  const auto t0 = std::chrono::steady_clock::now();
  NetStatus s =
      w2l ? w2l->run(batch, a.data(), b.data(), out.data()) : gfp->run(batch, a.data(), out.data());
  if (!s) return fail(s, Role::Run);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  s = writeSafetensors(*p.value("out"), {{"out", DType::F32, shape, out.data()}},
                       {{"net", netName(kind)},
                        {"device", device},
                        {"precision", o.half ? "fp16" : "fp32"},
                        {"cpu_threads", std::to_string(cpuThreads())}});
  if (!s) return fail(s, Role::Output);
  std::fprintf(stderr, "nets eval: %s batch %d on %s %s (%d CPU threads): %.1f ms\n", netName(kind),
               batch, device.c_str(), o.half ? "fp16" : "fp32", cpuThreads(), ms);
  return kExitOk;
}

}  // namespace

int runNets(int argc, char** argv) {
  ArgParser p;
  p.add({"net", "", true, "NAME", "wav2lip, gfpgan, diff2lip, diff2lip_sample or fomm."});
  p.add({"steps", "", true, "N", "DDIM steps for diff2lip_sample (default 25)."});
  p.add(
      {"weights", "", true, "FILE", "Weights (.safetensors, see scripts/convert_checkpoint.py)."});
  p.add({"inputs", "", true, "FILE", "Input tensors (.safetensors)."});
  p.add({"out", "o", true, "FILE", "Where to write the output tensors or weights."});
  p.add({"device", "", true, "DEV", "cpu (default) or cuda."});
  p.add({"half", "", false, "", "fp16 compute (CUDA only)."});
  p.add({"seed", "", true, "N", "Seed for random-weights (default 1)."});
  p.add({"threads", "", true, "N", "CPU threads (default: all cores)."});
  p.add({"help", "h", false, "", "Show this help."});
  std::string error;
  if (argc < 3 || std::string(argv[2]) == "--help" || std::string(argv[2]) == "-h") {
    printHelp(p);
    return argc < 3 ? kExitUsage : kExitOk;
  }
  const std::string verb = argv[2];
  if (!p.parse(argc, argv, 3, &error)) return usage(error);
  if (p.has("help")) {
    printHelp(p);
    return kExitOk;
  }
  if (!p.positional().empty()) return usage("unexpected argument " + p.positional()[0]);
  NetKind kind;
  const std::string net = p.value("net").value_or("");
  if (!netFromName(net == "diff2lip_sample" ? "diff2lip" : net, &kind))
    return usage("--net must be wav2lip, gfpgan, diff2lip, diff2lip_sample or fomm");
  int threads = int(std::max(1u, std::thread::hardware_concurrency()));
  try {
    if (p.has("threads")) threads = std::stoi(*p.value("threads"));
  } catch (const std::exception&) {
    threads = -1;
  }
  if (threads < 1) return usage("--threads must be a positive integer");
  setCpuThreads(threads);
  if (verb == "eval") return runEval(p, kind);
  if (verb == "random-weights") {
    if (!p.has("out")) return usage("random-weights needs --out");
    uint64_t seed = 1;
    try {
      if (p.has("seed")) seed = std::stoull(*p.value("seed"));
    } catch (const std::exception&) {
      return usage("--seed must be a non-negative integer");
    }
    if (NetStatus s = writeRandomWeights(kind, *p.value("out"), seed); !s)
      return fail(s, Role::Output);
    return kExitOk;
  }
  if (verb == "keys") {
    for (const auto& s : weightSpecs(kind)) {
      std::string shape = "(";
      for (size_t i = 0; i < s.shape.size(); ++i)
        shape += (i ? ", " : "") + std::to_string(s.shape[i]);
      shape += s.shape.size() == 1 ? ",)" : ")";
      std::printf("%s\t%s\t%s\n", s.name.c_str(), shape.c_str(),
                  s.dtype == DType::I64 ? "torch.int64" : "torch.float32");
    }
    return kExitOk;
  }
  return usage("unknown nets command \"" + verb + "\" (eval, random-weights, keys)");
}

}  // namespace app
