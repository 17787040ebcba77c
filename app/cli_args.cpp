#include "cli_args.h"

#include <algorithm>

namespace app {

void ArgParser::add(FlagSpec spec) {
  specs_.push_back(std::move(spec));
}

const FlagSpec* ArgParser::find(const std::string& name) const {
  for (const auto& s : specs_) {
    if (s.name == name || (!s.shortName.empty() && s.shortName == name)) return &s;
  }
  return nullptr;
}

std::optional<std::string> ArgParser::value(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

bool ArgParser::parse(int argc, char** argv, int first, std::string* error) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      for (++i; i < argc; ++i) positional_.push_back(argv[i]);
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      positional_.push_back(arg);
      continue;
    }
    const bool isLong = arg.rfind("--", 0) == 0;
    std::string name = arg.substr(isLong ? 2 : 1);
    std::optional<std::string> inlineValue;
    if (const auto eq = name.find('='); isLong && eq != std::string::npos) {
      inlineValue = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const FlagSpec* spec = find(name);
    if (!spec || (!isLong && spec->shortName != name)) {
      *error = "unknown option " + arg;
      return false;
    }
    std::string value = "true";
    if (spec->takesValue) {
      if (inlineValue) {
        value = *inlineValue;
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        *error = "option --" + spec->name + " needs a value (" + spec->valueName + ")";
        return false;
      }
    } else if (inlineValue) {
      *error = "option --" + spec->name + " takes no value";
      return false;
    }
    values_[spec->name] = value;
    ordered_.emplace_back(spec->name, value);
  }
  return true;
}

std::string ArgParser::helpText() const {
  std::string out;
  for (const auto& s : specs_) {
    std::string left = "  ";
    left += s.shortName.empty() ? "    " : "-" + s.shortName + ", ";
    left += "--" + s.name;
    if (s.takesValue) left += " " + (s.valueName.empty() ? std::string("VALUE") : s.valueName);
    if (left.size() < 34)
      left.resize(34, ' ');
    else
      left += "\n" + std::string(34, ' ');
    out += left + s.help + "\n";
  }
  return out;
}

}  // namespace app
