// bench_fomm: FOMM (vox-256) throughput on random weights.
//
//   bench_fomm [--batch 1,8] [--device cpu|cuda] [--half] [--threads N]
//              [--iters N] [--max-seconds S] [--weights-dir DIR]
//
// Per batch of driving frames against one shared source (how a driven render
// calls it): the KP detector on the driving frames, the generator (dense
// motion + occlusion-aware generator), and both together, each after one
// warm-up call; ms per batch, ms per frame, frames per second, and the
// process CPU time per frame (all threads: on a machine shared with other
// jobs, wall time grows with the load while CPU time mostly does not).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "avatar_nets/fomm.h"
#include "avatar_nets/runtime.h"
#include "avatar_nets/weights.h"

namespace {

using namespace avatar::nets;
using Clock = std::chrono::steady_clock;

struct Config {
  std::vector<int> batches = {1, 8};
  NetOptions options;
  int threads = int(std::max(1u, std::thread::hardware_concurrency()));
  int iters = 10;
  double maxSeconds = 30;
  std::string weightsDir = (std::filesystem::temp_directory_path() / "avatar-bench-nets").string();
};

struct Timing {
  double wallMs = 0, cpuMs = 0;  // per call
};

template <typename F>
Timing timeCalls(const Config& c, F f, bool* ok) {
  *ok = f();  // warm-up
  int n = 0;
  double elapsed = 0;
  const auto t0 = Clock::now();
  const std::clock_t c0 = std::clock();
  while (*ok && n < c.iters && (n == 0 || elapsed < c.maxSeconds)) {
    *ok = f();
    ++n;
    elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  }
  if (!n) return {};
  return {1000.0 * elapsed / n, 1000.0 * double(std::clock() - c0) / CLOCKS_PER_SEC / n};
}

bool parse(int argc, char** argv, Config* c) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    try {
      if (a == "--batch") {
        c->batches.clear();
        std::stringstream ss(next());
        for (std::string item; std::getline(ss, item, ',');) c->batches.push_back(std::stoi(item));
      } else if (a == "--device") {
        const std::string v = next();
        if (v != "cpu" && v != "cuda") return false;
        c->options.cuda = v == "cuda";
      } else if (a == "--half") {
        c->options.half = true;
      } else if (a == "--threads") {
        c->threads = std::stoi(next());
      } else if (a == "--iters") {
        c->iters = std::stoi(next());
      } else if (a == "--max-seconds") {
        c->maxSeconds = std::stod(next());
      } else if (a == "--weights-dir") {
        c->weightsDir = next();
      } else {
        return false;
      }
    } catch (const std::exception&) {
      return false;
    }
  }
  for (int b : c->batches) {
    if (b < 1) return false;
  }
  return c->threads >= 1 && c->iters >= 1 && !c->batches.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Config c;
  if (!parse(argc, argv, &c)) {
    std::fprintf(stderr,
                 "usage: bench_fomm [--batch 1,8] [--device cpu|cuda] [--half] [--threads N] "
                 "[--iters N] [--max-seconds S] [--weights-dir DIR]\n");
    return 2;
  }
  setCpuThreads(c.threads);
  std::printf("bench_fomm: LibTorch %s, %d CPU threads, CUDA %s\n", torchVersion().c_str(),
              cpuThreads(), cudaAvailable() ? "available" : "not available");
  std::filesystem::create_directories(c.weightsDir);
  const std::string weights = c.weightsDir + "/fomm-random.safetensors";
  if (!std::filesystem::exists(weights)) {
    if (NetStatus s = writeRandomWeights(NetKind::Fomm, weights, 1); !s) {
      std::fprintf(stderr, "bench_fomm: %s\n", s.message().c_str());
      return 1;
    }
  }
  std::unique_ptr<FommNet> net;
  if (NetStatus s = FommNet::load(weights, c.options, &net); !s) {
    std::fprintf(stderr, "bench_fomm: %s\n", s.message().c_str());
    return 1;
  }
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  for (int b : c.batches) {
    std::vector<float> source(FommNet::kImageFloats), driving(size_t(b) * FommNet::kImageFloats);
    for (auto& x : source) x = u(rng);
    for (auto& x : driving) x = u(rng);
    std::vector<float> kpS(FommNet::kKeypointFloats), jacS(FommNet::kJacobianFloats);
    std::vector<float> kpD(size_t(b) * kpS.size()), jacD(size_t(b) * jacS.size());
    std::vector<float> out(driving.size());
    NetStatus last;
    if (!(last = net->detect(1, source.data(), kpS.data(), jacS.data()))) {
      std::printf("fomm batch %d failed: %s\n", b, last.message().c_str());
      continue;
    }
    auto detect = [&] {
      return bool(last = net->detect(b, driving.data(), kpD.data(), jacD.data()));
    };
    auto generate = [&] {
      return bool(last = net->generate(b, 1, source.data(), kpS.data(), jacS.data(), kpD.data(),
                                       jacD.data(), out.data()));
    };
    bool ok1 = false, ok2 = false;
    const Timing kp = timeCalls(c, detect, &ok1);
    const Timing gen = ok1 ? timeCalls(c, generate, &ok2) : Timing{};
    if (!ok1 || !ok2) {
      std::printf("fomm batch %d failed: %s\n", b, last.message().c_str());
      continue;
    }
    const double total = kp.wallMs + gen.wallMs;
    std::printf(
        "fomm %-4s %-4s batch %-3d threads %-2d: kp %8.2f + generator %8.2f = %9.2f ms/batch "
        "%9.3f ms/frame %8.2f frames/s; CPU %8.1f ms/frame (kp %.1f, generator %.1f)\n",
        c.options.cuda ? "cuda" : "cpu", c.options.half ? "fp16" : "fp32", b, cpuThreads(),
        kp.wallMs, gen.wallMs, total, total / b, 1000.0 * b / total, (kp.cpuMs + gen.cpuMs) / b,
        kp.cpuMs / b, gen.cpuMs / b);
    std::fflush(stdout);
  }
  return 0;
}
