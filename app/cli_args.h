// A small command-line parser: "--name value", "--name=value", short
// aliases, boolean flags, and positional arguments. Errors name the flag.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace app {

struct FlagSpec {
  std::string name;       // without dashes: "output"
  std::string shortName;  // "o" or empty
  bool takesValue = true;
  std::string valueName;  // "FILE", shown in help
  std::string help;
};

class ArgParser {
 public:
  void add(FlagSpec spec);
  // Parses argv[first..]. Returns false with *error set on a bad command line.
  bool parse(int argc, char** argv, int first, std::string* error);

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  // Flags in the order given (for "last one wins" merging).
  const std::vector<std::pair<std::string, std::string>>& ordered() const { return ordered_; }
  std::string helpText() const;

 private:
  const FlagSpec* find(const std::string& name) const;
  std::vector<FlagSpec> specs_;
  std::map<std::string, std::string> values_;
  std::vector<std::pair<std::string, std::string>> ordered_;
  std::vector<std::string> positional_;
};

}  // namespace app
