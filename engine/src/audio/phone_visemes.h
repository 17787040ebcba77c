// Phones (ARPAbet as in CMUdict/MFA english_us_arpa, MFA's IPA-style phones)
// and common viseme names to Rhubarb shapes.
#pragma once

#include <string_view>
#include <vector>

#include "avatar/visemes.h"

namespace avatar::detail {

// Shapes for one phone: one, or two for diphthongs (first part, then second).
// Silence markers ("", sil, sp, spn, <eps>, ...) give X. Stress digits and
// IPA length/aspiration/palatalisation marks are ignored. Returns false for a
// phone it does not know (the caller decides; B is a neutral fallback).
bool visemesForPhone(std::string_view phone, std::vector<Viseme>* shapes);

// A viseme label: a Rhubarb letter (A-H, X, any case), a descriptive name
// (rest, closed, ...), a Meta/Oculus viseme (sil, PP, FF, TH, DD, kk, CH, SS,
// nn, RR, aa, I, O, U) or a Microsoft/SAPI viseme id "0".."21".
bool visemeFromName(std::string_view name, Viseme* shape);

}  // namespace avatar::detail
