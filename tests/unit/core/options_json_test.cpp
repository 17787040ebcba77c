#include <cmath>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "avatar/options_json.h"

using namespace avatar;

TEST(OptionsJson, DefaultsRoundTrip) {
  const RenderOptions defaults;
  RenderOptions parsed;
  parsed.fps = 99;
  ASSERT_TRUE(parseRenderOptions(renderOptionsToJson(defaults), &parsed));
  EXPECT_EQ(renderOptionsToJson(parsed), renderOptionsToJson(defaults));
  EXPECT_EQ(parsed.fps, 25);
}

TEST(OptionsJson, EveryFieldRoundTripsWithNonDefaultValues) {
  RenderRequest r;
  r.imagePath = "/in/face.png";
  r.audioPath = "/in/speech.mp3";
  r.driverVideoPath = "/in/driver.mp4";
  r.visemeTrackPath = "/in/v.json";
  r.outputPath = "/out/x.mp4";
  RenderOptions& o = r.options;
  o.qualityMode = QualityMode::HighQuality;
  o.lipSync = LipSyncBackend::Wav2Lip;
  o.enhancer = Enhancer::Gfpgan;
  o.enhancerStrength = 0.25;
  o.headMotion = HeadMotion::Still;
  o.motionScale = 2.5;
  o.blinksPerMinute = 7;
  o.mouthGain = 1.5;
  o.smoothingMs = 120;
  o.visemeMethod = VisemeMethod::EnglishPhonemes;
  o.seed = 4000000000u;
  o.faceIndex = 2;
  o.fps = 30;
  o.width = 640;
  o.height = 360;
  o.maxSidePx = 1024;
  o.fit = FitMode::Contain;
  o.backgroundRgb = 0x102030;
  o.encoder = VideoEncoder::Nvenc;
  o.crf = 28;
  o.preset = "veryfast";
  o.audioBitrateKbps = 96;
  o.device = ComputeDevice::Cuda;
  o.transcript = "hello";
  for (auto style : {JsonNameStyle::Camel, JsonNameStyle::Snake}) {
    RenderRequest back;
    ASSERT_TRUE(parseRenderRequest(renderRequestToJson(r, style), &back));
    EXPECT_EQ(renderRequestToJson(back), renderRequestToJson(r));
    EXPECT_EQ(back.options.seed, 4000000000u);
    EXPECT_EQ(back.options.backgroundRgb, 0x102030u);
    EXPECT_EQ(back.visemeTrackPath, "/in/v.json");
    EXPECT_EQ(back.options.visemeMethod, VisemeMethod::EnglishPhonemes);
  }
}

TEST(OptionsJson, SeedRestAndMcpNamesAreAccepted) {
  RenderRequest rest;
  ASSERT_TRUE(parseRenderRequest(
      R"({"avatarPath":"a.png","audioPath":"b.wav","driverVideo":null,"visemeJson":"v.json",
          "qualityMode":"real_time","enhancements":["gfpgan"],"transcript":"hi"})",
      &rest));
  EXPECT_EQ(rest.imagePath, "a.png");
  EXPECT_EQ(rest.audioPath, "b.wav");
  EXPECT_EQ(rest.driverVideoPath, "");
  EXPECT_EQ(rest.visemeTrackPath, "v.json");
  EXPECT_EQ(rest.options.qualityMode, QualityMode::RealTime);
  EXPECT_EQ(rest.options.enhancer, Enhancer::Gfpgan);

  RenderRequest mcp;
  ASSERT_TRUE(parseRenderRequest(
      R"({"avatar_path":"a.png","audio_path":"b.wav","quality_mode":"high_quality",
          "mouth_gain":2.0,"enhancements":false})",
      &mcp));
  EXPECT_EQ(mcp.imagePath, "a.png");
  EXPECT_EQ(mcp.options.qualityMode, QualityMode::HighQuality);
  EXPECT_DOUBLE_EQ(mcp.options.mouthGain, 2.0);
  EXPECT_EQ(mcp.options.enhancer, Enhancer::None);
}

