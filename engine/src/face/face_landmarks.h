// Landmark helpers shared by face analysis and by tests that measure the
// rendered output (e.g. mouth opening per frame for lip-sync checks).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "avatar/engine.h"
#include "avatar/image.h"
#include "avatar/status.h"

namespace avatar::detail {

// 68 landmarks (iBUG order, frame pixels) for the face inside `box` on any
// 8-bit RGB frame; strideBytes 0 means 3 * width. Fast (one 112 x 112 net
// pass, a few ms on CPU). Thread-safe. ModelMissing when no landmark net is
// installed; InvalidArgument for an empty frame or a box outside it.
Status landmarksInBox(const Engine& engine, const uint8_t* rgb, int width, int height,
                      int strideBytes, const RectF& box, std::vector<PointF>* points);

// Left eye (mean of 36-41), right eye (mean of 42-47), nose tip (30), mouth
// corners (48, 54). "Left" = image left.
std::array<PointF, 5> alignmentFrom68(const std::vector<PointF>& points);

// Rough alignment points from a face box alone (no landmark net).
std::array<PointF, 5> alignmentFromBox(const RectF& box);

// Why 68 landmarks do not look like a face in `box` ("mouth is not below the
// eyes", ...), or empty when they pass.
std::string landmarkSanityProblem(const std::vector<PointF>& points, const RectF& box);

// Inner-lip gap (mean of 61-63 to mean of 65-67) over mouth width (48-54):
// about 0 for a closed mouth, 0.3+ wide open. 0 for fewer than 68 points.
float mouthOpenRatio(const std::vector<PointF>& points);

}  // namespace avatar::detail
