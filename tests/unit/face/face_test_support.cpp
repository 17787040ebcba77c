#include "face_test_support.h"

#include <cmath>
#include <iostream>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "avatar/media.h"

namespace face_test {

std::shared_ptr<const avatar::Engine> makeEngine(const std::string& modelsDir) {
  // The default Engine is shared by the tests (as the app shares one), so
  // its nets load once; other models dirs get a fresh Engine.
  static std::shared_ptr<const avatar::Engine> shared;
  if (modelsDir.empty() && shared) return shared;
  avatar::EngineConfig config;
  config.modelsDir = modelsDir;
  config.cpuThreads = 1;  // CI machines are small and shared; results do not depend on it
  config.device = avatar::ComputeDevice::Cpu;
  std::shared_ptr<const avatar::Engine> engine;
  const avatar::Status s = avatar::Engine::create(config, &engine);
  EXPECT_TRUE(s.isOk()) << s.message();
  if (modelsDir.empty()) shared = engine;
  return engine;
}

avatar::Image loadPhoto(const std::string& path) {
  avatar::Image image;
  const avatar::Status s = avatar::loadImage(path, &image);
  EXPECT_TRUE(s.isOk()) << s.message();
  return image;
}

cv::Mat toMat(const avatar::Image& image) {
  return cv::Mat(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.rgb.data()))
      .clone();
}

avatar::Image fromMat(const cv::Mat& rgb) {
  avatar::Image image;
  image.width = rgb.cols;
  image.height = rgb.rows;
  const cv::Mat c = rgb.isContinuous() ? rgb : rgb.clone();
  image.rgb.assign(c.data, c.data + c.total() * 3);
  return image;
}

void writeOverlay(const avatar::Image& image, const avatar::FaceInfo& face,
                  const std::string& name) {
  cv::Mat rgb = toMat(image);
  const double k = std::max(rgb.cols, rgb.rows) < 400 ? 3.0 : 1.0;  // small photos: enlarge
  cv::resize(rgb, rgb, {}, k, k, cv::INTER_CUBIC);
  auto pt = [k](avatar::PointF p) { return cv::Point2d(p.x * k, p.y * k); };
  cv::rectangle(rgb,
                cv::Rect2d(face.box.x * k, face.box.y * k, face.box.width * k, face.box.height * k),
                cv::Scalar(0, 255, 0), 2);
  for (const avatar::PointF& p : face.landmarks68) cv::circle(rgb, pt(p), 2, {255, 255, 0}, -1);
  for (const avatar::PointF& p : face.alignment) cv::circle(rgb, pt(p), 4, {255, 0, 0}, 1);
  const std::string dir = avatar_test::env("AVATAR_TEST_TMP", "/tmp") + "/face-overlays";
  std::filesystem::create_directories(dir);
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
  cv::imwrite(dir + "/" + name + ".png", bgr);
}

std::vector<Reference> references() {
  return {
      {"astronaut",
       astronaut(),
       {196, 97, 210, 107},
       {239, 98, 253, 109},
       {196, 135, 210, 147},
       {237, 134, 251, 146}},
      {"alice",
       facePhoto("alice.png"),
       {314, 222, 340, 242},
       {425, 229, 451, 250},
       {309, 326, 335, 348},
       {419, 329, 445, 351}},
      {"people_0",
       facePhoto("people_0.png"),
       {186, 136, 202, 152},
       {258, 133, 274, 149},
       {195, 210, 211, 226},
       {255, 210, 271, 226}},
      {"happy",
       facePhoto("happy.png"),
       {86, 115, 100, 128},
       {153, 115, 167, 128},
       {95, 181, 109, 195},
       {148, 179, 162, 193}},
  };
}

void expectMatches(const Reference& ref, const avatar::FaceInfo& face, const std::string& tag,
                   float slack) {
  const char* names[] = {"left eye", "right eye", "nose", "left mouth corner",
                         "right mouth corner"};
  const Box* boxes[] = {&ref.eyeLeft, &ref.eyeRight, nullptr, &ref.mouthLeft, &ref.mouthRight};
  const float eyeDistance = std::hypot(ref.eyeRight.centre().x - ref.eyeLeft.centre().x,
                                       ref.eyeRight.centre().y - ref.eyeLeft.centre().y);
  const float grow = slack * eyeDistance;
  std::cout << "[ face ] " << tag << " " << face.detector << " box " << face.box.x << ","
            << face.box.y << " " << face.box.width << "x" << face.box.height << " errors:";
  for (int i = 0; i < 5; ++i) {
    if (!boxes[i]) continue;
    const avatar::PointF p = face.alignment[i];
    const Box b{boxes[i]->x0 - grow, boxes[i]->y0 - grow, boxes[i]->x1 + grow, boxes[i]->y1 + grow};
    EXPECT_TRUE(b.contains(p)) << tag << ": " << names[i] << " at " << p.x << "," << p.y
                               << " outside reference " << b.x0 << "," << b.y0 << ".." << b.x1
                               << "," << b.y1;
    const avatar::PointF c = boxes[i]->centre();
    std::cout << " " << std::hypot(p.x - c.x, p.y - c.y) / eyeDistance;
  }
  std::cout << " (x eye distance)\n";
  // The box must hold the eyes and the mouth.
  for (int i = 0; i < 5; ++i) {
    const avatar::PointF p = face.alignment[i];
    EXPECT_TRUE(p.x > face.box.x && p.x < face.box.x + face.box.width && p.y > face.box.y &&
                p.y < face.box.y + face.box.height)
        << tag << ": " << names[i] << " outside the face box";
  }
}

}  // namespace face_test
