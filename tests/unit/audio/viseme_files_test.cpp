// Viseme track files: Rhubarb JSON/TSV round trips, MFA TextGrids (long and
// short text formats, ARPAbet and IPA phones), the seed's viseme_json, and a
// clear error for each kind of malformed input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "avatar/visemes.h"
#include "test_support.h"

using namespace avatar;

namespace {

std::string writeFile(const std::string& name, const std::string& text) {
  const char* dir = std::getenv("AVATAR_TEST_TMP");
  const std::filesystem::path base =
      std::filesystem::path(dir && *dir ? dir : "/tmp") / ("visemes-" + std::to_string(::getpid()));
  std::filesystem::create_directories(base);
  const std::string path = (base / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string letters(const VisemeTrack& t) {
  std::string s;
  for (const auto& c : t) s += visemeLetter(c.shape);
  return s;
}

VisemeTrack load(const std::string& path, double duration = 0,
                 VisemeFormat format = VisemeFormat::Auto) {
  VisemeTrack track;
  const Status s = loadVisemeTrack(path, format, duration, &track);
  EXPECT_TRUE(s.isOk()) << s.message();
  return track;
}

// The error for a file with `text`; checks that it names the file.
Status loadError(const std::string& name, const std::string& text) {
  const std::string path = writeFile(name, text);
  VisemeTrack track;
  const Status s = loadVisemeTrack(path, VisemeFormat::Auto, 0, &track);
  EXPECT_FALSE(s.isOk()) << name << " loaded";
  EXPECT_EQ(s.subject(), path);
  EXPECT_TRUE(track.empty());
  return s;
}

const char* kMfaLong = R"(File type = "ooTextFile"
Object class = "TextGrid"

xmin = 0 
xmax = 1.5 
tiers? <exists> 
size = 2 
item []: 
    item [1]:
        class = "IntervalTier" 
        name = "words" 
        xmin = 0 
        xmax = 1.5 
        intervals: size = 3 
        intervals [1]:
            xmin = 0 
            xmax = 0.2 
            text = "" 
        intervals [2]:
            xmin = 0.2 
            xmax = 0.7 
            text = "hello" 
        intervals [3]:
            xmin = 0.7 
            xmax = 1.5 
            text = "mike" 
    item [2]:
        class = "IntervalTier" 
        name = "phones" 
        xmin = 0 
        xmax = 1.5 
        intervals: size = 9 
        intervals [1]:
            xmin = 0 
            xmax = 0.2 
            text = "" 
        intervals [2]:
            xmin = 0.2 
            xmax = 0.3 
            text = "HH" 
        intervals [3]:
            xmin = 0.3 
            xmax = 0.4 
            text = "AH0" 
        intervals [4]:
            xmin = 0.4 
            xmax = 0.5 
            text = "L" 
        intervals [5]:
            xmin = 0.5 
            xmax = 0.7 
            text = "OW1" 
        intervals [6]:
            xmin = 0.7 
            xmax = 0.8 
            text = "M" 
        intervals [7]:
            xmin = 0.8 
            xmax = 1.0 
            text = "AY1" 
        intervals [8]:
            xmin = 1.0 
            xmax = 1.1 
            text = "K" 
        intervals [9]:
            xmin = 1.1 
            xmax = 1.5 
            text = "sil" 
)";

// The same grid in Praat's short text format, with IPA phones as MFA's
// english_mfa model writes them.
const char* kMfaShortIpa = R"(File type = "ooTextFile"
Object class = "TextGrid"

0
1.5
<exists>
1
"IntervalTier"
"phones"
0
1.5
9
0
0.2
""
0.2
0.3
"h"
0.3
0.4
"ə"
0.4
0.5
"ɫ"
0.5
0.7
"ow"
0.7
0.8
"m"
0.8
1.0
"aj"
1.0
1.1
"kʰ"
1.1
1.5
"spn"
)";

}  // namespace

