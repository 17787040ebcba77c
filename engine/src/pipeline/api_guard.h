// No exception crosses the public API: Session::open, setOptions,
// renderFrame, prefetch and renderVideo run their work through guardCall,
// which maps what escapes (std::bad_alloc -> OutOfMemory; cv::Exception,
// c10::Error and any other std::exception -> Internal naming the stage).
#pragma once

#include <new>
#include <string>

#include <opencv2/core.hpp>

#include "avatar/status.h"

namespace avatar::detail {

template <typename F>
Status guardCall(const std::string& call, const std::string& stage, F&& f) {
  const std::string where = stage.empty() ? call : call + " (" + stage + ")";
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return Status::error(ErrorCode::OutOfMemory, where, "out of memory");
  } catch (const cv::Exception& e) {
    return Status::error(ErrorCode::Internal, where, std::string("OpenCV error: ") + e.what());
  } catch (const std::exception& e) {  // c10::Error (LibTorch) derives from std::exception
    return Status::error(ErrorCode::Internal, where, e.what());
  } catch (...) {
    return Status::error(ErrorCode::Internal, where, "unknown exception");
  }
}

}  // namespace avatar::detail
