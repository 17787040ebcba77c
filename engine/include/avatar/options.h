// RenderOptions and RenderRequest: plain structs with defaults.
//
// One JSON form (options_json.h) serves CLI presets, GUI presets, REST bodies
// and MCP arguments. Units are in the names; choices are enums.
#pragma once

#include <cstdint>
#include <string>

namespace avatar {

// What the user asks for; the engine picks backends to match (INTERFACES.md).
enum class QualityMode { Auto, RealTime, HighQuality };
// Which renderer moves the mouth. Auto picks the best whose weights exist.
enum class LipSyncBackend { Auto, Builtin, Wav2Lip, Diff2Lip };
enum class Enhancer { None, Gfpgan };
// Natural: procedural head motion and blinks. Still: only the mouth (and eyes) move.
enum class HeadMotion { Natural, Still };
// How the photo fills an output size of another aspect ratio.
enum class FitMode { Cover, Contain };
enum class VideoEncoder { Auto, Libx264, Nvenc };
enum class ComputeDevice { Auto, Cpu, Cuda };
// Which backends' licences are acceptable. Commercial: only backends whose
// weights allow commercial use (auto falls back and says why; an explicit
// non-commercial choice is an error).
enum class LicencePolicy { Any, Commercial };
// How visemes are found when no viseme file is given.
// How a neural mouth is pasted back: a feathered lower-face mask with colour
// matching, or the official implementations' hard paste of the whole crop.
enum class MouthPaste { Feathered, Hard };
// Which backend moves the head. Auto: FOMM when a driver video is given and
// its weights are installed (and the licence policy allows them), otherwise
// the built-in rig (which follows a driver video through face tracking).
enum class MotionBackend { Auto, Builtin, Fomm };
// A driver video shorter than the speech: back and forth, from the start
// again, or holding its last frame. A longer one is trimmed.
enum class DriverLoop { PingPong, Loop, Hold };
// With a driver video and the built-in mouth: the mouth follows the speech
// (lip sync) or the driver's mouth.
enum class DriverMouth { Audio, Video };
// The driver frame the photo's pose corresponds to: the first with a face,
// or the one whose landmarks best match the photo's (FOMM's find_best_frame).
enum class DriverReference { First, Best };
// FOMM keypoints: relative to the driver's reference frame (the official
// demo's --relative) or the driver's own (absolute).
enum class FommMovement { Relative, Absolute };
// FOMM relative movement scaled by the keypoint hulls' area ratio
// (adapt_movement_scale) or not.
enum class FommScale { Adapt, None };
enum class VisemeMethod {
  Spectral,         // any language: rules over spectral features (default)
  EnglishPhonemes,  // English phoneme recognition (pocketsphinx), then phone -> shape
};

struct RenderOptions {
  QualityMode qualityMode = QualityMode::Auto;
  LipSyncBackend lipSync = LipSyncBackend::Auto;
  Enhancer enhancer = Enhancer::None;
  double enhancerStrength = 0.8;  // 0 = input, 1 = fully enhanced

  // Motion (built-in renderer).
  HeadMotion headMotion = HeadMotion::Natural;
  double motionScale = 1.0;       // 0..3, scales head motion amplitude
  double blinksPerMinute = 15.0;  // 0..60
  double mouthGain = 1.0;         // 0..3, scales mouth opening
  int smoothingMs = 60;           // 0..500, coarticulation smoothing window
  VisemeMethod visemeMethod = VisemeMethod::Spectral;
  uint32_t seed = 0;  // same inputs + seed = identical frames

  // Motion backend and driver video.
  MotionBackend motionBackend = MotionBackend::Auto;
  DriverLoop driverLoop = DriverLoop::PingPong;
  DriverMouth driverMouth = DriverMouth::Audio;
  DriverReference driverReference = DriverReference::First;
  FommMovement fommMovement = FommMovement::Relative;
  FommScale fommScale = FommScale::Adapt;

  // Neural mouths (Wav2Lip, Diff2Lip).
  MouthPaste mouthPaste = MouthPaste::Feathered;
  int diffusionSteps = 25;  // Diff2Lip DDIM steps: 1..250 with an integer stride (10, 25, 50)
  int diffusionBatch = 0;   // Diff2Lip frames per sampling call, 0 = auto (4 CPU, 32 CUDA)

  // Face selection: -1 = largest face, otherwise index in detection order
  // (left to right).
  int faceIndex = -1;

  // Output video.
  int fps = 25;                       // 1..120
  int width = 0;                      // 0 = from the photo (long side <= maxSidePx)
  int height = 0;                     // 0 = from the photo / keep aspect
  int maxSidePx = 1920;               // cap for the automatic size
  FitMode fit = FitMode::Cover;       // when width and height change the aspect
  uint32_t backgroundRgb = 0xFFFFFF;  // behind transparent photos and Contain bars
  VideoEncoder encoder = VideoEncoder::Auto;
  int crf = 20;                   // 0..51, lower is better quality (libx264 CRF, NVENC CQ)
  std::string preset = "medium";  // libx264 preset name (ultrafast..veryslow)
  int audioBitrateKbps = 160;     // AAC bitrate, 32..512

  ComputeDevice device = ComputeDevice::Auto;
  LicencePolicy licence = LicencePolicy::Any;

  // Optional text of the speech: visemeMethod english aligns its words to the
  // audio (CMU dictionary); notes say whether it was used. At most 100000 bytes.
  std::string transcript;
};

struct RenderRequest {
  std::string imagePath;        // the still photo (png, jpg, webp, bmp, tiff)
  std::string audioPath;        // speech: any audio FFmpeg reads, or a video's audio track
  std::string driverVideoPath;  // optional: head, eyes (and mouth) from a video of a face
  std::string visemeTrackPath;  // optional: Rhubarb JSON/TSV, TextGrid or seed viseme JSON
  std::string outputPath;       // the MP4 to write; written as <out>.part, renamed on success
  RenderOptions options;
};

// Names used in JSON, CLI flags and UIs ("real_time", "wav2lip", ...).
const char* toString(QualityMode v);
const char* toString(LipSyncBackend v);
const char* toString(Enhancer v);
const char* toString(HeadMotion v);
const char* toString(FitMode v);
const char* toString(VideoEncoder v);
const char* toString(ComputeDevice v);
const char* toString(VisemeMethod v);
const char* toString(LicencePolicy v);
const char* toString(MouthPaste v);
const char* toString(MotionBackend v);
const char* toString(DriverLoop v);
const char* toString(DriverMouth v);
const char* toString(DriverReference v);
const char* toString(FommMovement v);
const char* toString(FommScale v);
bool fromString(const std::string& s, QualityMode* out);
bool fromString(const std::string& s, LipSyncBackend* out);
bool fromString(const std::string& s, Enhancer* out);
bool fromString(const std::string& s, HeadMotion* out);
bool fromString(const std::string& s, FitMode* out);
bool fromString(const std::string& s, VideoEncoder* out);
bool fromString(const std::string& s, ComputeDevice* out);
bool fromString(const std::string& s, VisemeMethod* out);
bool fromString(const std::string& s, LicencePolicy* out);
bool fromString(const std::string& s, MouthPaste* out);
bool fromString(const std::string& s, MotionBackend* out);
bool fromString(const std::string& s, DriverLoop* out);
bool fromString(const std::string& s, DriverMouth* out);
bool fromString(const std::string& s, DriverReference* out);
bool fromString(const std::string& s, FommMovement* out);
bool fromString(const std::string& s, FommScale* out);

}  // namespace avatar
