// The Wav2Lip lip-sync backend as a FrameRenderer over a still photo.
//
// Preprocessing is the official inference's: the face box padded by
// (top, bottom, left, right) = (0, 10, 0, 0) pixels and clamped to the frame,
// resized to 96x96 (bilinear), BGR, lower half zeroed for the masked copy,
// channels [masked, reference], /255; mel window of 16 columns for frame i
// starting at int(i * 80 / fps), the last window past the end (copyMelWindow).
// Paste-back: the official hard paste of the resized prediction, or
// (default) a feathered lower-face mask with colour matching.
//
// Sequential rendering predicts batchSize frames per net call (from the
// requested frame on) and caches the last batches; random access (studio
// scrubbing) predicts just the frame asked for.
#pragma once

#include <array>
#include <list>
#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "audio/mel.h"
#include "avatar/engine.h"
#include "avatar/face.h"
#include "avatar/options.h"
#include "avatar_nets/nets.h"
#include "pipeline/frame_renderer.h"
#include "pipeline/output_geometry.h"

namespace avatar::detail {

enum class Wav2LipPaste { Feathered, Hard };

struct Wav2LipSettings {
  Wav2LipPaste paste = Wav2LipPaste::Feathered;
  int batchSize = 16;
  std::array<int, 4> padsTopBottomLeftRight = {0, 10, 0, 0};
};

struct Wav2LipInputs {
  cv::Mat frame;       // the output frame without lip motion: CV_8UC3 RGB
  FaceInfo face;       // in frame pixels (see mapFaceToFrame)
  MelSpectrogram mel;  // Wav2Lip's mel of the speech (audio/mel.h)
  double fps = 25;
  int frameCount = 0;
};

// A face analysed on the photo, moved into output-frame pixels.
FaceInfo mapFaceToFrame(const FaceInfo& photoFace, const OutputGeometry& g);

// The official crop: box padded and clamped to the frame (x1, y1, x2, y2).
cv::Rect wav2lipCrop(const RectF& box, const std::array<int, 4>& pads, cv::Size frame);

// The 6x96x96 face input from an RGB crop: [masked BGR, reference BGR] / 255.
void wav2lipFaceInput(const cv::Mat& cropRgb, float* out);

// Feathered lower-face mask over the crop (CV_32F, crop size, 0..1): hull of
// the jaw (2..14) and nose (29, 31, 35) landmarks when known, otherwise an
// ellipse over the lower half of the crop; zero at the crop border.
cv::Mat wav2lipBlendMask(const cv::Rect& crop, const FaceInfo& face);

class Wav2LipRenderer final : public FrameRenderer {
 public:
  // Fails with NoFaceDetected when the face is missing or its crop is empty,
  // InvalidArgument for an empty mel or frame.
  static Status create(std::shared_ptr<const nets::Wav2LipNet> net, Wav2LipInputs inputs,
                       const Wav2LipSettings& settings, std::unique_ptr<Wav2LipRenderer>* out);

  const char* name() const override { return "wav2lip"; }
  Status render(int index, cv::Mat& out) override;

 private:
  Wav2LipRenderer() = default;
  Status predict(int first, int count);  // adds frames [first, first + count) to cache_
  void compose(const cv::Mat& prediction, cv::Mat& out) const;

  struct Batch {
    int first = 0;
    std::vector<cv::Mat> predictions;  // CV_32FC3 RGB 0..255, 96x96
  };

  std::shared_ptr<const nets::Wav2LipNet> net_;
  Wav2LipInputs in_;
  Wav2LipSettings settings_;
  cv::Rect crop_;
  std::vector<float> faceInput_;  // 6x96x96, same for every frame (still photo)
  cv::Mat mask_;                  // CV_32FC3 over the crop (feathered mode)
  std::list<Batch> cache_;        // most recent first
  int lastIndex_ = -2;            // the frame rendered last (sequential access?)
};

// Everything a session needs in one call: finds the installed weights
// (ModelMissing naming the file and the converter command), loads the net
// (shared across sessions) on the device the options ask for, moves the
// photo's face into the frame and builds the renderer. Batch 16 on the CPU,
// 64 on CUDA.
Status makeWav2LipRenderer(const Engine& engine, const RenderOptions& options,
                           const cv::Mat& baseFrame, const FaceInfo& photoFace,
                           const OutputGeometry& geometry, MelSpectrogram mel, int frameCount,
                           std::unique_ptr<FrameRenderer>* out);

}  // namespace avatar::detail
