// The UTF-8 sanitiser every front-end uses before emitting JSON, and the
// bounded reader of small input files.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "avatar/files.h"
#include "avatar/utf8.h"
#include "test_support.h"

using namespace avatar;

TEST(Utf8, ValidTextIsKeptAndEveryInvalidFormIsEscaped) {
  EXPECT_TRUE(isValidUtf8(""));
  EXPECT_TRUE(isValidUtf8("plain ascii"));
  EXPECT_TRUE(isValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_EQ(toValidUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
  const std::pair<std::string, std::string> cases[] = {
      {"caf\xE9.png", "caf\\xE9.png"},               // Latin-1
      {"\xC0\xAF", "\\xC0\\xAF"},                    // overlong '/'
      {"\xED\xA0\x80", "\\xED\\xA0\\x80"},           // a UTF-16 surrogate
      {"\xF4\x90\x80\x80", "\\xF4\\x90\\x80\\x80"},  // above U+10FFFF
      {"ab\xE2\x82", "ab\\xE2\\x82"},                // cut short
      {"\x80\xBF", "\\x80\\xBF"},                    // lone continuation bytes
      {"\xFF\xFE", "\\xFF\\xFE"},
  };
  for (const auto& [in, want] : cases) {
    EXPECT_FALSE(isValidUtf8(in)) << want;
    const std::string out = toValidUtf8(in);
    EXPECT_EQ(out, want);
    EXPECT_TRUE(isValidUtf8(out));
    EXPECT_NO_THROW((void)nlohmann::json(out).dump()) << want;
  }
}

TEST(Utf8, EveryByteStringComesOutValid) {
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 12, '\0');
    for (char& c : s) c = char(rng());
    const std::string out = toValidUtf8(s);
    ASSERT_TRUE(isValidUtf8(out));
    ASSERT_NO_THROW((void)nlohmann::json(out).dump());
    if (isValidUtf8(s)) ASSERT_EQ(out, s);
  }
}

TEST(ReadInputFile, BoundedBeforeAndWhileReading) {
  avatar_test::ScratchDir dir("read");
  const std::string small = dir.file("p.json");
  std::ofstream(small) << R"({"fps": 25})";
  std::string text;
  ASSERT_TRUE(readInputFile(small, "options preset", 1024, &text));
  EXPECT_EQ(text, R"({"fps": 25})");

  const std::string big = dir.file("big.json");
  std::ofstream{big}.close();
  std::filesystem::resize_file(big, 3ull << 30);  // sparse: nothing on disk
  Status s = readInputFile(big, "options preset", kMaxOptionsFileBytes, &text);
  EXPECT_EQ(s.code(), ErrorCode::InputTooLarge);
  EXPECT_EQ(s.subject(), big);
  EXPECT_NE(s.detail().find("1 MiB"), std::string::npos) << s.detail();
  EXPECT_TRUE(text.empty());

  EXPECT_EQ(readInputFile(dir.file("nope.json"), "options preset", 10, &text).code(),
            ErrorCode::InputNotFound);
  EXPECT_EQ(readInputFile(dir.path().string(), "options preset", 10, &text).code(),
            ErrorCode::InputNotReadable);
  const std::string fifo = dir.file("fifo.json");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(readInputFile(fifo, "options preset", 10, &text).code(), ErrorCode::InputNotReadable)
      << "a FIFO must not block the reader";
}
