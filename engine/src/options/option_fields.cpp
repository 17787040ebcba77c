#include "options/option_fields.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>

#include "options/enum_names.h"

namespace avatar::detail {
namespace {

Status typeError(const std::string& field, const char* expected) {
  return Status::error(ErrorCode::InvalidArgument, field, std::string("expected ") + expected);
}

template <typename Member>
using Accessor = std::function<Member&(RenderRequest&)>;

template <typename Member>
std::function<Json(const RenderRequest&)> writer(Accessor<Member> get) {
  return [get](const RenderRequest& req) {
    auto& r = const_cast<RenderRequest&>(req);  // accessor is shared by read and write
    return Json(get(r));
  };
}

// `maxBytes` 0 = no limit of its own (the document's size limit still applies).
FieldSpec stringField(std::string name, std::vector<std::string> aliases, FieldScope scope,
                      std::string description, Accessor<std::string> get, size_t maxBytes = 0) {
  Json schema{{"type", "string"}, {"description", std::move(description)}};
  if (maxBytes) schema["maxLength"] = maxBytes;
  FieldSpec f{std::move(name), std::move(aliases), scope, std::move(schema), nullptr, writer(get)};
  f.read = [get, maxBytes](const Json& v, const std::string& given, RenderRequest& req) {
    if (!v.is_string()) return typeError(given, "a string");
    if (maxBytes && v.get_ref<const std::string&>().size() > maxBytes) {
      return Status::error(ErrorCode::InvalidArgument, given,
                           "at most " + std::to_string(maxBytes) + " bytes, got " +
                               std::to_string(v.get_ref<const std::string&>().size()));
    }
    get(req) = v.get<std::string>();
    return Status::ok();
  };
  return f;
}

FieldSpec intField(std::string name, std::string description, Accessor<int> get, int lo, int hi) {
  FieldSpec f{std::move(name),
              {},
              FieldScope::Options,
              Json{{"type", "integer"},
                   {"minimum", lo},
                   {"maximum", hi},
                   {"description", std::move(description)}},
              nullptr,
              writer(get)};
  f.read = [get, lo, hi](const Json& v, const std::string& given, RenderRequest& req) {
    if (!v.is_number_integer()) return typeError(given, "an integer");
    const auto value = v.get<long long>();
    if (value < lo || value > hi) {
      return Status::error(ErrorCode::InvalidArgument, given,
                           "must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                               ", got " + std::to_string(value));
    }
    get(req) = static_cast<int>(value);
    return Status::ok();
  };
  return f;
}

FieldSpec numberField(std::string name, std::string description, Accessor<double> get, double lo,
                      double hi) {
  FieldSpec f{std::move(name),
              {},
              FieldScope::Options,
              Json{{"type", "number"},
                   {"minimum", lo},
                   {"maximum", hi},
                   {"description", std::move(description)}},
              nullptr,
              writer(get)};
  f.read = [get, lo, hi](const Json& v, const std::string& given, RenderRequest& req) {
    if (!v.is_number()) return typeError(given, "a number");
    const double value = v.get<double>();
    if (!std::isfinite(value) || value < lo || value > hi) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "must be between %g and %g, got %g", lo, hi, value);
      return Status::error(ErrorCode::InvalidArgument, given, buf);
    }
    get(req) = value;
    return Status::ok();
  };
  return f;
}

template <typename E>
FieldSpec enumField(std::string name, std::vector<std::string> aliases, std::string description,
                    Accessor<E> get) {
  FieldSpec f{
      std::move(name),
      std::move(aliases),
      FieldScope::Options,
      Json{
          {"type", "string"}, {"enum", enumNameList<E>()}, {"description", std::move(description)}},
      nullptr,
      nullptr};
  f.write = [get](const RenderRequest& req) {
    return Json(enumName(get(const_cast<RenderRequest&>(req))));
  };
  f.read = [get](const Json& v, const std::string& given, RenderRequest& req) {
    if (!v.is_string()) return typeError(given, "a string");
    E value;
    if (!enumFromName(v.get<std::string>(), &value)) {
      std::string allowed;
      for (const auto& n : enumNameList<E>()) allowed += (allowed.empty() ? "" : ", ") + n;
      return Status::error(
          ErrorCode::InvalidArgument, given,
          "unknown value \"" + v.get<std::string>() + "\" (one of: " + allowed + ")");
    }
    get(req) = value;
    return Status::ok();
  };
  return f;
}

// The seed's `enhancements` took a flag or a list; ours is one enum.
Status readEnhancer(const Json& v, const std::string& given, RenderRequest& req) {
  auto& enhancer = req.options.enhancer;
  if (v.is_boolean()) {
    enhancer = v.get<bool>() ? Enhancer::Gfpgan : Enhancer::None;
    return Status::ok();
  }
  std::vector<std::string> names;
  if (v.is_string()) {
    names.push_back(v.get<std::string>());
  } else if (v.is_array()) {
    for (const auto& item : v) {
      if (!item.is_string()) return typeError(given, "a string, a boolean or a list of strings");
      names.push_back(item.get<std::string>());
    }
  } else {
    return typeError(given, "a string, a boolean or a list of strings");
  }
  enhancer = Enhancer::None;
  for (const auto& n : names) {
    Enhancer e;
    if (!enumFromName(n, &e)) {
      return Status::error(ErrorCode::InvalidArgument, given,
                           "unknown enhancer \"" + n + "\" (one of: none, gfpgan)");
    }
    if (e != Enhancer::None) enhancer = e;
  }
  return Status::ok();
}

bool parseHexColor(const std::string& s, uint32_t* rgb) {
  if (s.size() != 7 || s[0] != '#') return false;
  uint32_t value = 0;
  for (size_t i = 1; i < 7; ++i) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
    value <<= 4;
    if (c >= '0' && c <= '9') {
      value |= uint32_t(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      value |= uint32_t(c - 'a' + 10);
    } else {
      return false;
    }
  }
  *rgb = value;
  return true;
}

std::vector<FieldSpec> buildFields() {
  using S = FieldScope;
  std::vector<FieldSpec> f;
  f.push_back(stringField("avatarPath", {"avatar", "image", "imagePath"}, S::Request,
                          "Still photo of a face (png, jpg, webp, bmp, tiff).",
                          [](RenderRequest& r) -> std::string& { return r.imagePath; }));
  f.push_back(stringField("audioPath", {"audio"}, S::Request,
                          "Speech: any audio file FFmpeg reads, or a video with an audio track.",
                          [](RenderRequest& r) -> std::string& { return r.audioPath; }));
  f.push_back(stringField("driverVideo", {"driverVideoPath"}, S::Request,
                          "Optional video of a face that drives the head, eyes and brows (and, "
                          "with driverMouth video, the mouth): tracked by the built-in rig, or "
                          "animated by FOMM with motionBackend fomm.",
                          [](RenderRequest& r) -> std::string& { return r.driverVideoPath; }));
  f.push_back(stringField("visemeJson", {"visemeTrack", "visemes"}, S::Request,
                          "Optional viseme track: Rhubarb JSON/TSV, Praat TextGrid or seed JSON.",
                          [](RenderRequest& r) -> std::string& { return r.visemeTrackPath; }));
  f.push_back(stringField("outputPath", {"output"}, S::Request, "Video file to write (.mp4).",
                          [](RenderRequest& r) -> std::string& { return r.outputPath; }));

  f.push_back(enumField<QualityMode>(
      "qualityMode", {},
      "real_time: fastest path; high_quality: best models; auto: best available.",
      [](RenderRequest& r) -> QualityMode& { return r.options.qualityMode; }));
  f.push_back(enumField<LipSyncBackend>(
      "lipSync", {"lipSyncBackend"}, "Lip-sync backend.",
      [](RenderRequest& r) -> LipSyncBackend& { return r.options.lipSync; }));
  {
    auto e = enumField<Enhancer>("enhancer", {"enhancements"}, "Face enhancement.",
                                 [](RenderRequest& r) -> Enhancer& { return r.options.enhancer; });
    e.read = readEnhancer;
    f.push_back(std::move(e));
  }
  f.push_back(numberField(
      "enhancerStrength", "Blend of the enhanced face, 0 = off, 1 = full.",
      [](RenderRequest& r) -> double& { return r.options.enhancerStrength; }, 0, 1));
  f.push_back(enumField<HeadMotion>(
      "headMotion", {}, "natural: head motion and blinks; still: only mouth and eyes move.",
      [](RenderRequest& r) -> HeadMotion& { return r.options.headMotion; }));
  f.push_back(numberField(
      "motionScale", "Scale of head motion.",
      [](RenderRequest& r) -> double& { return r.options.motionScale; }, 0, 3));
  f.push_back(numberField(
      "blinksPerMinute", "Average blink rate.",
      [](RenderRequest& r) -> double& { return r.options.blinksPerMinute; }, 0, 60));
  f.push_back(numberField(
      "mouthGain", "Scale of mouth opening.",
      [](RenderRequest& r) -> double& { return r.options.mouthGain; }, 0, 3));
  f.push_back(intField(
      "smoothingMs", "Coarticulation smoothing window in milliseconds.",
      [](RenderRequest& r) -> int& { return r.options.smoothingMs; }, 0, 500));
  f.push_back(enumField<MotionBackend>(
      "motionBackend", {},
      "Head motion: builtin (procedural, or following a driver video), fomm (First-Order Motion "
      "Model, with or without a driver video), auto (fomm for a driver video when installed).",
      [](RenderRequest& r) -> MotionBackend& { return r.options.motionBackend; }));
  f.push_back(enumField<DriverLoop>(
      "driverLoop", {},
      "A driver video shorter than the speech: pingpong (back and forth), loop, or hold the "
      "last frame.",
      [](RenderRequest& r) -> DriverLoop& { return r.options.driverLoop; }));
  f.push_back(enumField<DriverMouth>(
      "driverMouth", {},
      "With a driver video and the built-in mouth: audio (lip sync to the speech) or video (the "
      "driver's mouth).",
      [](RenderRequest& r) -> DriverMouth& { return r.options.driverMouth; }));
  f.push_back(enumField<DriverReference>(
      "driverReference", {},
      "The driver frame that matches the photo's pose: first (the first with a face) or best "
      "(landmarks closest to the photo's).",
      [](RenderRequest& r) -> DriverReference& { return r.options.driverReference; }));
  f.push_back(enumField<FommMovement>(
      "fommMovement", {}, "FOMM keypoints relative to the driver's reference frame, or absolute.",
      [](RenderRequest& r) -> FommMovement& { return r.options.fommMovement; }));
  f.push_back(enumField<FommScale>(
      "fommScale", {},
      "FOMM relative movement scaled by the keypoint hull areas (adapt) or not (none).",
      [](RenderRequest& r) -> FommScale& { return r.options.fommScale; }));
  f.push_back(enumField<MouthPaste>(
      "mouthPaste", {},
      "Wav2Lip/Diff2Lip paste-back: feathered (lower-face mask, colour matched) or hard (the "
      "official whole-crop paste).",
      [](RenderRequest& r) -> MouthPaste& { return r.options.mouthPaste; }));
  f.push_back(intField(
      "diffusionSteps",
      "Diff2Lip DDIM steps (10 for previews, 25 as the paper, 50); needs an integer stride of "
      "1000.",
      [](RenderRequest& r) -> int& { return r.options.diffusionSteps; }, 1, 250));
  f.push_back(intField(
      "diffusionBatch", "Diff2Lip frames per sampling call; 0 = auto (4 on the CPU, 32 on CUDA).",
      [](RenderRequest& r) -> int& { return r.options.diffusionBatch; }, 0, 256));
  f.push_back(enumField<VisemeMethod>(
      "visemeMethod", {},
      "Visemes without a viseme file: spectral (any language) or english (phoneme recognition).",
      [](RenderRequest& r) -> VisemeMethod& { return r.options.visemeMethod; }));
  {
    FieldSpec s{"seed",
                {},
                S::Options,
                Json{{"type", "integer"},
                     {"minimum", 0},
                     {"maximum", 4294967295LL},
                     {"description", "Random seed: same inputs and seed give identical frames."}},
                nullptr,
                [](const RenderRequest& r) { return Json(r.options.seed); }};
    s.read = [](const Json& v, const std::string& given, RenderRequest& req) {
      if (!v.is_number_integer()) return typeError(given, "an integer");
      const auto value = v.get<long long>();
      if (value < 0 || value > 4294967295LL) {
        return Status::error(ErrorCode::InvalidArgument, given, "must be between 0 and 4294967295");
      }
      req.options.seed = static_cast<uint32_t>(value);
      return Status::ok();
    };
    f.push_back(std::move(s));
  }
  f.push_back(intField(
      "faceIndex", "-1: largest face; otherwise the face's index, left to right.",
      [](RenderRequest& r) -> int& { return r.options.faceIndex; }, -1, 63));
  f.push_back(intField(
      "fps", "Output frames per second.", [](RenderRequest& r) -> int& { return r.options.fps; }, 1,
      120));
  f.push_back(intField(
      "width", "Output width in pixels; 0 = from the photo.",
      [](RenderRequest& r) -> int& { return r.options.width; }, 0, 7680));
  f.push_back(intField(
      "height", "Output height in pixels; 0 = from the photo.",
      [](RenderRequest& r) -> int& { return r.options.height; }, 0, 4320));
  f.push_back(intField(
      "maxSidePx", "Longest side of the automatic output size.",
      [](RenderRequest& r) -> int& { return r.options.maxSidePx; }, 64, 7680));
  f.push_back(enumField<FitMode>("fit", {}, "cover: crop to fill; contain: pad with background.",
                                 [](RenderRequest& r) -> FitMode& { return r.options.fit; }));
  {
    FieldSpec s{"background",
                {"backgroundColor"},
                S::Options,
                Json{{"type", "string"},
                     {"pattern", "^#[0-9a-fA-F]{6}$"},
                     {"description", "Colour behind transparent photos and padding, #rrggbb."}},
                nullptr,
                [](const RenderRequest& r) {
                  char buf[8];
                  std::snprintf(buf, sizeof buf, "#%06x", r.options.backgroundRgb & 0xFFFFFFu);
                  return Json(buf);
                }};
    s.read = [](const Json& v, const std::string& given, RenderRequest& req) {
      if (!v.is_string() || !parseHexColor(v.get<std::string>(), &req.options.backgroundRgb)) {
        return typeError(given, "a colour like \"#1a2b3c\"");
      }
      return Status::ok();
    };
    f.push_back(std::move(s));
  }
  f.push_back(enumField<VideoEncoder>(
      "encoder", {"videoEncoder", "codec"},
      "H.264 encoder: libx264 (CPU), h264_nvenc (NVIDIA), auto (NVENC when usable).",
      [](RenderRequest& r) -> VideoEncoder& { return r.options.encoder; }));
  f.push_back(intField(
      "crf", "Quality: 0 (lossless) .. 51 (worst); 18-23 is typical.",
      [](RenderRequest& r) -> int& { return r.options.crf; }, 0, 51));
  {
    auto p = stringField("preset", {}, S::Options, "x264 preset: ultrafast .. veryslow.",
                         [](RenderRequest& r) -> std::string& { return r.options.preset; });
    p.schema["enum"] = {"ultrafast", "superfast", "veryfast", "faster",  "fast",
                        "medium",    "slow",      "slower",   "veryslow"};
    f.push_back(std::move(p));
  }
  f.push_back(intField(
      "audioBitrateKbps", "AAC audio bitrate.",
      [](RenderRequest& r) -> int& { return r.options.audioBitrateKbps; }, 32, 512));
  f.push_back(enumField<ComputeDevice>(
      "device", {}, "Where neural nets run.",
      [](RenderRequest& r) -> ComputeDevice& { return r.options.device; }));
  f.push_back(enumField<LicencePolicy>(
      "licence", {"licencePolicy", "license"},
      "any: every installed backend; commercial: only backends whose weights allow commercial "
      "use (auto falls back to the built-in ones and says why).",
      [](RenderRequest& r) -> LicencePolicy& { return r.options.licence; }));
  f.push_back(stringField(
      "transcript", {}, S::Options,
      "Optional text of the speech: with visemeMethod english its words are aligned to the audio "
      "(CMU dictionary) instead of recognising free phones; notes say what was used.",
      [](RenderRequest& r) -> std::string& { return r.options.transcript; }, 100000));
  return f;
}

}  // namespace

const std::vector<FieldSpec>& fieldSpecs() {
  static const std::vector<FieldSpec> fields = buildFields();
  return fields;
}

std::string toSnakeCase(std::string_view camel) {
  std::string out;
  for (char c : camel) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace avatar::detail
