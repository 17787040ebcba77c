// Placeholder until audio analysis lands (issue 3, audio stream). Deleted by
// that stream.
#include "avatar/visemes.h"

namespace avatar {

char visemeLetter(Viseme v) {
  return "ABCDEFGHX"[int(v)];
}

bool visemeFromLetter(char c, Viseme* out) {
  const std::string letters = "ABCDEFGHX";
  const auto pos = letters.find(c);
  if (pos == std::string::npos) return false;
  *out = Viseme(pos);
  return true;
}

Status estimateVisemes(const AudioSamples&, VisemeTrack* track) {
  track->clear();
  return Status::error(ErrorCode::Internal, "visemes", "not part of this build yet");
}

Status loadVisemeTrack(const std::string& path, VisemeFormat, double, VisemeTrack* track) {
  track->clear();
  return Status::error(ErrorCode::UnsupportedMedia, path,
                       "viseme tracks are not part of this build yet");
}

Status saveVisemeTrack(const std::string& path, VisemeFormat, const VisemeTrack&,
                       const std::string&) {
  return Status::error(ErrorCode::OutputNotWritable, path,
                       "viseme tracks are not part of this build yet");
}

}  // namespace avatar
