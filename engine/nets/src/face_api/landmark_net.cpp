// face-api 68-point landmark nets: densely connected blocks of separable
// convolutions on a 112 x 112 face crop, then one fully connected layer to
// 68 (x, y) pairs relative to the padded square. Full: 4 blocks (32..256
// channels), tiny: 3 blocks (32..128) with 3 convs each.
#include <cmath>

#include "face_api/net_input.h"
#include "face_api/tf_layers.h"

namespace avatar::nets {
namespace {

constexpr int kInputSize = 112;

struct DenseBlock {
  torch::Tensor firstConv, firstBias;  // dense0 only: a plain 3x3 conv
  std::vector<tf::SeparableConv> convs;

  void load(const tf::WeightMap& w, const std::string& prefix, int64_t in, int64_t out, int count,
            bool first) {
    for (int i = 0; i < count; ++i) {
      const std::string name = prefix + "/conv" + std::to_string(i);
      if (i == 0 && first) {
        firstConv = w.conv(name + "/filters", 3, in, out);
        firstBias = w.get(name + "/bias", {out});
        convs.emplace_back();
        continue;
      }
      tf::SeparableConv c;
      c.load(w, name, i == 0 ? in : out, out);
      convs.push_back(std::move(c));
    }
  }

  // out_k = sep(relu(out_1 + ... + out_{k-1})); returns relu(sum of all).
  torch::Tensor forward(const torch::Tensor& x) const {
    torch::Tensor sum = firstConv.defined() ? tf::conv2dSame(x, firstConv, firstBias, 2)
                                            : convs[0].forwardSame(x, 2);
    sum = torch::relu(sum);
    for (size_t i = 1; i < convs.size(); ++i) {
      const torch::Tensor in = i == 1 ? sum : torch::relu(sum);
      sum = sum + convs[i].forwardSame(in, 1);
    }
    return torch::relu(sum);
  }
};

class FaceLandmarkNet final : public LandmarkNet {
 public:
  void load(const tf::WeightMap& w) {
    tiny_ = !w.has("dense3/conv0/depthwise_filter");
    const int blocks = tiny_ ? 3 : 4;
    const int convsPerBlock = tiny_ ? 3 : 4;
    int64_t in = 3, out = 32;
    for (int b = 0; b < blocks; ++b) {
      DenseBlock block;
      block.load(w, "dense" + std::to_string(b), in, out, convsPerBlock, b == 0);
      blocks_.push_back(std::move(block));
      in = out;
      out *= 2;
    }
    fcW_ = w.get("fc/weights", {in, 136});
    fcB_ = w.get("fc/bias", {136});
  }

  const char* name() const override { return tiny_ ? "face-landmark-68-tiny" : "face-landmark-68"; }

  bool landmarks(const RgbView& image, const BoxF& box, std::vector<Point2F>* points,
                 std::string* error) const override {
    points->clear();
    if (!detail::checkView(image, error)) return false;
    if (!std::isfinite(box.x) || !std::isfinite(box.y) || !std::isfinite(box.width) ||
        !std::isfinite(box.height)) {
      *error = "landmarks: the face box is not finite";
      return false;
    }
    // face-api floors the box and clips it at the image border.
    const int x0 = std::clamp(int(std::floor(box.x)), 0, image.width);
    const int y0 = std::clamp(int(std::floor(box.y)), 0, image.height);
    const int x1 = std::clamp(int(std::floor(box.x + box.width)), 0, image.width);
    const int y1 = std::clamp(int(std::floor(box.y + box.height)), 0, image.height);
    if (x1 - x0 < 2 || y1 - y0 < 2) {
      *error = "landmarks: the face box lies outside the " + std::to_string(image.width) + "x" +
               std::to_string(image.height) + " image or is under 2 px";
      return false;
    }
    return detail::guarded(name(), error, [&] {
      c10::InferenceMode guard;
      detail::InputMapping map;
      const detail::InputSpec spec{kInputSize, true, {122.782f, 117.001f, 104.298f}, 255.f};
      torch::Tensor x = detail::makeInput(image, x0, y0, x1 - x0, y1 - y0, spec, &map);
      for (const DenseBlock& b : blocks_) x = b.forward(x);
      const int64_t pool = tiny_ ? 14 : 7;
      x = torch::avg_pool2d(x, pool, 2).flatten(1);
      const torch::Tensor out = torch::addmm(fcB_, x, fcW_).squeeze(0).contiguous();
      const auto v = out.accessor<float, 1>();
      points->resize(68);
      for (int i = 0; i < 68; ++i) {
        (*points)[i] = {map.toImageX(v[2 * i] * kInputSize),
                        map.toImageY(v[2 * i + 1] * kInputSize)};
      }
      return true;
    });
  }

 private:
  bool tiny_ = false;
  std::vector<DenseBlock> blocks_;
  torch::Tensor fcW_, fcB_;
};

}  // namespace

std::unique_ptr<LandmarkNet> loadLandmarkNet(const std::string& manifestPath, std::string* error) {
  return tf::loadFromManifest<FaceLandmarkNet>("landmark net", manifestPath, error);
}

}  // namespace avatar::nets
