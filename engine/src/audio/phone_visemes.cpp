#include "audio/phone_visemes.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_map>

namespace avatar::detail {
namespace {

using V = Viseme;
using Shapes = std::vector<Viseme>;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// ARPAbet, lower case without stress digits.
const std::unordered_map<std::string, Shapes>& arpabet() {
  static const std::unordered_map<std::string, Shapes> table = {
      {"aa", {V::D}},       {"ae", {V::C}},       {"ah", {V::C}}, {"ao", {V::E}},
      {"aw", {V::D, V::F}}, {"ay", {V::D, V::C}}, {"eh", {V::C}}, {"er", {V::E}},
      {"ey", {V::C, V::B}}, {"ih", {V::B}},       {"iy", {V::B}}, {"ow", {V::E, V::F}},
      {"oy", {V::E, V::B}}, {"uh", {V::F}},       {"uw", {V::F}}, {"ax", {V::C}},
      {"axr", {V::E}},      {"ix", {V::B}},       {"ux", {V::F}}, {"b", {V::A}},
      {"m", {V::A}},        {"p", {V::A}},        {"em", {V::A}}, {"f", {V::G}},
      {"v", {V::G}},        {"l", {V::H}},        {"el", {V::H}}, {"w", {V::F}},
      {"wh", {V::F}},       {"r", {V::E}},        {"hh", {V::C}}, {"ch", {V::B}},
      {"jh", {V::B}},       {"sh", {V::B}},       {"zh", {V::B}}, {"s", {V::B}},
      {"z", {V::B}},        {"t", {V::B}},        {"d", {V::B}},  {"n", {V::B}},
      {"en", {V::B}},       {"k", {V::B}},        {"g", {V::B}},  {"ng", {V::B}},
      {"th", {V::B}},       {"dh", {V::B}},       {"y", {V::B}},  {"dx", {V::B}},
      {"q", {V::B}},        {"nx", {V::B}},
  };
  return table;
}

// IPA-style phones (MFA english_mfa and similar), diacritics removed.
const std::unordered_map<std::string, Shapes>& ipa() {
  static const std::unordered_map<std::string, Shapes> table = {
      {"a", {V::D}},        {"ɑ", {V::D}},        {"ɐ", {V::D}},        {"æ", {V::C}},
      {"ɒ", {V::E}},        {"ɔ", {V::E}},        {"o", {V::E}},        {"ɵ", {V::E}},
      {"ø", {V::E}},        {"œ", {V::E}},        {"ɛ", {V::C}},        {"e", {V::C}},
      {"ə", {V::C}},        {"ʌ", {V::C}},        {"ɜ", {V::C}},        {"ɚ", {V::E}},
      {"ɝ", {V::E}},        {"ɪ", {V::B}},        {"i", {V::B}},        {"ɨ", {V::B}},
      {"y", {V::F}},        {"ʏ", {V::F}},        {"ɯ", {V::B}},        {"ʊ", {V::F}},
      {"u", {V::F}},        {"ʉ", {V::F}},        {"aw", {V::D, V::F}}, {"aʊ", {V::D, V::F}},
      {"aj", {V::D, V::C}}, {"aɪ", {V::D, V::C}}, {"ej", {V::C, V::B}}, {"eɪ", {V::C, V::B}},
      {"ow", {V::E, V::F}}, {"oʊ", {V::E, V::F}}, {"əʊ", {V::E, V::F}}, {"ɔj", {V::E, V::B}},
      {"ɔɪ", {V::E, V::B}}, {"p", {V::A}},        {"b", {V::A}},        {"m", {V::A}},
      {"ɸ", {V::A}},        {"β", {V::A}},        {"f", {V::G}},        {"v", {V::G}},
      {"ɱ", {V::G}},        {"l", {V::H}},        {"ɫ", {V::H}},        {"ʎ", {V::H}},
      {"ɭ", {V::H}},        {"w", {V::F}},        {"ʍ", {V::F}},        {"ɥ", {V::F}},
      {"ɹ", {V::E}},        {"ɻ", {V::E}},        {"r", {V::B}},        {"ɾ", {V::B}},
      {"ʁ", {V::B}},        {"ʀ", {V::B}},        {"h", {V::C}},        {"ɦ", {V::C}},
      {"t", {V::B}},        {"d", {V::B}},        {"n", {V::B}},        {"k", {V::B}},
      {"g", {V::B}},        {"ɡ", {V::B}},        {"ŋ", {V::B}},        {"s", {V::B}},
      {"z", {V::B}},        {"ʃ", {V::B}},        {"ʒ", {V::B}},        {"θ", {V::B}},
      {"ð", {V::B}},        {"j", {V::B}},        {"ç", {V::B}},        {"x", {V::B}},
      {"ʔ", {V::B}},        {"c", {V::B}},        {"ɟ", {V::B}},        {"ɲ", {V::B}},
      {"tʃ", {V::B}},       {"dʒ", {V::B}},       {"ts", {V::B}},       {"dz", {V::B}},
      {"ɕ", {V::B}},        {"ʑ", {V::B}},        {"ʂ", {V::B}},        {"ʐ", {V::B}},
      {"ɣ", {V::B}},        {"χ", {V::B}},        {"ɳ", {V::B}},        {"ɖ", {V::B}},
      {"ʈ", {V::B}},        {"q", {V::B}},
  };
  return table;
}

// Drops stress digits and IPA modifier marks (length, aspiration, palatal,
// combining diacritics such as the syllabic mark).
std::string stripMarks(std::string_view phone) {
  static const char* const marks[] = {"ː", "ˑ", "ʰ", "ʲ", "ʷ", "ˠ", "ˤ", "ʼ", "̩",
                                      "̪",  "̃",  "̥",  "̯",  "͡",  "̚",  "ˈ", "ˌ"};
  std::string s(phone);
  for (const char* m : marks) {
    const std::string mark(m);
    for (size_t pos; (pos = s.find(mark)) != std::string::npos;) s.erase(pos, mark.size());
  }
  while (!s.empty() && std::isdigit(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

}  // namespace

bool visemesForPhone(std::string_view phone, std::vector<Viseme>* shapes) {
  shapes->clear();
  const std::string low = lower(phone);
  static const char* const silences[] = {"",    "sil", "sp", "spn", "<eps>", "<sil>", "sil0",
                                         "pau", "h#",  "#",  "_",   "<unk>", "noise"};
  for (const char* s : silences) {
    if (low == s) {
      shapes->push_back(Viseme::X);
      return true;
    }
  }
  const std::string base = stripMarks(low);
  if (auto it = arpabet().find(base); it != arpabet().end()) {
    *shapes = it->second;
    return true;
  }
  if (auto it = ipa().find(base); it != ipa().end()) {
    *shapes = it->second;
    return true;
  }
  return false;
}

bool visemeFromName(std::string_view name, Viseme* shape) {
  if (name.size() == 1 && visemeFromLetter(name[0], shape)) return true;
  static const std::unordered_map<std::string, Viseme> names = {
      // Descriptive names.
      {"rest", V::X},
      {"silence", V::X},
      {"sil", V::X},
      {"neutral", V::X},
      {"closed", V::A},
      {"mbp", V::A},
      {"fv", V::G},
      {"l", V::H},
      {"open", V::C},
      {"wide", V::D},
      {"round", V::E},
      {"rounded", V::E},
      {"pucker", V::F},
      {"puckered", V::F},
      {"wq", V::F},
      {"etc", V::B},
      // Meta/Oculus visemes.
      {"pp", V::A},
      {"ff", V::G},
      {"th", V::B},
      {"dd", V::B},
      {"kk", V::B},
      {"ch", V::B},
      {"ss", V::B},
      {"nn", V::B},
      {"rr", V::E},
      {"aa", V::D},
      {"i", V::B},
      {"o", V::E},
      {"u", V::F},
      // Microsoft/SAPI viseme ids.
      {"0", V::X},
      {"1", V::C},
      {"2", V::D},
      {"3", V::E},
      {"4", V::C},
      {"5", V::E},
      {"6", V::B},
      {"7", V::F},
      {"8", V::E},
      {"9", V::D},
      {"10", V::E},
      {"11", V::D},
      {"12", V::C},
      {"13", V::E},
      {"14", V::H},
      {"15", V::B},
      {"16", V::B},
      {"17", V::B},
      {"18", V::G},
      {"19", V::B},
      {"20", V::B},
      {"21", V::A},
  };
  const auto it = names.find(lower(name));
  if (it == names.end()) return false;
  *shape = it->second;
  return true;
}

}  // namespace avatar::detail
