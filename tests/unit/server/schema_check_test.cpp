#include <gtest/gtest.h>

#include "commands/command_table.h"
#include "core/schema_check.h"

using avatar::server::checkAgainstSchema;
using avatar::server::coerceQueryValues;
using avatar::server::Json;

namespace {

const Json kSchema = Json::parse(R"({
  "type": "object", "additionalProperties": false, "required": ["jobId"],
  "properties": {
    "jobId": {"type": "string", "minLength": 1, "maxLength": 8},
    "limit": {"type": "integer", "minimum": 1, "maximum": 10},
    "ratio": {"type": "number"},
    "state": {"type": "string", "enum": ["queued", "done"]},
    "flag": {"type": "boolean"}}})");

std::string check(const char* json) {
  const auto err = checkAgainstSchema(kSchema, Json::parse(json));
  return err ? err->subject + ": " + err->detail : "ok";
}

TEST(SchemaCheck, AcceptsValidArguments) {
  EXPECT_EQ(check(R"({"jobId": "a", "limit": 3, "ratio": 1, "state": "done", "flag": true})"),
            "ok");
  EXPECT_EQ(check(R"({"jobId": "a", "limit": 3.0})"), "ok");  // an integral float
}

TEST(SchemaCheck, NamesTheField) {
  EXPECT_EQ(check(R"({})"), "jobId: is required");
  EXPECT_EQ(check(R"({"jobId": "a", "extra": 1})"), "extra: unknown field");
  EXPECT_EQ(check(R"({"jobId": 5})"), "jobId: must be a string, not integer");
  EXPECT_EQ(check(R"({"jobId": "a", "limit": 2.5})"), "limit: must be an integer, not number");
  EXPECT_EQ(check(R"({"jobId": "a", "limit": 0})"), "limit: must be at least 1");
  EXPECT_EQ(check(R"({"jobId": "a", "limit": 11})"), "limit: must be at most 10");
  EXPECT_EQ(check(R"({"jobId": "a", "state": "gone"})"),
            "state: must be one of [\"queued\",\"done\"]");
  EXPECT_EQ(check(R"({"jobId": ""})"), "jobId: must be at least 1 characters long");
  EXPECT_EQ(check(R"([1])"), "arguments: must be a object, not array");
}

TEST(SchemaCheck, CoercesQueryStrings) {
  Json args = {{"limit", "7"}, {"ratio", "0.5"}, {"flag", "true"}, {"jobId", "12"}};
  ASSERT_FALSE(coerceQueryValues(kSchema, &args));
  EXPECT_EQ(args["limit"], 7);
  EXPECT_EQ(args["ratio"], 0.5);
  EXPECT_EQ(args["flag"], true);
  EXPECT_EQ(args["jobId"], "12");  // strings stay strings
  Json bad = {{"limit", "7x"}};
  const auto err = coerceQueryValues(kSchema, &bad);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->subject, "limit");
}

TEST(CommandTable, EveryCommandHasSchemasAndOneRestBinding) {
  std::set<std::string> routes;
  for (const auto& c : avatar::server::commandTable()) {
    for (auto style : {avatar::JsonNameStyle::Camel, avatar::JsonNameStyle::Snake}) {
      const Json input = c.inputSchema(style);
      EXPECT_EQ(input["type"], "object") << c.name;
      EXPECT_FALSE(input.contains("$schema")) << c.name;
    }
    EXPECT_EQ(c.restOutputSchema()["type"], "object") << c.name;
    EXPECT_EQ(c.mcpOutputSchema()["type"], "object") << c.name;
    ASSERT_TRUE(c.rest) << c.name;
    EXPECT_TRUE(routes.insert(c.rest->method + " " + c.rest->path).second) << c.name;
  }
  const auto* render = avatar::server::findMcpTool("render_avatar");
  ASSERT_TRUE(render);
  const Json snake = render->inputSchema(avatar::JsonNameStyle::Snake);
  EXPECT_EQ(snake["required"], Json({"avatar_path", "audio_path"}));
  EXPECT_FALSE(snake["properties"].contains("output_path"));
}

}  // namespace
