// bench_studio: how fast the studio answers, measured on the real main window.
//
//   settings change -> new preview frame painted   (goal < 100 ms at 512x512)
//   playhead move   -> new preview frame painted
//   open photo      -> face overlay painted (or the reason it is not shown)
//
// Usage: bench_studio [--photo FACE] [--audio SPEECH] [--runs N]
// Defaults: $AVATAR_TESTDATA/faces/alice.png and audio/hello.wav, else
// demo/astronaut.png and demo/speech.wav. Runs on any Qt platform; use
// QT_QPA_PLATFORM=offscreen without a display.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSettings>
#include <QSlider>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

#include "MainWindow.h"
#include "PreviewController.h"
#include "PreviewView.h"
#include "StudioApp.h"
#include "avatar/log.h"

namespace {

bool waitFor(const std::function<bool()>& done, int timeoutMs) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > timeoutMs) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
  }
  return true;
}

struct Stats {
  double median = 0, p90 = 0, max = 0;
};

Stats stats(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.median = v[v.size() / 2];
  s.p90 = v[std::min(v.size() - 1, size_t(double(v.size()) * 0.9))];
  s.max = v.back();
  return s;
}

void print(const char* what, const std::vector<double>& ms, const char* note = "") {
  const Stats s = stats(ms);
  std::printf("%-44s n=%-3zu median %7.1f ms  p90 %7.1f ms  max %7.1f ms  %s\n", what, ms.size(),
              s.median, s.p90, s.max, note);
}

