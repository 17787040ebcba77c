// The backend table and the choice made from it.
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "avatar/backends.h"
#include "avatar/engine.h"
#include "avatar/options_json.h"
#include "nets_test_util.h"
#include "pipeline/backend_choice.h"

using namespace avatar;
using namespace avatar::detail;
namespace fs = std::filesystem;

namespace {

// A models directory holding random-weight files for `kinds`.
std::shared_ptr<const Engine> engineWith(const std::string& name,
                                         const std::vector<nets::NetKind>& kinds) {
  const fs::path dir = nets_test::scratchDir() / name;
  fs::create_directories(dir);
  for (nets::NetKind k : kinds) {
    const fs::path to = dir / (k == nets::NetKind::Wav2Lip ? "wav2lip/wav2lip_gan.safetensors"
                               : k == nets::NetKind::Fomm  ? "fomm/vox-cpk.safetensors"
                                                           : "gfpgan/GFPGANv1.4.safetensors");
    fs::create_directories(to.parent_path());
    fs::copy_file(nets_test::randomWeights(k), to, fs::copy_options::overwrite_existing);
  }
  EngineConfig c;
  c.modelsDir = dir.string();
  std::shared_ptr<const Engine> e;
  EXPECT_TRUE(Engine::create(c, &e));
  return e;
}

RenderRequest request(RenderOptions o = {}) {
  RenderRequest r;
  r.options = o;
  return r;
}

bool hasNote(const BackendChoice& c, const std::string& part) {
  for (const auto& n : c.notes) {
    if (n.find(part) != std::string::npos) return true;
  }
  return false;
}

std::string allNotes(const BackendChoice& c) {
  std::string s;
  for (const auto& n : c.notes) s += n + "\n";
  return s;
}

}  // namespace

TEST(BackendTable, DeclaresEveryStageAndNamesOnlyKnownOptionsAndModels) {
  std::set<std::string> fields;
  for (const auto& f : renderFieldInfo()) fields.insert(f.name);
  std::set<std::string> modelIds;
  std::shared_ptr<const Engine> engine = engineWith("models-none", {});
  for (const auto& m : engine->models()) modelIds.insert(m.id);
  std::set<std::pair<int, std::string>> keys;
  for (const BackendInfo& b : backendTable()) {
    EXPECT_TRUE(keys.insert({int(b.role), b.id}).second) << "duplicate row " << b.id;
    for (const auto& f : b.honours) EXPECT_TRUE(fields.count(f)) << b.id << " honours " << f;
    for (const auto& m : b.modelIds) EXPECT_TRUE(modelIds.count(m)) << b.id << " needs " << m;
    EXPECT_FALSE(b.licence.empty()) << b.id;
    EXPECT_TRUE(fields.count(backendRoleOption(b.role))) << backendRoleOption(b.role);
  }
  // Each role has a built-in row except enhancement (optional), and the
  // declared-but-missing backends are there so that they are one row away.
  ASSERT_NE(findBackend(BackendRole::Motion, "builtin"), nullptr);
  ASSERT_NE(findBackend(BackendRole::Mouth, "builtin"), nullptr);
  const BackendInfo* d2l = findBackend(BackendRole::Mouth, "diff2lip");
  ASSERT_NE(d2l, nullptr);
  EXPECT_TRUE(d2l->implemented);
  EXPECT_TRUE(d2l->slow) << "auto picks diffusion only in high_quality mode";
  EXPECT_EQ(d2l->licence, "CC-BY-NC-4.0");
  EXPECT_FALSE(d2l->commercialUse);
  const BackendInfo* fomm = findBackend(BackendRole::Motion, "fomm");
  ASSERT_NE(fomm, nullptr);
  EXPECT_TRUE(fomm->implemented);
  EXPECT_TRUE(fomm->takesDriverVideo);
  EXPECT_FALSE(fomm->commercialUse);
  EXPECT_TRUE(findBackend(BackendRole::Motion, "builtin")->takesDriverVideo);
  EXPECT_FALSE(findBackend(BackendRole::Mouth, "wav2lip")->commercialUse);
  EXPECT_TRUE(findBackend(BackendRole::Enhance, "gfpgan")->commercialUse);
}