TEST(OptionsJson, ErrorsNameTheField) {
  struct Case {
    const char* json;
    const char* subject;
  } cases[] = {
      {R"({"fps": 0})", "fps"},
      {R"({"fps": "25"})", "fps"},
      {R"({"fps": 25.5})", "fps"},
      {R"({"mouthGain": 9})", "mouthGain"},
      {R"({"qualityMode": "ultra"})", "qualityMode"},
      {R"({"colour": "#fff"})", "colour"},
      {R"({"background": "white"})", "background"},
      {R"({"preset": "warp"})", "preset"},
      {R"({"seed": -1})", "seed"},
      {R"({"enhancements": [1]})", "enhancements"},
      {R"({"qualityMode": "auto", "quality_mode": "auto"})", "quality_mode"},
  };
  for (const auto& c : cases) {
    RenderOptions o;
    const Status s = parseRenderOptions(c.json, &o);
    EXPECT_EQ(s.code(), ErrorCode::InvalidArgument) << c.json;
    EXPECT_EQ(s.subject(), c.subject) << c.json << " -> " << s.message();
  }
}

TEST(OptionsJson, PresetsRejectRequestFieldsAndBadJson) {
  RenderOptions o;
  EXPECT_EQ(parseRenderOptions(R"({"avatarPath":"x.png"})", &o).code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(parseRenderOptions("{not json", &o).code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(parseRenderOptions("[1,2]", &o).code(), ErrorCode::InvalidArgument);
}

TEST(OptionsJson, MergeKeepsFieldsNotGiven) {
  RenderOptions o;
  o.fps = 30;
  o.mouthGain = 2;
  ASSERT_TRUE(mergeRenderOptions(R"({"mouthGain": 0.5})", &o));
  EXPECT_EQ(o.fps, 30);
  EXPECT_DOUBLE_EQ(o.mouthGain, 0.5);
  // A failed merge leaves the target untouched.
  EXPECT_FALSE(mergeRenderOptions(R"({"mouthGain": 0.7, "fps": 0})", &o));
  EXPECT_DOUBLE_EQ(o.mouthGain, 0.5);
}

TEST(OptionsJson, SchemaListsEveryFieldWithDefaultsAndRequiredInputs) {
  const auto camel = nlohmann::json::parse(renderRequestJsonSchema(JsonNameStyle::Camel));
  const auto snake = nlohmann::json::parse(renderRequestJsonSchema(JsonNameStyle::Snake));
  EXPECT_EQ(camel["required"], nlohmann::json({"avatarPath", "audioPath"}));
  EXPECT_EQ(snake["required"], nlohmann::json({"avatar_path", "audio_path"}));
  EXPECT_FALSE(camel["additionalProperties"].get<bool>());
  EXPECT_EQ(snake["properties"]["quality_mode"]["enum"],
            nlohmann::json({"auto", "real_time", "high_quality"}));
  EXPECT_EQ(camel["properties"]["fps"]["default"], 25);
  for (const auto& f : renderFieldInfo()) {
    EXPECT_TRUE(camel["properties"].contains(f.name)) << f.name;
  }
  const auto options = nlohmann::json::parse(renderOptionsJsonSchema());
  EXPECT_FALSE(options["properties"].contains("avatarPath"));
}

// validateRenderOptions comes from the field table: what the C++ API accepts
// is what the JSON parser accepts, and whatever it accepts serialises to JSON
// the parser takes back.
TEST(OptionsJson, CppValidationAcceptsExactlyWhatTheParserAccepts) {
  struct Case {
    const char* name;
    void (*set)(RenderOptions&);
  };
  const Case bad[] = {
      {"mouthGain", [](RenderOptions& o) { o.mouthGain = 100; }},
      {"crf", [](RenderOptions& o) { o.crf = 99; }},
      {"enhancerStrength", [](RenderOptions& o) { o.enhancerStrength = 7; }},
      {"motionScale", [](RenderOptions& o) { o.motionScale = std::nan(""); }},
      {"blinksPerMinute", [](RenderOptions& o) { o.blinksPerMinute = -1; }},
      {"smoothingMs", [](RenderOptions& o) { o.smoothingMs = 501; }},
      {"faceIndex", [](RenderOptions& o) { o.faceIndex = -2; }},
      {"audioBitrateKbps", [](RenderOptions& o) { o.audioBitrateKbps = 8; }},
      {"maxSidePx", [](RenderOptions& o) { o.maxSidePx = 10; }},
      {"preset", [](RenderOptions& o) { o.preset = "warp"; }},
      {"fps", [](RenderOptions& o) { o.fps = 0; }},
  };
  for (const Case& c : bad) {
    RenderOptions o;
    c.set(o);
    const Status s = validateRenderOptions(o);
    EXPECT_EQ(s.code(), ErrorCode::InvalidArgument) << c.name;
    EXPECT_EQ(s.subject(), c.name) << s.message();
  }
  // Edges of every range are accepted, and their JSON parses back.
  RenderOptions o;
  o.mouthGain = 3;
  o.crf = 51;
  o.enhancerStrength = 0;
  o.fps = 120;
  o.seed = 4294967295u;
  o.licence = LicencePolicy::Commercial;
  ASSERT_TRUE(validateRenderOptions(o));
  RenderOptions back;
  ASSERT_TRUE(parseRenderOptions(renderOptionsToJson(o), &back));
  EXPECT_EQ(renderOptionsToJson(back), renderOptionsToJson(o));
}