TEST(VisemeFiles, RhubarbJsonAndTsvRoundTrip) {
  const VisemeTrack track = {{0.0, 0.12, Viseme::X},  {0.12, 0.25, Viseme::A},
                             {0.25, 0.5, Viseme::D},  {0.5, 0.625, Viseme::F},
                             {0.625, 0.9, Viseme::H}, {0.9, 1.3, Viseme::X}};
  for (const char* name : {"track.json", "track.tsv"}) {
    const std::string path = writeFile(name, "");
    ASSERT_TRUE(saveVisemeTrack(path, VisemeFormat::Auto, track, "speech.wav").isOk());
    const VisemeTrack back = load(path);
    ASSERT_EQ(back.size(), track.size()) << name;
    for (size_t i = 0; i < track.size(); ++i) {
      EXPECT_DOUBLE_EQ(back[i].startSec, track[i].startSec) << name << " cue " << i;
      EXPECT_DOUBLE_EQ(back[i].endSec, track[i].endSec) << name << " cue " << i;
      EXPECT_EQ(back[i].shape, track[i].shape) << name << " cue " << i;
    }
    EXPECT_EQ(avatar_test::partialFiles(path), 0);
  }
  // The JSON is Rhubarb's layout.
  const std::string path = writeFile("layout.json", "");
  ASSERT_TRUE(saveVisemeTrack(path, VisemeFormat::RhubarbJson, track, "speech.wav").isOk());
  std::ifstream json(path);
  const std::string text((std::istreambuf_iterator<char>(json)), {});
  EXPECT_NE(text.find("\"soundFile\": \"speech.wav\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"duration\": 1.30"), std::string::npos) << text;
  EXPECT_NE(text.find("{ \"start\": 0.12, \"end\": 0.25, \"value\": \"A\" }"), std::string::npos);
}

TEST(VisemeFiles, RhubarbTsvCuesLastUntilTheNextLine) {
  const std::string path = writeFile("rhubarb.tsv", "0.00\tX\n0.35\tB\n0.50\tc\n0.80\tX\n");
  EXPECT_EQ(letters(load(path)), "XBC");
  EXPECT_DOUBLE_EQ(load(path).back().endSec, 0.8);
  // Extended with X to the audio duration, or clipped to it.
  VisemeTrack longer = load(path, 2.0);
  EXPECT_EQ(letters(longer), "XBCX");
  EXPECT_DOUBLE_EQ(longer.back().endSec, 2.0);
  VisemeTrack shorter = load(path, 0.6);
  EXPECT_EQ(letters(shorter), "XBC");
  EXPECT_DOUBLE_EQ(shorter.back().endSec, 0.6);
}

TEST(VisemeFiles, MfaTextGridLongFormatArpabet) {
  const VisemeTrack t = load(writeFile("mfa_long.TextGrid", kMfaLong));
  // sil, HH->C, AH0->C, L->H, OW1->E then F, M->A, AY1->D then C, K->B, sil.
  EXPECT_EQ(letters(t), "XCHEFADCBX");
  EXPECT_EQ(visemeAt(t, 0.1), Viseme::X);
  EXPECT_EQ(visemeAt(t, 0.45), Viseme::H);
  EXPECT_EQ(visemeAt(t, 0.55), Viseme::E);
  EXPECT_EQ(visemeAt(t, 0.65), Viseme::F);
  EXPECT_EQ(visemeAt(t, 0.75), Viseme::A);
  EXPECT_EQ(visemeAt(t, 1.2), Viseme::X);
  EXPECT_DOUBLE_EQ(t.back().endSec, 1.5);
}

TEST(VisemeFiles, MfaTextGridShortFormatIpaMatchesLongFormat) {
  const VisemeTrack a = load(writeFile("mfa_long2.TextGrid", kMfaLong));
  const VisemeTrack b = load(writeFile("mfa_short.TextGrid", kMfaShortIpa));
  ASSERT_EQ(letters(a), letters(b));
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i].startSec, b[i].startSec, 1e-9);
}

TEST(VisemeFiles, SeedJsonVariants) {
  // A plain array with seconds and letters.
  EXPECT_EQ(letters(load(writeFile("seed1.json",
                                   R"([{"start":0,"end":0.2,"viseme":"X"},
                                       {"start":0.2,"end":0.5,"viseme":"D"},
                                       {"start":0.5,"end":0.6,"viseme":"mbp"}])"))),
            "XDA");
  // Phonemes with milliseconds and durations.
  const VisemeTrack p =
      load(writeFile("seed2.json", R"({"phonemes":[{"start_ms":0,"duration_ms":100,"phoneme":"sil"},
                                   {"start_ms":100,"duration_ms":100,"phoneme":"F"},
                                   {"start_ms":200,"duration_ms":150,"phoneme":"UW1"}]})"));
  EXPECT_EQ(letters(p), "XGF");
  EXPECT_DOUBLE_EQ(p.back().endSec, 0.35);
  // Visemes by time only: each lasts until the next; Meta viseme names.
  const VisemeTrack v = load(
      writeFile(
          "seed3.json",
          R"({"visemes":[{"time":0,"viseme":"sil"},{"time":0.1,"viseme":"PP"},{"time":0.3,"viseme":"aa"}]})"),
      0.5);
  EXPECT_EQ(letters(v), "XAD");
  EXPECT_DOUBLE_EQ(v.back().endSec, 0.5);
}

