// Which detected face the engine animates, for front-ends that show it.
#pragma once

#include <vector>

#include "avatar/face.h"

namespace avatar {

// Which of `faces` (detectFaces order) the engine animates for `faceIndex`:
// the largest (by its shorter box side) for -1, else faces[faceIndex]; -1
// when there is none. analyseFace uses it; front-ends show the same choice.
int chooseFace(const std::vector<FaceInfo>& faces, int faceIndex);

}  // namespace avatar
