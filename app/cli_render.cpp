// avatar-renderer render: one video from a photo and speech.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "avatar/engine.h"
#include "avatar/log.h"
#include "avatar/options_json.h"
#include "avatar/session.h"
#include "avatar/visemes.h"
#include "cli_args.h"
#include "cli_common.h"
#include "commands.h"
#include "exit_codes.h"
#include "progress_printer.h"

namespace app {
namespace {

avatar::StopToken* gStop = nullptr;

void onSignal(int) {
  if (gStop) gStop->requestStop();
}

// INT/TERM (Ctrl-C, kill), HUP (terminal closed) and PIPE (whoever reads
// stderr went away, e.g. `| head`) all stop the render the same way: the
// partial output is removed and the exit code is 130. With PIPE handled,
// writes to a closed pipe fail with EPIPE instead of killing the process.
constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

void handleStopSignals(bool install) {
  struct sigaction sa {};
  sa.sa_handler = install ? onSignal : SIG_DFL;
  sigemptyset(&sa.sa_mask);
  for (int sig : kStopSignals) {
    // SIGPIPE goes back to "ignored", not to "kill", once the render is over:
    // the final report must not kill the process that is reporting.
    if (!install && sig == SIGPIPE) sa.sa_handler = SIG_IGN;
    sigaction(sig, &sa, nullptr);
  }
}

std::string kebab(const std::string& camel) {
  std::string out;
  for (char c : camel) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      out += '-';
      out += char(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

// Path flags and the request field each sets. Paths are bytes (a Latin-1
// file name is legal on Linux) and JSON strings are UTF-8, so these go
// straight into the request, never through JSON.
using PathField = std::string avatar::RenderRequest::*;
const std::map<std::string, PathField>& pathFlags() {
  static const std::map<std::string, PathField> m = {
      {"image", &avatar::RenderRequest::imagePath},
      {"audio", &avatar::RenderRequest::audioPath},
      {"output", &avatar::RenderRequest::outputPath},
      {"driver-video", &avatar::RenderRequest::driverVideoPath},
      {"visemes", &avatar::RenderRequest::visemeTrackPath},
  };
  return m;
}

void addFlags(ArgParser& p) {
  p.add({"image", "i", true, "FILE", "Photo of a face (png, jpg, webp, bmp, tiff)."});
  p.add({"audio", "a", true, "FILE", "Speech (wav, mp3, ogg, flac, m4a, or a video's audio)."});
  p.add({"output", "o", true, "FILE", "Video to write (.mp4)."});
  p.add({"options", "", true, "FILE.json", "Preset: render options as JSON (flags override it)."});
  p.add({"size", "", true, "WxH", "Output size, e.g. 512x512 (default: from the photo)."});
  p.add({"still", "", false, "", "Same as --head-motion still."});
  p.add({"driver-video", "", true, "FILE",
         "Video of a face that drives head, eyes, brows (mouth: --driver-mouth)."});
  p.add({"visemes", "", true, "FILE", "Viseme track: Rhubarb JSON/TSV, TextGrid, seed JSON."});
  p.add({"export-visemes", "", true, "FILE",
         "Write the viseme track used (.json Rhubarb JSON, .tsv)."});
  for (const auto& f : avatar::renderFieldInfo()) {
    if (f.requestField) continue;
    std::string help = f.description;
    if (!f.choices.empty()) {
      help += " (";
      for (size_t i = 0; i < f.choices.size(); ++i) help += (i ? "|" : "") + f.choices[i];
      help += ")";
    }
    help += " Default " + f.defaultJson + ".";
    const std::string valueName = f.type == "integer" ? "N" : f.type == "number" ? "X" : "VALUE";
    p.add({kebab(f.name), "", true, valueName, help});
  }
  addCommonFlags(p);
  p.add(
      {"print-options", "", false, "", "Print the effective request as JSON on stdout and exit."});
  p.add({"progress", "", true, "MODE", "auto|bar|json|none (default auto: bar on a terminal)."});
}

// Turns command-line flags into a JSON object in the request schema.
bool flagsToJson(const ArgParser& p, nlohmann::json* out, std::string* error) {
  std::map<std::string, const avatar::RenderFieldInfo*> byFlag;
  static const auto fields = avatar::renderFieldInfo();
  for (const auto& f : fields) byFlag[kebab(f.name)] = &f;
  for (const auto& [flag, value] : p.ordered()) {
    if (pathFlags().count(flag)) continue;  // see applyPathFlags

    if (flag == "still") {
      (*out)["headMotion"] = "still";
      continue;
    }
    if (flag == "size") {
      int w = 0, h = 0;
      char x = 0;
      std::istringstream in(value);
      if (!(in >> w >> x >> h) || (x != 'x' && x != 'X') || !in.eof()) {
        *error = "--size: expected WIDTHxHEIGHT such as 512x512, got \"" + value + "\"";
        return false;
      }
      (*out)["width"] = w;
      (*out)["height"] = h;
      continue;
    }
    const auto it = byFlag.find(flag);
    if (it == byFlag.end() || it->second->requestField) continue;
    const auto& f = *it->second;
    try {
      size_t used = 0;
      if (f.type == "integer") {
        const long long v = std::stoll(value, &used);
        if (used != value.size()) throw std::invalid_argument("trailing text");
        (*out)[f.name] = v;
      } else if (f.type == "number") {
        const double v = std::stod(value, &used);
        if (used != value.size()) throw std::invalid_argument("trailing text");
        (*out)[f.name] = v;
      } else {
        (*out)[f.name] = value;
      }
    } catch (const std::exception&) {
      *error = "--" + flag + ": expected " + (f.type == "integer" ? "an integer" : "a number") +
               ", got \"" + value + "\"";
      return false;
    }
  }
  return true;
}

void applyPathFlags(const ArgParser& p, avatar::RenderRequest* request) {
  for (const auto& [flag, value] : p.ordered()) {
    if (const auto it = pathFlags().find(flag); it != pathFlags().end()) {
      request->*(it->second) = value;
    }
  }
}

ProgressMode progressMode(const ArgParser& p, bool* ok) {
  *ok = true;
  const std::string mode = p.value("progress").value_or("auto");
  if (mode == "json") return ProgressMode::Json;
  if (mode == "none" || p.has("quiet")) return ProgressMode::None;
  if (mode == "bar") return ProgressMode::Bar;
  if (mode == "auto") return ::isatty(STDERR_FILENO) ? ProgressMode::Bar : ProgressMode::None;
  *ok = false;
  return ProgressMode::None;
}

// Analyses (first 10% of the bar), exports the viseme track if asked, then
// renders (the rest). Output problems are refused before any analysis.
avatar::Status renderWithSession(std::shared_ptr<const avatar::Engine> engine,
                                 const avatar::RenderRequest& request,
                                 const std::optional<std::string>& visemesOut,
                                 ProgressPrinter& printer, const avatar::StopToken& stop) {
  if (avatar::Status s = avatar::checkRenderOutput(request); !s) return s;
  if (visemesOut && *visemesOut == request.outputPath) {
    return avatar::Status::error(avatar::ErrorCode::OutputSameAsInput, *visemesOut,
                                 "--export-visemes and --output name the same file");
  }
  std::unique_ptr<avatar::Session> session;
  avatar::ProgressRange analysing(&printer, 0.0, 0.1);
  if (avatar::Status s = avatar::Session::open(engine, request, &session, &analysing, &stop); !s) {
    return s;
  }
  if (visemesOut) {
    if (avatar::Status s = avatar::saveVisemeTrack(*visemesOut, avatar::VisemeFormat::Auto,
                                                   session->visemes(), request.audioPath);
        !s) {
      return s;
    }
  }
  avatar::ProgressRange rendering(&printer, 0.1, 1.0);
  avatar::RenderResult result;
  if (avatar::Status s = session->renderVideo(&result, &rendering, &stop); !s) return s;
  printer.success(result);
  return avatar::Status::ok();
}

}  // namespace

int runRender(int argc, char** argv) {
  ArgParser p;
  addFlags(p);
  std::string error;
  if (!p.parse(argc, argv, 2, &error)) return usageError("render", error);
  if (p.has("help")) {
    std::printf(
        "Usage: avatar-renderer render --image FACE --audio SPEECH -o OUT.mp4 [options]\n\n"
        "Renders a talking-head video. Progress and errors go to stderr.\n\nOptions:\n%s\n"
        "Exit codes: see `avatar-renderer --help`.\n",
        p.helpText().c_str());
    return kExitOk;
  }
  if (!p.positional().empty()) {
    return usageError("render", "unexpected argument \"" + p.positional()[0] + "\"");
  }
  bool modeOk = true;
  const ProgressMode mode = progressMode(p, &modeOk);
  if (!modeOk) return usageError("render", "--progress must be auto, bar, json or none");
  ProgressPrinter printer(mode);
  printer.installLogSink();
  if (int rc = applyCommonFlags(p); rc != kExitOk) return rc;

  avatar::RenderRequest request;
  if (auto presetPath = p.value("options")) {
    std::string text;
    if (avatar::Status s = readTextFile(*presetPath, "options preset", &text); !s) {
      return reportFailure(printer, s);
    }
    if (avatar::Status s = avatar::mergeRenderOptions(text, &request.options); !s) {
      s.addContext("preset " + *presetPath);
      return reportFailure(printer, s);
    }
  }
  nlohmann::json flags = nlohmann::json::object();
  if (!flagsToJson(p, &flags, &error)) return usageError("render", error);
  // Replace: a non-UTF-8 enum value becomes U+FFFD and fails validation
  // with a message, instead of an exception.
  if (avatar::Status s = avatar::mergeRenderRequest(
          flags.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), &request);
      !s) {
    return reportFailure(printer, s);
  }
  applyPathFlags(p, &request);
  if (p.has("print-options")) {
    std::printf("%s\n", avatar::renderRequestToJson(request).c_str());
    return kExitOk;
  }
  if (request.imagePath.empty()) return usageError("render", "--image is required");
  if (request.audioPath.empty()) return usageError("render", "--audio is required");
  if (request.outputPath.empty()) return usageError("render", "--output (-o) is required");

  std::shared_ptr<const avatar::Engine> engine;
  if (avatar::Status s = avatar::Engine::create(engineConfigFrom(p, request.options), &engine);
      !s) {
    return reportFailure(printer, s);
  }
  avatar::StopToken stop;
  gStop = &stop;
  handleStopSignals(true);
  printer.start(request);
  const avatar::Status s =
      renderWithSession(engine, request, p.value("export-visemes"), printer, stop);
  handleStopSignals(false);
  gStop = nullptr;
  if (!s) return reportFailure(printer, s);
  return kExitOk;
}

}  // namespace app
