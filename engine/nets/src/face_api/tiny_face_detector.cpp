// Tiny Face Detector (face-api): a Tiny-YOLOv2-style net with separable
// convolutions and 5 anchors on a 13 x 13 grid (416 input).
#include <cmath>

#include "face_api/net_input.h"
#include "face_api/tf_layers.h"

namespace avatar::nets {
namespace {

constexpr float kAnchors[5][2] = {{1.603231f, 2.094468f},
                                  {6.041143f, 7.080126f},
                                  {2.882459f, 3.518061f},
                                  {4.266906f, 5.178857f},
                                  {9.041765f, 10.66308f}};
constexpr int64_t kChannels[6] = {16, 32, 64, 128, 256, 512};

float sigmoid(float v) {
  return 1.f / (1.f + std::exp(-v));
}

torch::Tensor leaky(const torch::Tensor& x) {
  return torch::leaky_relu(x, 0.1);
}

class TinyFaceDetector final : public FaceDetectorNet {
 public:
  void load(const tf::WeightMap& w) {
    conv0w_ = w.conv("conv0/filters", 3, 3, kChannels[0]);
    conv0b_ = w.get("conv0/bias", {kChannels[0]});
    for (int i = 1; i <= 5; ++i) {
      sep_[i - 1].load(w, "conv" + std::to_string(i), kChannels[i - 1], kChannels[i]);
    }
    conv8w_ = w.conv("conv8/filters", 1, 512, 25);
    conv8b_ = w.get("conv8/bias", {25});
  }

  const char* name() const override { return "tiny-face-detector"; }

  bool detect(const RgbView& image, const DetectorOptions& options,
              std::vector<FaceDetection>* faces, std::string* error) const override {
    faces->clear();
    if (!detail::checkView(image, error)) return false;
    if (options.inputSize < 32 || options.inputSize % 32 != 0 || options.inputSize > 2048) {
      *error = "tiny face detector: input size " + std::to_string(options.inputSize) +
               " is not a multiple of 32 in 32..2048";
      return false;
    }
    return detail::guarded("tiny face detector", error, [&] {
      c10::InferenceMode guard;
      detail::InputMapping map;
      const detail::InputSpec spec{options.inputSize, false, {117.001f, 114.697f, 97.404f}, 255.f};
      const torch::Tensor x = detail::makeInput(image, 0, 0, image.width, image.height, spec, &map);
      const torch::Tensor out = forward(x).squeeze(0).contiguous();  // [25, G, G]
      decode(out, options, map, faces);
      return true;
    });
  }

 private:
  torch::Tensor forward(const torch::Tensor& input) const {
    // conv0 is 'valid' in face-api; the separable blocks pad 1 on every side.
    torch::Tensor x = leaky(tf::conv2d(input, conv0w_, conv0b_));
    x = tf::maxPool2Same(x, 2);
    for (int i = 0; i < 5; ++i) {
      const tf::SeparableConv& c = sep_[i];
      x = tf::conv2d(x, c.depthwise, {}, 1, 1, c.depthwise.size(0));
      x = leaky(tf::conv2d(x, c.pointwise, c.bias));
      x = tf::maxPool2Same(x, i < 4 ? 2 : 1);
    }
    return tf::conv2d(x, conv8w_, conv8b_);
  }

  void decode(const torch::Tensor& out, const DetectorOptions& options,
              const detail::InputMapping& map, std::vector<FaceDetection>* faces) const {
    const int64_t grid = out.size(1);
    const float cell = float(options.inputSize) / float(grid);  // net pixels per cell
    const auto v = out.accessor<float, 3>();
    std::vector<FaceDetection> all;
    for (int64_t row = 0; row < grid; ++row) {
      for (int64_t col = 0; col < grid; ++col) {
        for (int a = 0; a < 5; ++a) {
          const float score = sigmoid(v[a * 5 + 4][row][col]);
          if (score <= options.minScore) continue;
          const float cx = (float(col) + sigmoid(v[a * 5 + 0][row][col])) * cell;
          const float cy = (float(row) + sigmoid(v[a * 5 + 1][row][col])) * cell;
          const float w = std::exp(v[a * 5 + 2][row][col]) * kAnchors[a][0] * cell;
          const float h = std::exp(v[a * 5 + 3][row][col]) * kAnchors[a][1] * cell;
          const float x0 = map.toImageX(cx - w / 2), y0 = map.toImageY(cy - h / 2);
          const float x1 = map.toImageX(cx + w / 2), y1 = map.toImageY(cy + h / 2);
          all.push_back({{x0, y0, x1 - x0, y1 - y0}, score});
        }
      }
    }
    const float iou = options.iouThreshold >= 0 ? options.iouThreshold : 0.4f;
    for (size_t i : detail::nonMaxSuppression(all, iou, options.maxResults)) {
      faces->push_back(all[i]);
    }
  }

  torch::Tensor conv0w_, conv0b_, conv8w_, conv8b_;
  tf::SeparableConv sep_[5];
};

}  // namespace

std::unique_ptr<FaceDetectorNet> loadTinyFaceDetector(const std::string& manifestPath,
                                                      std::string* error) {
  return tf::loadFromManifest<TinyFaceDetector>("tiny face detector", manifestPath, error);
}

}  // namespace avatar::nets
