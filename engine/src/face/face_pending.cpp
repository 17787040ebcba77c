// Placeholder until face analysis lands (issue 3, face stream): reports
// that no face analysis is available. Deleted by that stream.
#include "avatar/face.h"

namespace avatar {

Status detectFaces(const Engine&, const Image&, std::vector<FaceInfo>* faces) {
  faces->clear();
  return Status::error(ErrorCode::ModelMissing, "face analysis", "not part of this build yet");
}

Status analyseFace(const Engine&, const Image&, const std::string& photoName, int, FaceInfo* face) {
  *face = FaceInfo{};
  return Status::error(ErrorCode::ModelMissing, photoName,
                       "face analysis is not part of this build yet");
}

}  // namespace avatar
