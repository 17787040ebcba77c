#include <gtest/gtest.h>

#include "http/multipart.h"

using avatar::server::FormPart;
using avatar::server::parseMultipart;

namespace {

TEST(Multipart, ParsesFieldsAndFiles) {
  const QByteArray body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"qualityMode\"\r\n\r\nreal_time\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"me.png\"\r\n"
      "Content-Type: image/png\r\n\r\n\x89PNG\r\n--not-the-boundary\r\n\r\n"
      "--XyZ--\r\n";
  std::vector<FormPart> parts;
  ASSERT_FALSE(parseMultipart("multipart/form-data; boundary=XyZ", body, &parts));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].name, "qualityMode");
  EXPECT_FALSE(parts[0].isFile);
  EXPECT_EQ(parts[0].data, "real_time");
  EXPECT_EQ(parts[1].name, "avatar");
  EXPECT_TRUE(parts[1].isFile);
  EXPECT_EQ(parts[1].filename, "me.png");
  EXPECT_EQ(parts[1].contentType, "image/png");
  EXPECT_EQ(parts[1].data, QByteArray("\x89PNG\r\n--not-the-boundary\r\n"));
}

TEST(Multipart, QuotedBoundaryAndEmptyFile) {
  const QByteArray body =
      "--a b\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"\"\r\n\r\n\r\n--a b--";
  std::vector<FormPart> parts;
  ASSERT_FALSE(parseMultipart("multipart/form-data; boundary=\"a b\"", body, &parts));
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_TRUE(parts[0].isFile);
  EXPECT_TRUE(parts[0].data.isEmpty());
}

TEST(Multipart, Errors) {
  std::vector<FormPart> parts;
  EXPECT_EQ(parseMultipart("application/json", "{}", &parts)->code, "UnsupportedMedia");
  EXPECT_EQ(parseMultipart("multipart/form-data", "x", &parts)->code, "MalformedRequest");
  EXPECT_EQ(parseMultipart("multipart/form-data; boundary=b", "no delimiter", &parts)->code,
            "MalformedRequest");
  EXPECT_EQ(parseMultipart("multipart/form-data; boundary=b",
                           "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nunterminated",
                           &parts)
                ->code,
            "MalformedRequest");
  EXPECT_EQ(parseMultipart("multipart/form-data; boundary=b",
                           "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", &parts)
                ->code,
            "MalformedRequest");
}

}  // namespace
