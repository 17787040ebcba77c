#include "media/input_checks.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>

namespace avatar::detail {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

bool samePath(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

}  // namespace

std::string randomTag() {
  static const char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  static std::mutex mutex;
  static std::mt19937_64 rng(std::random_device{}() ^ (uint64_t(::getpid()) << 32));
  std::lock_guard lock(mutex);
  std::string tag(8, 'x');
  for (char& c : tag) c = kChars[rng() % (sizeof kChars - 1)];
  return tag;
}

Status createPartialFile(const std::string& output, std::string* partPath) {
  int err = 0;
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::string part = output + "." + randomTag() + ".part";
    const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd >= 0) {
      ::close(fd);
      *partPath = part;
      return Status::ok();
    }
    err = errno;
    if (err != EEXIST) break;
  }
  const fs::path out(output);
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  return Status::error(
      ErrorCode::OutputNotWritable, output,
      "cannot write in output directory " + dir.string() + ": " + std::strerror(err));
}

Status checkInputFile(const std::string& path, const char* role) {
  const std::string what = std::string(role);
  if (path.empty()) {
    return Status::error(ErrorCode::InvalidArgument, what, "no " + what + " file given");
  }
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (st.type() == fs::file_type::not_found) {
    return Status::error(ErrorCode::InputNotFound, path, what + " file not found");
  }
  if (ec) {
    return Status::error(ErrorCode::InputNotReadable, path,
                         "cannot access " + what + " file: " + ec.message());
  }
  if (st.type() == fs::file_type::directory) {
    return Status::error(ErrorCode::InputNotReadable, path,
                         "is a directory, expected a " + what + " file");
  }
  if (st.type() != fs::file_type::regular) {
    return Status::error(ErrorCode::InputNotReadable, path,
                         "is not a regular file, expected a " + what + " file");
  }
  if (::access(path.c_str(), R_OK) != 0) {
    return Status::error(ErrorCode::InputNotReadable, path,
                         "cannot read " + what + " file: " + std::strerror(errno));
  }
  if (fs::file_size(path, ec) == 0) {
    return Status::error(ErrorCode::InputEmpty, path, what + " file is empty (0 bytes)");
  }
  return Status::ok();
}

Status checkOutputPath(const std::string& output, const std::vector<std::string>& inputs) {
  if (output.empty()) {
    return Status::error(ErrorCode::InvalidArgument, "outputPath", "no output file given");
  }
  const fs::path out(output);
  const std::string ext = lower(out.extension().string());
  if (ext != ".mp4" && ext != ".m4v" && ext != ".mov" && ext != ".mkv") {
    return Status::error(ErrorCode::InvalidArgument, output,
                         "output must be a .mp4, .m4v, .mov or .mkv file");
  }
  for (const auto& in : inputs) {
    if (in.empty()) continue;
    if (samePath(output, in)) {
      return Status::error(
          ErrorCode::OutputSameAsInput, output,
          "output path is the same file as the input " + in + "; it would be overwritten");
    }
  }
  std::error_code ec;
  if (fs::is_directory(out, ec)) {
    return Status::error(ErrorCode::OutputNotWritable, output, "output path is a directory");
  }
  const fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) {
    return Status::error(ErrorCode::OutputNotWritable, output,
                         "output directory " + dir.string() + " does not exist");
  }
  std::string probe;
  if (Status s = createPartialFile(output, &probe); !s) return s;
  fs::remove(probe, ec);
  return Status::ok();
}

}  // namespace avatar::detail
