// The Wav2Lip mouth stage: runs on each frame as the motion stage left it
// (the moved face), so head motion and blinks stay.
//
// Preprocessing is the official inference's, on each frame's own face box
// (FrameContext::face): the box padded by
// (top, bottom, left, right) = (0, 10, 0, 0) pixels and clamped to the frame,
// resized to 96x96 (bilinear), BGR, lower half zeroed for the masked copy,
// channels [masked, reference], /255; mel window of 16 columns for frame i
// starting at int(i * 80 / fps), the last window past the end (copyMelWindow).
// Paste-back: the official hard paste of the resized prediction, or
// (default) a feathered lower-face mask (from the frame's own landmarks)
// with colour matching against the moved frame.
//
// One net call per batchSize frames of a process() call: the chain's
// prefetch gives whole batches in sequential rendering, single frames when
// the studio scrubs.
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
#include "pipeline/output_geometry.h"
#include "pipeline/stage.h"

namespace avatar::detail {

enum class Wav2LipPaste { Feathered, Hard };

struct Wav2LipSettings {
  Wav2LipPaste paste = Wav2LipPaste::Feathered;
  int batchSize = 16;
  std::array<int, 4> padsTopBottomLeftRight = {0, 10, 0, 0};
};

// A face analysed on the photo, moved into output-frame pixels.
FaceInfo mapFaceToFrame(const FaceInfo& photoFace, const OutputGeometry& g);

// The official crop: box padded and clamped to the frame (x1, y1, x2, y2).
cv::Rect wav2lipCrop(const RectF& box, const std::array<int, 4>& pads, cv::Size frame);

// What a neural mouth needs of one frame before it crops: an index inside
// 0..frameCount-1, painted 8-bit RGB pixels, a face box, and the box (padded,
// clamped) at least 8 px inside the frame. `backend` ("Wav2Lip") names it
// in the errors. On success `*crop` is the clamped crop.
Status mouthFrameCrop(FrameContext& ctx, int frameCount, const std::array<int, 4>& pads,
                      const char* backend, cv::Rect* crop);

// The 6x96x96 face input from an RGB crop: [masked BGR, reference BGR] / 255.
void wav2lipFaceInput(const cv::Mat& cropRgb, float* out);

// Feathered lower-face mask over the crop (CV_32F, crop size, 0..1): hull of
// the jaw (2..14) and nose (29, 31, 35) landmarks when known, otherwise an
// ellipse over the lower half of the crop; zero at the crop border.
cv::Mat wav2lipBlendMask(const cv::Rect& crop, const FaceInfo& face);

class Wav2LipStage final : public Stage {
 public:
  // InvalidArgument for an empty mel, a non-positive fps or frame count.
  static Status create(std::shared_ptr<const nets::Wav2LipNet> net, MelSpectrogram mel, double fps,
                       int frameCount, const Wav2LipSettings& settings,
                       std::unique_ptr<Wav2LipStage>* out);

  const char* id() const override { return "wav2lip"; }
  int batchSize() const override { return settings_.batchSize; }
  // NoFaceDetected when a frame has no face or its crop leaves the frame.
  Status process(std::vector<FrameContext>& frames) override;

 private:
  Wav2LipStage() = default;
  Status runBatch(FrameContext* frames, int n);
  void compose(const cv::Mat& prediction, const cv::Rect& crop, FrameContext& ctx);

  std::shared_ptr<const nets::Wav2LipNet> net_;
  MelSpectrogram mel_;
  double fps_ = 25;
  int frameCount_ = 0;
  Wav2LipSettings settings_;
  // The mask of the last crop and landmarks (a still head reuses it).
  cv::Rect maskCrop_;
  std::vector<PointF> maskLandmarks_;
  cv::Mat mask_;  // CV_32FC3 over maskCrop_
};

// The table's factory: finds the installed weights (ModelMissing naming the
// file and the converter command), gets the Engine's net on the device the
// options ask for, and builds the stage. Batch 16 on the CPU, 64 on CUDA.
Status makeWav2LipStage(const StageSetup& setup, std::unique_ptr<Stage>* out);

}  // namespace avatar::detail