TEST(VisemeFiles, NormalizeFillsGapsResolvesOverlapsAndClips) {
  const VisemeTrack raw = {{0.5, 0.8, Viseme::D}, {0.2, 0.4, Viseme::A}, {0.7, 1.5, Viseme::B}};
  const VisemeTrack t = normalizeVisemeTrack(raw, 1.2);
  EXPECT_EQ(letters(t), "XAXDB");
  EXPECT_DOUBLE_EQ(t[3].endSec, 0.7);  // the later cue wins the overlap
  EXPECT_DOUBLE_EQ(t.back().endSec, 1.2);
  EXPECT_EQ(letters(normalizeVisemeTrack({}, 1.0)), "X");
  EXPECT_TRUE(normalizeVisemeTrack({}, 0).empty());
}

TEST(VisemeFiles, MalformedInputsGiveClearErrors) {
  auto expectDetail = [](const Status& s, const std::string& part) {
    EXPECT_NE(s.detail().find(part), std::string::npos) << "detail: " << s.detail();
  };
  expectDetail(loadError("bad.json", "{\n  \"mouthCues\": [\n    {\"start\": 0,, }\n]}"),
               "malformed JSON at line 3");
  expectDetail(
      loadError(
          "letter.json",
          R"({"mouthCues":[{"start":0,"end":1,"value":"A"},{"start":1,"end":2,"value":"Q"}]})"),
      "mouthCues[1].value: unknown shape 'Q'");
  expectDetail(loadError("nostart.json", R"({"mouthCues":[{"end":1,"value":"A"}]})"),
               "mouthCues[0].start");
  expectDetail(
      loadError(
          "overlap.json",
          R"({"mouthCues":[{"start":0,"end":1,"value":"A"},{"start":0.5,"end":2,"value":"B"}]})"),
      "overlapping");
  expectDetail(loadError("negative.json", R"({"mouthCues":[{"start":-0.5,"end":1,"value":"A"}]})"),
               "mouthCues[0]: negative start time");
  expectDetail(loadError("backwards.json", R"({"mouthCues":[{"start":1,"end":0.5,"value":"A"}]})"),
               "end 0.50 is before start 1.00");
  expectDetail(loadError("empty.json", R"({"mouthCues":[]})"), "empty track");
  expectDetail(loadError("letter.tsv", "0.0\tA\n0.5\tZ\n"), "line 2: unknown shape 'Z'");
  expectDetail(loadError("time.tsv", "0.0\tA\nabc\tB\n"), "line 2: 'abc' is not a time");
  expectDetail(loadError("order.tsv", "0.5\tA\n0.2\tB\n"), "line 2: time 0.2 is before");
  expectDetail(
      loadError("words.TextGrid",
                "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n0\n1\n<exists>\n1\n"
                "\"IntervalTier\"\n\"words\"\n0\n1\n1\n0\n1\n\"hi\"\n"),
      "no phone tier");
  expectDetail(
      loadError("cut.TextGrid",
                "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n0\n1\n<exists>\n1\n"
                "\"IntervalTier\"\n\"phones\"\n0\n1\n2\n0\n0.5\n\"AA1\"\n"),
      "unexpected end of file");
  expectDetail(
      loadError("huge.TextGrid",
                "File type = \"ooTextFile\"\nObject class = \"TextGrid\"\n0\n1\n<exists>\n1\n"
                "\"IntervalTier\"\n\"phones\"\n0\n1\n1e12\n0\n0.5\n\"AA1\"\n"),
      "implausible interval count");
  expectDetail(loadError("far.tsv", "0\tA\n1e9\tX\n"), "line 1: time beyond 100 hours");
  expectDetail(loadError("seed.json", R"([{"start":0,"end":1,"viseme":"banana"}])"),
               "[0].viseme: unknown viseme 'banana'");
  expectDetail(loadError("seed2.json", R"({"visemes":[{"start":0,"end":1}]})"),
               "visemes[0]: no \"viseme\" or \"phoneme\" field");

  VisemeTrack track;
  EXPECT_EQ(loadVisemeTrack("/nonexistent/track.json", VisemeFormat::Auto, 0, &track).code(),
            ErrorCode::InputNotFound);
  EXPECT_EQ(loadVisemeTrack(writeFile("zero.json", ""), VisemeFormat::Auto, 0, &track).code(),
            ErrorCode::InputEmpty);
  const VisemeTrack one = {{0, 1, Viseme::A}};
  EXPECT_EQ(saveVisemeTrack(writeFile("t.xyz", ""), VisemeFormat::Auto, one).code(),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(saveVisemeTrack(writeFile("t2.json", ""), VisemeFormat::Auto, {}).code(),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(saveVisemeTrack("/nonexistent-dir/t.json", VisemeFormat::Auto, one).code(),
            ErrorCode::OutputNotWritable);
}
