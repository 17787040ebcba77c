// Driver videos: a video of a face whose head pose, eyes, brows (and mouth)
// drive the photo. trackDriverVideo follows the face through the video with
// the face-api nets (68 landmarks per frame) and measures each frame; the
// built-in motion retargets the measures onto the photo's rig, FOMM animates
// from the same frames. Front-ends use the track to draw the tracked face
// over the driver while it plays.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "avatar/engine.h"
#include "avatar/image.h"
#include "avatar/options.h"
#include "avatar/progress.h"
#include "avatar/status.h"

namespace avatar {

// What the 68 landmarks of one face say about its pose and expression.
struct FaceMeasures {
  float yawDeg = 0;    // + turned to the viewer's right (nose towards image right)
  float pitchDeg = 0;  // + nodding down; includes a constant offset: compare frames
  float rollDeg = 0;   // + tilted clockwise (the eye line)
  PointF center;       // mean of the outline's ends, nose bridge and base (0, 16, 27, 33), px
  float size = 0;  // about the face's height (px) from eye distance + nose length: the jaw does not
                   // change it
  float eyeOpen[2] = {0, 0};  // lid gap / eye width, image-left eye first
  float browHeight = 0;       // brows above the eyes, in face heights
  float mouthOpen = 0;        // inner-lip gap / mouth width
  float mouthWidth = 0;       // corner to corner, in face heights
};

// All zero for fewer than 68 points.
FaceMeasures measureFace(const std::vector<PointF>& landmarks68);

struct DriverFrame {
  bool face = false;                // tracked on this frame; false: measures held
  RectF box;                        // the tracked face (px of the tracked frame)
  std::vector<PointF> landmarks68;  // empty when !face
  FaceMeasures measures;            // smoothed over time; held from a neighbour when !face
  // Eye closure, 0 open .. 1 closed, from the eyes' pixels: the landmark
  // net hardly moves its lid points when an eye closes, but the tall dark
  // iris in the middle of the eye gives way to a thin lash line.
  float blink = 0;
};

struct DriverTrack {
  std::string path;
  double fps = 25;            // frames are resampled to this rate
  int width = 0, height = 0;  // the tracked frames: upright, scaled to maxSide
  int sourceWidth = 0, sourceHeight = 0, rotation = 0;
  std::vector<DriverFrame> frames;
  int firstFaceFrame = 0;          // the first frame with a face
  int facelessFrames = 0;          // frames without a face (pose held)
  int mostFaces = 0;               // most faces the detector saw on one frame
  bool complete = true;            // false: cut at maxFrames before the video's end
  std::vector<std::string> notes;  // for the render's notes
};

struct DriverTrackOptions {
  double fps = 25;
  int maxSide = 960;  // frames are scaled down to this longer side before tracking
  int maxFrames = 0;  // track only the first N frames (the speech's); 0 = all
  // Called for every tracked frame (on the tracking thread), e.g. to keep
  // thumbnails for playback.
  std::function<void(int frame, const Image& rgb, const DriverFrame& tracked)> onFrame;
};

// Errors name the file: UnsupportedMedia (not a video, no video stream,
// nothing decodes), NoFaceDetected (no frame shows a face), ModelMissing
// (no face-api nets), Cancelled. Frames without a face hold the last pose
// and are counted, never an error. Memory: the landmarks, not the frames.
// The Engine keeps the last 4 tracks (by file version, fps and maxSide): a
// second call without onFrame returns the same track without decoding (cut
// to maxFrames when it asks for fewer).
Status trackDriverVideo(const Engine& engine, const std::string& path,
                        const DriverTrackOptions& options, DriverTrack* out,
                        ProgressSink* progress = nullptr, const StopToken* stop = nullptr);

// The driver frame shown at output frame `outputFrame` when the driver has
// `driverFrames` frames: a shorter driver loops as `loop` says, a longer one
// is trimmed.
int driverFrameAt(int outputFrame, int driverFrames, DriverLoop loop);

// The driver frame whose face matches `photoLandmarks` best (landmarks
// normalised for position, scale and roll), or track.firstFaceFrame.
int bestDriverFrame(const DriverTrack& track, const std::vector<PointF>& photoLandmarks);

}  // namespace avatar