QString firstExisting(const QStringList& paths) {
  for (const QString& p : paths) {
    if (!p.isEmpty() && QFileInfo::exists(p)) return p;
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) {
  studio::prepareApplication();
  QApplication app(argc, argv);
  QCommandLineParser cli;
  cli.addHelpOption();
  cli.addOption({QStringLiteral("photo"), QStringLiteral("Photo."), QStringLiteral("file")});
  cli.addOption({QStringLiteral("audio"), QStringLiteral("Speech."), QStringLiteral("file")});
  cli.addOption({QStringLiteral("runs"), QStringLiteral("Repetitions."), QStringLiteral("n"),
                 QStringLiteral("30")});
  cli.process(app);
  const QString testdata = qEnvironmentVariable("AVATAR_TESTDATA");
  const QString source = qEnvironmentVariable("AVATAR_SOURCE_DIR", QDir::currentPath());
  const QString photo = firstExisting({cli.value(QStringLiteral("photo")),
                                       testdata + QStringLiteral("/faces/alice.png"),
                                       source + QStringLiteral("/demo/astronaut.png")});
  const QString audio = firstExisting({cli.value(QStringLiteral("audio")),
                                       testdata + QStringLiteral("/audio/hello.wav"),
                                       source + QStringLiteral("/demo/speech.wav")});
  if (photo.isEmpty() || audio.isEmpty()) {
    std::fprintf(stderr, "bench_studio: no photo/audio (give --photo and --audio)\n");
    return 2;
  }
  const int runs = std::max(3, cli.value(QStringLiteral("runs")).toInt());
  QTemporaryDir scratch;
  QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, scratch.path());
  studio::configureApplication(QStringLiteral("dark"));
  avatar::setLogLevel(avatar::LogLevel::Warning);
  std::shared_ptr<const avatar::Engine> engine;
  if (avatar::Status s = studio::createEngine(&engine); !s) {
    std::fprintf(stderr, "engine: %s\n", s.message().c_str());
    return 1;
  }

  studio::MainWindow w(engine);
  w.setConfirmOnClose(false);
  w.resize(1280, 800);
  w.show();
  studio::PreviewView* view = w.previewView();
  studio::PreviewController* preview = w.previewController();
  int painted = -1;
  int paintCount = 0;
  QObject::connect(view, &studio::PreviewView::framePainted, [&](int index) {
    painted = index;
    ++paintCount;
  });
  bool overlay = false;
  QObject::connect(view, &studio::PreviewView::overlayPainted, [&] { overlay = true; });
  bool photoDone = false, audioDone = false;
  QObject::connect(&w, &studio::MainWindow::photoFinished, [&](bool) { photoDone = true; });
  QObject::connect(&w, &studio::MainWindow::audioFinished, [&](bool) { audioDone = true; });

  std::printf("Avatar Studio latency (%s, %s, %d runs, platform %s)\n",
              qPrintable(QFileInfo(photo).fileName()), qPrintable(QFileInfo(audio).fileName()),
              runs, qPrintable(QGuiApplication::platformName()));

  // Open photo -> face overlay (or the reason) on screen.
  std::vector<double> openMs, faceMs;
  QString faceNote;
  for (int i = 0; i < std::min(runs, 10); ++i) {
    photoDone = false;
    overlay = false;
    w.setShowOriginal(true);
    QElapsedTimer t;
    t.start();
    w.openPhoto(photo);
    waitFor([&] { return photoDone; }, 60000);
    if (w.photo().faceStatus.isOk() && !w.photo().faces.empty()) {
      waitFor([&] { return overlay; }, 5000);
    } else {
      view->repaint();
      faceNote = w.photo().faceStatus.isOk()
                     ? QStringLiteral("(no face found: the message is shown)")
                     : QStringLiteral("(face analysis unavailable: %1)")
                           .arg(QString::fromStdString(w.photo().faceStatus.detail()));
    }
    openMs.push_back(double(t.nsecsElapsed()) / 1e6);
    faceMs.push_back(w.photo().faceMs);
  }
  print("open photo -> face overlay shown", openMs, qPrintable(faceNote));
  print("  of which face detection (worker)", faceMs);

  w.setShowOriginal(false);
  w.openAudio(audio);
  if (!waitFor([&] { return audioDone && preview->hasSession() && preview->shownFrame() >= 0; },
               60000)) {
    std::fprintf(stderr, "bench_studio: the preview did not start: %s\n",
                 qPrintable(w.lastError()));
    return 1;
  }
  avatar::RenderOptions o = w.options();
  o.width = 512;
  o.height = 512;
  w.setOptions(o);
  waitFor([&] { return !preview->isBusy(); }, 20000);
  std::printf("preview size %dx%d, lip sync backend \"%s\"\n", preview->info().width,
              preview->info().height, preview->info().lipSyncBackend.c_str());

  auto measure = [&](const std::function<void(int)>& change) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
      waitFor([&] { return !preview->isBusy(); }, 20000);
      const int before = paintCount;
      QElapsedTimer t;
      t.start();
      change(i);
      if (!waitFor([&] { return paintCount > before && !preview->isBusy(); }, 20000)) break;
      ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    return ms;
  };
  auto* gain = w.findChild<QSlider*>(QStringLiteral("slider_mouthGain"));
  print("settings change (mouth gain) -> frame shown", measure([&](int i) {
          // Mouth gain 0.75 / 1.5.
          gain->setValue(i % 2 ? gain->maximum() / 4 : gain->maximum() / 2);
        }));
  print("settings change (background) -> frame shown", measure([&](int i) {
          avatar::RenderOptions x = w.options();
          x.backgroundRgb = i % 2 ? 0x202020 : 0xf0f0f0;
          w.setOptions(x);
        }));
  print("settings change (output size) -> frame shown", measure([&](int i) {
          avatar::RenderOptions x = w.options();
          x.width = x.height = i % 2 ? 512 : 480;
          w.setOptions(x);
        }));
  const int frames = preview->info().frameCount;
  print("playhead move -> frame shown", measure([&](int i) {
          // A different frame each time, half a frame in so rounding never lands on the old one.
          w.seekTo((double((3 + i * 7) % std::max(1, frames)) + 0.5) / preview->info().fps);
        }));
  w.close();
  return 0;
}
