// loadVisemeTrack / saveVisemeTrack: files in, normalised tracks out.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "audio/viseme_formats.h"
#include "avatar/files.h"
#include "avatar/log.h"
#include "media/input_checks.h"

namespace avatar {
namespace detail {

namespace {
constexpr std::uintmax_t kMaxTrackBytes = 64ull << 20;

Status fail(const std::string& path, const std::string& detail) {
  return Status::error(ErrorCode::UnsupportedMedia, path, detail);
}
}  // namespace

Status validateCues(const ParsedTrack& parsed, const std::string& path, double durationSec,
                    VisemeTrack* track) {
  track->clear();
  const auto& cues = parsed.cues;
  if (cues.empty()) return fail(path, "empty track: no cues");
  constexpr double kMaxSec = 100.0 * 3600;  // far beyond any speech we render
  for (const RawCue& c : cues) {
    if (c.startSec > kMaxSec || c.endSec > kMaxSec) {
      return fail(path, c.where + ": time beyond 100 hours");
    }
    if (c.startSec < 0)
      return fail(path, c.where + ": negative start time " + formatSeconds(c.startSec));
    if (!c.untilEnd && c.endSec < c.startSec) {
      return fail(path, c.where + ": end " + formatSeconds(c.endSec) + " is before start " +
                            formatSeconds(c.startSec));
    }
  }
  std::vector<size_t> order(cues.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return cues[a].startSec < cues[b].startSec; });
  for (size_t k = 1; k < order.size(); ++k) {
    const RawCue& prev = cues[order[k - 1]];
    const RawCue& cur = cues[order[k]];
    if (cur.startSec < prev.endSec - 1e-6) {
      return fail(path, cur.where + ": starts at " + formatSeconds(cur.startSec) + ", before " +
                            prev.where + " ends at " + formatSeconds(prev.endSec) +
                            " (overlapping cues)");
    }
  }
  double end = durationSec > 0 ? durationSec : parsed.endSec;
  for (const RawCue& c : cues) end = std::max(end, durationSec > 0 ? 0.0 : c.endSec);
  VisemeTrack raw;
  for (size_t idx : order) {
    const RawCue& c = cues[idx];
    const double stop = c.untilEnd ? std::max(c.startSec, end) : c.endSec;
    const size_t parts = c.shapes.size();
    for (size_t p = 0; p < parts; ++p) {  // diphthongs: equal parts
      raw.push_back({c.startSec + (stop - c.startSec) * double(p) / double(parts),
                     c.startSec + (stop - c.startSec) * double(p + 1) / double(parts),
                     c.shapes[p]});
    }
  }
  *track = normalizeVisemeTrack(std::move(raw), end);
  if (track->empty()) return fail(path, "empty track: every cue has zero length");
  return Status::ok();
}

}  // namespace detail

Status loadVisemeTrack(const std::string& path, VisemeFormat format, double durationSec,
                       VisemeTrack* track) {
  track->clear();
  std::string text;
  if (Status s = readInputFile(path, "viseme track", detail::kMaxTrackBytes, &text); !s) return s;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  if (text.size() >= 2 && (uint8_t(text[0]) == 0xFF || uint8_t(text[0]) == 0xFE) &&
      (uint8_t(text[1]) == 0xFE || uint8_t(text[1]) == 0xFF)) {
    return detail::fail(path, "UTF-16 text is not supported; save the file as UTF-8");
  }
  if (format == VisemeFormat::Auto) format = detail::detectVisemeFormat(text);
  detail::ParsedTrack parsed;
  Status s;
  switch (format) {
    case VisemeFormat::RhubarbJson:
      s = detail::parseRhubarbJson(text, path, &parsed);
      break;
    case VisemeFormat::SeedJson:
      s = detail::parseSeedJson(text, path, &parsed);
      break;
    case VisemeFormat::RhubarbTsv:
      s = detail::parseRhubarbTsv(text, path, &parsed);
      break;
    case VisemeFormat::TextGrid:
      s = detail::parseTextGrid(text, path, &parsed);
      break;
    case VisemeFormat::Auto:
      break;
  }
  if (!s) return s;
  if (!parsed.unknownPhones.empty()) {
    log(LogLevel::Warning,
        path + ": " + std::to_string(parsed.unknownPhones.size()) +
            " unknown phone(s) shown as shape B, first: " + parsed.unknownPhones.front());
  }
  return detail::validateCues(parsed, path, durationSec, track);
}

Status saveVisemeTrack(const std::string& path, VisemeFormat format, const VisemeTrack& track,
                       const std::string& soundFile) {
  if (format == VisemeFormat::Auto) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (ext == ".json")
      format = VisemeFormat::RhubarbJson;
    else if (ext == ".tsv" || ext == ".txt")
      format = VisemeFormat::RhubarbTsv;
    else {
      return Status::error(ErrorCode::InvalidArgument, path,
                           "unknown viseme track extension (use .json or .tsv)");
    }
  }
  if (format != VisemeFormat::RhubarbJson && format != VisemeFormat::RhubarbTsv) {
    return Status::error(ErrorCode::InvalidArgument, path,
                         "viseme tracks are written as Rhubarb JSON or TSV only");
  }
  const VisemeTrack cues = normalizeVisemeTrack(track, 0);
  if (cues.empty()) return Status::error(ErrorCode::InvalidArgument, path, "empty viseme track");
  const std::string text = format == VisemeFormat::RhubarbJson
                               ? detail::formatRhubarbJson(cues, soundFile)
                               : detail::formatRhubarbTsv(cues);
  std::string part;
  if (Status s = detail::createPartialFile(path, &part); !s) return s;
  {
    std::ofstream out(part, std::ios::binary | std::ios::trunc);
    if (!out) {
      std::remove(part.c_str());
      return Status::error(ErrorCode::OutputNotWritable, path, "cannot create " + part);
    }
    out << text;
    out.close();
    if (!out) {
      std::remove(part.c_str());
      return Status::error(ErrorCode::OutputNotWritable, path, "write failed (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(part, path, ec);
  if (ec) {
    std::remove(part.c_str());
    return Status::error(ErrorCode::OutputNotWritable, path, "cannot rename: " + ec.message());
  }
  return Status::ok();
}

}  // namespace avatar