TEST(BackendTable, AvailabilityFollowsTheFilesAndSaysNotImplementedFirst) {
  auto none = engineWith("models-none", {});
  auto w2l = engineWith("models-w2l", {nets::NetKind::Wav2Lip});
  for (const auto& a : none->backends()) {
    if (a.backend.modelIds.empty()) {
      EXPECT_TRUE(a.usable) << a.backend.id;
      continue;
    }
    EXPECT_FALSE(a.usable) << a.backend.id;
    EXPECT_FALSE(a.missingFiles.empty()) << a.backend.id;
    if (!a.backend.implemented) {
      EXPECT_NE(a.reason.find("not implemented"), std::string::npos) << a.reason;
    } else {
      EXPECT_NE(a.reason.find("is missing"), std::string::npos) << a.reason;
    }
  }
  for (const auto& a : w2l->backends()) {
    if (a.backend.id == "wav2lip") EXPECT_TRUE(a.usable) << a.reason;
  }
  // The JSON form lists the same rows.
  const auto json = nlohmann::json::parse(backendsToJson(w2l->backends()));
  ASSERT_EQ(json.size(), backendTable().size());
  for (size_t i = 0; i < json.size(); ++i) {
    EXPECT_EQ(json[i]["id"], backendTable()[i].id);
    EXPECT_EQ(json[i]["role"], toString(backendTable()[i].role));
  }
}

TEST(BackendChoice, WeightsPresentPickWav2LipAndMissingOnesSayHowToGetThem) {
  auto with = engineWith("models-w2l", {nets::NetKind::Wav2Lip});
  auto without = engineWith("models-none", {});
  RenderOptions o;
  o.qualityMode = QualityMode::RealTime;
  BackendChoice choice;
  ASSERT_TRUE(chooseBackends(*with, request(o), &choice));
  EXPECT_EQ(choice.mouth, "wav2lip");
  EXPECT_EQ(choice.motion, "builtin") << "head motion and blinks stay with a neural mouth";
  EXPECT_TRUE(hasNote(choice, "mouth: wav2lip (auto choice)")) << allNotes(choice);
  ASSERT_TRUE(chooseBackends(*without, request(o), &choice));
  EXPECT_EQ(choice.mouth, "builtin");
  EXPECT_TRUE(hasNote(choice, "wav2lip_gan.safetensors")) << allNotes(choice);
  o.lipSync = LipSyncBackend::Wav2Lip;
  Status s = chooseBackends(*without, request(o), &choice);
  EXPECT_EQ(s.code(), ErrorCode::ModelMissing);
  EXPECT_NE(s.message().find("convert_checkpoint.py"), std::string::npos) << s.message();
  o.qualityMode = QualityMode::HighQuality;
  o.enhancer = Enhancer::Gfpgan;
  s = chooseBackends(*with, request(o), &choice);
  EXPECT_EQ(s.code(), ErrorCode::ModelMissing) << "gfpgan weights are absent";
  EXPECT_NE(s.message().find("GFPGANv1.4.safetensors"), std::string::npos) << s.message();
}

TEST(BackendChoice, Diff2LipIsAMouthRowThatNeedsItsWeights) {
  auto none = engineWith("models-none", {});
  RenderOptions o;
  o.lipSync = LipSyncBackend::Diff2Lip;
  BackendChoice choice;
  Status s = chooseBackends(*none, request(o), &choice);
  EXPECT_EQ(s.code(), ErrorCode::ModelMissing) << s.message();
  EXPECT_NE(s.message().find("diff2lip.safetensors"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("convert_checkpoint.py"), std::string::npos) << s.message();
  // high_quality auto skips a missing diff2lip with the reason, in a note;
  // the licence policy excludes it before any file check.
  o.lipSync = LipSyncBackend::Auto;
  o.qualityMode = QualityMode::HighQuality;
  ASSERT_TRUE(chooseBackends(*none, request(o), &choice));
  EXPECT_TRUE(hasNote(choice, "mouth diff2lip not used")) << allNotes(choice);
  EXPECT_EQ(choice.mouth, "builtin");
  o.lipSync = LipSyncBackend::Diff2Lip;
  o.licence = LicencePolicy::Commercial;
  s = chooseBackends(*none, request(o), &choice);
  EXPECT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("CC-BY-NC-4.0"), std::string::npos) << s.message();
}

