// bench_nets: throughput of the neural backends on random weights.
//
//   bench_nets [--net wav2lip|gfpgan|diff2lip|all] [--batch 1,16] [--device cpu|cuda]
//              [--half] [--threads N] [--iters N] [--max-seconds S]
//              [--weights-dir DIR] [--steps 10,25]
//
// Each figure times whole run() calls (host->device copy, forward, copy
// back) after one warm-up call; it stops after --iters calls or when
// --max-seconds has passed (at least one timed call). Prints one line per
// (net, batch): ms per batch, ms per frame, frames per second, and the CPU
// thread count (Debian's LibTorch defaults to 1 thread: set it). Diff2Lip
// prints one UNet evaluation per batch, then whole frames (generate(): the
// DDIM loop) for each --steps count, as "diff2lip/N".
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

#include "avatar_nets/diff2lip.h"
#include "avatar_nets/nets.h"
#include "avatar_nets/runtime.h"
#include "avatar_nets/weights.h"

namespace {

using namespace avatar::nets;
using Clock = std::chrono::steady_clock;

struct Config {
  std::vector<std::string> nets = {"wav2lip", "gfpgan"};
  std::vector<int> batches = {1, 16};
  std::vector<int> steps = {10, 25};  // diff2lip DDIM step counts
  NetOptions options;
  int threads = int(std::max(1u, std::thread::hardware_concurrency()));
  int iters = 20;
  double maxSeconds = 60;
  std::string weightsDir = (std::filesystem::temp_directory_path() / "avatar-bench-nets").string();
};

std::vector<float> randomInput(size_t n, float lo, float hi) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

std::string weightsFor(const Config& c, NetKind k) {
  std::filesystem::create_directories(c.weightsDir);
  const std::string path = c.weightsDir + "/" + netName(k) + "-random.safetensors";
  if (!std::filesystem::exists(path)) {
    if (NetStatus s = writeRandomWeights(k, path, 1); !s) {
      std::fprintf(stderr, "bench_nets: %s\n", s.message().c_str());
      std::exit(1);
    }
  }
  return path;
}

// Prints wall ms per batch and frame, and the process CPU time per frame
// (all threads: on a busy machine the wall time says little, the CPU time
// stays put). `warmUp` false skips the untimed first call (for calls that
// take minutes, after the same net was warmed up).
template <typename RunOnce>
void timeRuns(const Config& c, const char* net, int batch, RunOnce runOnce, bool warmUp = true) {
  if (NetStatus s = warmUp ? runOnce() : NetStatus::ok(); !s) {  // allocations, cuDNN autotune
    std::printf("%-8s batch %-3d failed: %s\n", net, batch, s.message().c_str());
    return;
  }
  int n = 0;
  const auto t0 = Clock::now();
  const std::clock_t cpu0 = std::clock();
  double elapsed = 0;
  while (n < c.iters && (n == 0 || elapsed < c.maxSeconds)) {
    if (NetStatus s = runOnce(); !s) {
      std::printf("%-8s batch %-3d failed: %s\n", net, batch, s.message().c_str());
      return;
    }
    ++n;
    elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  }
  const double cpuMsFrame = 1000.0 * double(std::clock() - cpu0) / CLOCKS_PER_SEC / (n * batch);
  const double msBatch = 1000.0 * elapsed / n;
  std::printf(
      "%-8s %-4s %-4s batch %-3d threads %-2d: %9.2f ms/batch %9.3f ms/frame %9.2f frames/s "
      "(cpu %.1f ms/frame, %d timed)\n",
      net, c.options.cuda ? "cuda" : "cpu", c.options.half ? "fp16" : "fp32", batch, cpuThreads(),
      msBatch, msBatch / batch, 1000.0 * batch / msBatch, cpuMsFrame, n);
  std::fflush(stdout);
}

void benchWav2Lip(const Config& c) {
  std::unique_ptr<Wav2LipNet> net;
  if (NetStatus s = Wav2LipNet::load(weightsFor(c, NetKind::Wav2Lip), c.options, &net); !s) {
    std::printf("wav2lip  load failed: %s\n", s.message().c_str());
    return;
  }
  for (int b : c.batches) {
    const auto mel = randomInput(size_t(b) * 80 * 16, -4.f, 4.f);
    const auto face = randomInput(size_t(b) * 6 * 96 * 96, 0.f, 1.f);
    std::vector<float> out(size_t(b) * 3 * 96 * 96);
    timeRuns(c, "wav2lip", b, [&] { return net->run(b, mel.data(), face.data(), out.data()); });
  }
}

void benchGfpgan(const Config& c) {
  std::unique_ptr<GfpganNet> net;
  if (NetStatus s = GfpganNet::load(weightsFor(c, NetKind::Gfpgan), c.options, &net); !s) {
    std::printf("gfpgan   load failed: %s\n", s.message().c_str());
    return;
  }
  for (int b : c.batches) {
    const auto image = randomInput(size_t(b) * 3 * 512 * 512, -1.f, 1.f);
    std::vector<float> out(image.size());
    timeRuns(c, "gfpgan", b, [&] { return net->run(b, image.data(), out.data()); });
  }
}

void benchDiff2Lip(const Config& c) {
  std::unique_ptr<Diff2LipNet> net;
  if (NetStatus s = Diff2LipNet::load(weightsFor(c, NetKind::Diff2Lip), c.options, &net); !s) {
    std::printf("diff2lip load failed: %s\n", s.message().c_str());
    return;
  }
  const auto noise = Diff2LipNet::fixedNoise(7);
  for (int b : c.batches) {
    const size_t img = size_t(b) * 3 * 128 * 128;
    const auto face = randomInput(img, -1.f, 1.f);
    const auto mel = randomInput(size_t(b) * 80 * 16, -4.f, 4.f);
    std::vector<float> mask(size_t(b) * 128 * 128, 0.f), out(size_t(b) * 6 * 128 * 128);
    for (size_t i = 0; i < mask.size(); ++i) mask[i] = (i % (128 * 128)) >= 64 * 128 ? 1.f : 0.f;
    const std::vector<int64_t> t(size_t(b), 960);
    timeRuns(c, "diff2lip", b, [&] {
      return net->run(b, face.data(), t.data(), face.data(), mask.data(), face.data(), mel.data(),
                      out.data());
    });
    for (int steps : c.steps) {
      const std::string label = "diff2lip/" + std::to_string(steps);
      timeRuns(
          c, label.c_str(), b,
          [&] {
            return net->generate(b, steps, face.data(), face.data(), mel.data(), noise.data(),
                                 out.data());
          },
          false);
    }
  }
}

bool parse(int argc, char** argv, Config* c) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    try {
      if (a == "--net") {
        const std::string v = next();
        c->nets = v == "all" ? std::vector<std::string>{"wav2lip", "gfpgan", "diff2lip"}
                             : std::vector<std::string>{v};
      } else if (a == "--batch") {
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
      } else if (a == "--steps") {
        c->steps.clear();
        std::stringstream ss(next());
        for (std::string item; std::getline(ss, item, ',');) c->steps.push_back(std::stoi(item));
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
                 "usage: bench_nets [--net wav2lip|gfpgan|diff2lip|all] [--batch 1,16] "
                 "[--device cpu|cuda] [--half] [--threads N] [--iters N] [--max-seconds S] "
                 "[--weights-dir DIR] [--steps 10,25]\n");
    return 2;
  }
  setCpuThreads(c.threads);
  std::printf("bench_nets: LibTorch %s, %d CPU threads, CUDA %s\n", torchVersion().c_str(),
              cpuThreads(), cudaAvailable() ? "available" : "not available");
  for (const auto& n : c.nets) {
    if (n == "wav2lip") {
      benchWav2Lip(c);
    } else if (n == "gfpgan") {
      benchGfpgan(c);
    } else if (n == "diff2lip") {
      benchDiff2Lip(c);
    } else {
      std::fprintf(stderr, "bench_nets: unknown net %s\n", n.c_str());
      return 2;
    }
  }
  return 0;
}
