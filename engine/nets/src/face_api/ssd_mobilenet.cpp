// SSD MobileNet v1 face detector (face-api): MobileNet v1 (relu6, batch norm
// folded into offsets except for the depthwise convs), 6 box predictor heads
// over 5118 stored anchors, TF object-detection box coding (10, 10, 5, 5).
#include <cmath>

#include "face_api/net_input.h"
#include "face_api/tf_layers.h"

namespace avatar::nets {
namespace {

constexpr int kInputSize = 512;
constexpr int64_t kAnchorCount = 5118;
constexpr float kBatchNormEpsilon = 0.0010000000474974513f;

torch::Tensor clampRelu6(const torch::Tensor& x) {
  return torch::clamp(x, 0, 6);
}

// conv (any k) + folded batch-norm offset + relu6, TF 'same'.
struct PointwiseConv {
  torch::Tensor weight, offset;
  int64_t stride = 1;
  void load(const tf::WeightMap& w, const std::string& prefix, int64_t k, int64_t in, int64_t out,
            int64_t s) {
    weight = w.conv(prefix + "/weights", k, in, out);
    offset = w.get(prefix + "/convolution_bn_offset", {out});
    stride = s;
  }
  torch::Tensor forward(const torch::Tensor& x) const {
    return clampRelu6(tf::conv2dSame(x, weight, offset, stride));
  }
};

// depthwise 3x3 + batch norm + relu6, TF 'same'.
struct DepthwiseConv {
  torch::Tensor weight, scale, shift;  // batch norm folded into scale/shift at load
  int64_t stride = 1;
  void load(const tf::WeightMap& w, const std::string& prefix, int64_t channels, int64_t s) {
    weight = w.depthwise(prefix + "/depthwise_weights", 3, channels);
    const torch::Tensor gamma = w.get(prefix + "/BatchNorm/gamma", {channels});
    const torch::Tensor beta = w.get(prefix + "/BatchNorm/beta", {channels});
    const torch::Tensor mean = w.get(prefix + "/BatchNorm/moving_mean", {channels});
    const torch::Tensor var = w.get(prefix + "/BatchNorm/moving_variance", {channels});
    scale = (gamma / torch::sqrt(var + kBatchNormEpsilon)).view({1, channels, 1, 1});
    shift = (beta - mean * scale.view({channels})).view({1, channels, 1, 1});
    stride = s;
  }
  torch::Tensor forward(const torch::Tensor& x) const {
    return clampRelu6(tf::conv2dSame(x, weight, {}, stride, weight.size(0)) * scale + shift);
  }
};

struct BoxPredictor {
  torch::Tensor boxW, boxB, classW, classB;
  void load(const tf::WeightMap& w, int index, int64_t in, int64_t anchors) {
    const std::string p = "Prediction/BoxPredictor_" + std::to_string(index);
    boxW = w.conv(p + "/BoxEncodingPredictor/weights", 1, in, anchors * 4);
    boxB = w.get(p + "/BoxEncodingPredictor/biases", {anchors * 4});
    classW = w.conv(p + "/ClassPredictor/weights", 1, in, anchors * 3);
    classB = w.get(p + "/ClassPredictor/biases", {anchors * 3});
  }
  // NCHW -> [cells * anchors, n] in TF's NHWC order.
  static torch::Tensor flat(const torch::Tensor& y, int64_t n) {
    return y.permute({0, 2, 3, 1}).reshape({-1, n});
  }
  void forward(const torch::Tensor& x, std::vector<torch::Tensor>* boxes,
               std::vector<torch::Tensor>* classes) const {
    boxes->push_back(flat(tf::conv2d(x, boxW, boxB), 4));
    classes->push_back(flat(tf::conv2d(x, classW, classB), 3));
  }
};

class SsdMobilenetV1 final : public FaceDetectorNet {
 public:
  void load(const tf::WeightMap& w) {
    conv0_.load(w, "MobilenetV1/Conv2d_0_pointwise", 3, 3, 32, 2);
    const int64_t outs[13] = {64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};
    int64_t in = 32;
    for (int i = 1; i <= 13; ++i) {
      const std::string p = "MobilenetV1/Conv2d_" + std::to_string(i);
      const bool down = i == 2 || i == 4 || i == 6 || i == 12;
      depthwise_[i - 1].load(w, p + "_depthwise", in, down ? 2 : 1);
      pointwise_[i - 1].load(w, p + "_pointwise", 1, in, outs[i - 1], 1);
      in = outs[i - 1];
    }
    const int64_t predIn[8] = {1024, 256, 512, 128, 256, 128, 256, 64};
    const int64_t predOut[8] = {256, 512, 128, 256, 128, 256, 64, 128};
    for (int i = 0; i < 8; ++i) {
      const bool down = i % 2 == 1;
      extra_[i].load(w, "Prediction/Conv2d_" + std::to_string(i) + "_pointwise", down ? 3 : 1,
                     predIn[i], predOut[i], down ? 2 : 1);
    }
    const int64_t headIn[6] = {512, 1024, 512, 256, 256, 128};
    for (int i = 0; i < 6; ++i) heads_[i].load(w, i, headIn[i], i == 0 ? 3 : 6);
    const torch::Tensor a = w.get("Output/extra_dim", {1, kAnchorCount, 4}).view({-1, 4});
    anchorSize_ =
        torch::stack({a.select(1, 2) - a.select(1, 0), a.select(1, 3) - a.select(1, 1)}, 1);
    anchorCentre_ = a.slice(1, 0, 2) + anchorSize_ / 2;  // (y, x)
  }