TEST(BackendChoice, ADriverVideoGoesToFommWhenItCanRunElseToTheBuiltinRig) {
  RenderRequest r;
  r.driverVideoPath = "/tmp/driver.mp4";
  BackendChoice choice;
  // No FOMM weights: the built-in rig follows the driver, and says why.
  auto none = engineWith("models-none", {});
  ASSERT_TRUE(chooseBackends(*none, r, &choice));
  EXPECT_EQ(choice.motion, "builtin");
  EXPECT_TRUE(hasNote(choice, "motion fomm not used: ")) << allNotes(choice);
  EXPECT_TRUE(hasNote(choice, "motion: builtin (auto choice)")) << allNotes(choice);
  // Asked for explicitly, missing weights are an error naming them.
  r.options.motionBackend = MotionBackend::Fomm;
  Status s = chooseBackends(*none, r, &choice);
  EXPECT_EQ(s.code(), ErrorCode::ModelMissing);
  EXPECT_EQ(s.subject(), "fomm");
  EXPECT_NE(s.detail().find("vox-cpk.safetensors"), std::string::npos) << s.message();
  // With the weights, auto takes FOMM for a driver video; not without one.
  auto fomm = engineWith("models-fomm", {nets::NetKind::Fomm});
  r.options.motionBackend = MotionBackend::Auto;
  ASSERT_TRUE(chooseBackends(*fomm, r, &choice));
  EXPECT_EQ(choice.motion, "fomm");
  ASSERT_TRUE(chooseBackends(*fomm, request(), &choice));
  EXPECT_EQ(choice.motion, "builtin");
  // The commercial policy keeps the built-in rig (FOMM's weights are not).
  r.options.licence = LicencePolicy::Commercial;
  ASSERT_TRUE(chooseBackends(*fomm, r, &choice));
  EXPECT_EQ(choice.motion, "builtin");
  EXPECT_TRUE(hasNote(choice, "motion fomm not used: licence policy commercial excludes it"))
      << allNotes(choice);
  // Explicit builtin with FOMM installed: the rig.
  r.options.licence = LicencePolicy::Any;
  r.options.motionBackend = MotionBackend::Builtin;
  ASSERT_TRUE(chooseBackends(*fomm, r, &choice));
  EXPECT_EQ(choice.motion, "builtin");
}

TEST(BackendChoice, CommercialPolicyPicksTheBuiltinMouthAndSaysWhy) {
  auto with = engineWith("models-w2l", {nets::NetKind::Wav2Lip});
  RenderOptions o;
  o.licence = LicencePolicy::Commercial;
  BackendChoice choice;
  ASSERT_TRUE(chooseBackends(*with, request(o), &choice));
  EXPECT_EQ(choice.mouth, "builtin");
  EXPECT_TRUE(hasNote(choice, "mouth wav2lip not used: licence policy commercial excludes it"))
      << allNotes(choice);
  // An explicit non-commercial choice under the policy is an error naming it.
  o.lipSync = LipSyncBackend::Wav2Lip;
  Status s = chooseBackends(*with, request(o), &choice);
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(s.subject(), "licence");
  EXPECT_NE(s.detail().find("Wav2Lip"), std::string::npos) << s.message();
}

TEST(BackendChoice, OptionsTheChosenBackendsIgnoreGiveNotes) {
  auto with = engineWith("models-w2l", {nets::NetKind::Wav2Lip});
  RenderOptions o;
  o.mouthGain = 3;
  o.smoothingMs = 200;
  o.enhancerStrength = 0.3;
  o.blinksPerMinute = 60;
  BackendChoice choice;
  ASSERT_TRUE(chooseBackends(*with, request(o), &choice));
  ASSERT_EQ(choice.mouth, "wav2lip");
  EXPECT_TRUE(hasNote(choice, "mouthGain ignored")) << allNotes(choice);
  EXPECT_TRUE(hasNote(choice, "smoothingMs ignored")) << allNotes(choice);
  EXPECT_TRUE(hasNote(choice, "enhancerStrength ignored")) << allNotes(choice);
  EXPECT_FALSE(hasNote(choice, "blinksPerMinute")) << "the built-in motion blinks";
  // Defaults give no such notes; the built-in mouth honours the mouth options.
  o.lipSync = LipSyncBackend::Builtin;
  ASSERT_TRUE(chooseBackends(*with, request(o), &choice));
  EXPECT_FALSE(hasNote(choice, "mouthGain")) << allNotes(choice);
  ASSERT_TRUE(chooseBackends(*with, request({}), &choice));
  EXPECT_FALSE(hasNote(choice, "ignored")) << allNotes(choice);
}
