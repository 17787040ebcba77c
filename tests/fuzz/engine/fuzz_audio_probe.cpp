// libFuzzer target for audio probing and decoding (decodeAudio: FFmpeg's
// demuxers and decoders behind our checks). Whatever the bytes claim: no
// crash, memory bounded by the duration limit, and decoded samples finite.
#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "avatar/log.h"
#include "avatar/media.h"
#include "fuzz_util.h"

namespace {

constexpr double kLimitSec = 30;

// The input as a file FFmpeg can open, without touching the disk.
std::string memFile(const uint8_t* data, size_t size, int* fd) {
  *fd = memfd_create("fuzz-audio", MFD_CLOEXEC);
  FUZZ_REQUIRE(*fd >= 0);
  size_t done = 0;
  while (done < size) {
    const ssize_t n = write(*fd, data + done, size - done);
    FUZZ_REQUIRE(n > 0);
    done += size_t(n);
  }
  return "/proc/self/fd/" + std::to_string(*fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = [] {
    avatar::setLogLevel(avatar::LogLevel::Off);
    return true;
  }();
  (void)quiet;
  int fd = -1;
  const std::string path = memFile(data, size, &fd);
  avatar::AudioSamples samples;
  avatar::AudioInfo info;
  const avatar::Status s = avatar::decodeAudio(path, 16000, &samples, &info, kLimitSec);
  close(fd);
  if (!s) {
    FUZZ_REQUIRE(s.subject() == path || s.subject() == "audio");
    FUZZ_REQUIRE(!s.detail().empty());
    return 0;
  }
  FUZZ_REQUIRE(!samples.samples.empty());
  FUZZ_REQUIRE(samples.samples.size() <= size_t(kLimitSec * 16000) + 1);
  for (float x : samples.samples) FUZZ_REQUIRE(std::isfinite(x));
  return 0;
}