  const char* name() const override { return "ssd-mobilenet-v1"; }

  bool detect(const RgbView& image, const DetectorOptions& options,
              std::vector<FaceDetection>* faces, std::string* error) const override {
    faces->clear();
    if (!detail::checkView(image, error)) return false;
    return detail::guarded("ssd mobilenet v1", error, [&] {
      c10::InferenceMode guard;
      detail::InputMapping map;
      const detail::InputSpec spec{kInputSize, false, {127.5f, 127.5f, 127.5f}, 127.5f};
      const torch::Tensor x = detail::makeInput(image, 0, 0, image.width, image.height, spec, &map);
      torch::Tensor boxes, scores;
      forward(x, &boxes, &scores);
      const auto b = boxes.accessor<float, 2>();
      const auto s = scores.accessor<float, 1>();
      std::vector<FaceDetection> all;
      for (int64_t i = 0; i < kAnchorCount; ++i) {
        if (s[i] <= options.minScore) continue;
        auto clip = [](float v) { return std::clamp(v, 0.f, 1.f) * kInputSize; };
        const float x0 = map.toImageX(clip(b[i][1])), y0 = map.toImageY(clip(b[i][0]));
        const float x1 = map.toImageX(clip(b[i][3])), y1 = map.toImageY(clip(b[i][2]));
        all.push_back({{x0, y0, x1 - x0, y1 - y0}, s[i]});
      }
      const float iou = options.iouThreshold >= 0 ? options.iouThreshold : 0.5f;
      for (size_t i : detail::nonMaxSuppression(all, iou, options.maxResults)) {
        faces->push_back(all[i]);
      }
      return true;
    });
  }

 private:
  // boxes: [5118, 4] as (y0, x0, y1, x1) relative to the input; scores: [5118].
  void forward(const torch::Tensor& input, torch::Tensor* boxes, torch::Tensor* scores) const {
    torch::Tensor x = conv0_.forward(input);
    torch::Tensor conv11;
    for (int i = 0; i < 13; ++i) {
      x = pointwise_[i].forward(depthwise_[i].forward(x));
      if (i == 10) conv11 = x;
    }
    std::vector<torch::Tensor> enc, cls;
    heads_[0].forward(conv11, &enc, &cls);
    heads_[1].forward(x, &enc, &cls);
    torch::Tensor y = x;
    for (int i = 0; i < 8; ++i) {
      y = extra_[i].forward(y);
      if (i % 2 == 1) heads_[2 + i / 2].forward(y, &enc, &cls);
    }
    const torch::Tensor e = torch::cat(enc, 0);  // (ty, tx, th, tw)
    const torch::Tensor centre = e.slice(1, 0, 2) / 10 * anchorSize_ + anchorCentre_;
    const torch::Tensor half = torch::exp(e.slice(1, 2, 4) / 5) * anchorSize_ / 2;
    *boxes = torch::cat({centre - half, centre + half}, 1).contiguous();
    *scores = torch::sigmoid(torch::cat(cls, 0).select(1, 1)).contiguous();
  }

  PointwiseConv conv0_;
  DepthwiseConv depthwise_[13];
  PointwiseConv pointwise_[13];
  PointwiseConv extra_[8];
  BoxPredictor heads_[6];
  torch::Tensor anchorSize_, anchorCentre_;
};

}  // namespace

std::unique_ptr<FaceDetectorNet> loadSsdMobilenetV1(const std::string& manifestPath,
                                                    std::string* error) {
  return tf::loadFromManifest<SsdMobilenetV1>("ssd mobilenet v1", manifestPath, error);
}

}  // namespace avatar::nets
