#include "face/face_models.h"

#include <opencv2/imgproc.hpp>

#include "avatar/log.h"
#include "core/engine_impl.h"

namespace avatar {
namespace detail {

bool HaarFaceDetector::load(const std::string& path, std::string* error) {
  try {
    if (cascade_.load(path) && !cascade_.empty()) return true;
    *error = path + ": not a readable OpenCV cascade file";
  } catch (const cv::Exception& e) {
    *error = path + ": " + e.what();
  }
  return false;
}

std::vector<RectF> HaarFaceDetector::detect(const cv::Mat& rgb) const {
  cv::Mat gray;
  cv::cvtColor(rgb, gray, cv::COLOR_RGB2GRAY);
  cv::equalizeHist(gray, gray);
  const int minSide = std::max(24, std::min(gray.cols, gray.rows) / 20);
  std::vector<cv::Rect> found;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cascade_.detectMultiScale(gray, found, 1.1, 5, 0, cv::Size(minSide, minSide));
  }
  std::vector<RectF> boxes;
  for (const cv::Rect& r : found) {
    boxes.push_back({float(r.x), float(r.y), float(r.width), float(r.height)});
  }
  return boxes;
}

namespace {

// Loads one net when its files are installed. Absent: *why says so. Present
// but unreadable: *loadError becomes ModelInvalid naming the file.
template <typename Net, typename Loader>
std::unique_ptr<Net> loadNet(const Engine::Impl& impl, const char* id, Loader loader,
                             std::string* why, Status* loadError) {
  std::string manifest = impl.modelFile(id, 0, why);
  if (manifest.empty()) return nullptr;
  if (impl.modelFile(id, 1, why).empty()) return nullptr;
  std::string error;
  std::unique_ptr<Net> net = loader(manifest, &error);
  if (!net && loadError->isOk()) {
    *loadError = Status::error(ErrorCode::ModelInvalid, manifest, error);
  }
  return net;
}

std::shared_ptr<const FaceModels> loadFaceModels(const Engine::Impl& impl) {
  auto m = std::make_shared<FaceModels>();
  m->tiny = loadNet<nets::FaceDetectorNet>(impl, "face-api-tiny-face-detector",
                                           nets::loadTinyFaceDetector, &m->tinyWhy, &m->loadError);
  m->ssd = loadNet<nets::FaceDetectorNet>(impl, "face-api-ssd-mobilenet-v1",
                                          nets::loadSsdMobilenetV1, &m->ssdWhy, &m->loadError);
  m->landmarks = loadNet<nets::LandmarkNet>(impl, "face-api-landmark-68", nets::loadLandmarkNet,
                                            &m->landmarksWhy, &m->loadError);
  if (!m->landmarks && m->loadError.isOk()) {
    std::string tinyWhy;
    m->landmarks = loadNet<nets::LandmarkNet>(impl, "face-api-landmark-68-tiny",
                                              nets::loadLandmarkNet, &tinyWhy, &m->loadError);
    if (m->landmarks) {
      log(LogLevel::Info, "face landmarks: using the tiny 68-point net (" + m->landmarksWhy + ")");
    }
  }
  if (!m->tiny && !m->ssd) {
    const std::string path = impl.modelFile("opencv-haar-frontalface", 0, &m->haarWhy);
    if (!path.empty()) {
      auto haar = std::make_unique<HaarFaceDetector>();
      if (haar->load(path, &m->haarWhy)) m->haar = std::move(haar);
    }
  }
  return m;
}

}  // namespace
}  // namespace detail

const detail::FaceModels& Engine::Impl::faceModels() const {
  std::call_once(faceModelsOnce, [this] { faceModelsLoaded = detail::loadFaceModels(*this); });
  return *faceModelsLoaded;
}

}  // namespace avatar
