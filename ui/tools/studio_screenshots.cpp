// avatar-studio-screenshots: PNGs of the real main window in its main states
// (empty, loaded with the face overlay, preview, rendering, done, error),
// grabbed with QWidget::grab on any platform (offscreen included).
// Run by scripts/screenshots.sh; writes docs/screenshots/ by default.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <functional>

#include "MainWindow.h"
#include "ModelManagerDialog.h"
#include "PreviewController.h"
#include "PreviewView.h"
#include "RenderQueue.h"
#include "RenderQueueWidget.h"
#include "StudioApp.h"
#include "Theme.h"

namespace {

bool waitFor(const std::function<bool()>& done, int timeoutMs) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > timeoutMs) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
  }
  return true;
}

void settle(int ms = 150) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < ms) QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
}

bool save(QWidget* w, const QString& dir, const QString& name) {
  settle();
  const QString path = QDir(dir).filePath(name);
  const bool ok = w->grab().save(path);
  std::fprintf(stderr, "%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  studio::prepareApplication();
  QApplication app(argc, argv);
  QCommandLineParser cli;
  cli.setApplicationDescription(QStringLiteral("Screenshots of Avatar Studio's main states."));
  cli.addHelpOption();
  cli.addOption({QStringLiteral("out"), QStringLiteral("Output folder."), QStringLiteral("dir"),
                 QStringLiteral("docs/screenshots")});
  cli.addOption(
      {QStringLiteral("photo"), QStringLiteral("Photo of a face."), QStringLiteral("file")});
  cli.addOption({QStringLiteral("audio"), QStringLiteral("Speech."), QStringLiteral("file")});
  cli.addOption({QStringLiteral("theme"), QStringLiteral("system, light or dark."),
                 QStringLiteral("theme"), QStringLiteral("dark")});
  cli.addOption({QStringLiteral("size"), QStringLiteral("Window size WxH."), QStringLiteral("size"),
                 QStringLiteral("1280x800")});
  cli.process(app);
  const QString out = cli.value(QStringLiteral("out"));
  const QString photo = cli.value(QStringLiteral("photo"));
  const QString audio = cli.value(QStringLiteral("audio"));
  if (photo.isEmpty() || audio.isEmpty()) {
    std::fprintf(stderr, "avatar-studio-screenshots: --photo and --audio are required\n");
    return 2;
  }
  QDir().mkpath(out);

  // Settings and scratch files in a throw-away place, not the user's.
  QTemporaryDir scratch;
  QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                     scratch.filePath(QStringLiteral("config")));
  qputenv("XDG_DATA_HOME", scratch.filePath(QStringLiteral("data")).toLocal8Bit());
  studio::configureApplication(cli.value(QStringLiteral("theme")));

  std::shared_ptr<const avatar::Engine> engine;
  if (avatar::Status s = studio::createEngine(&engine); !s) {
    std::fprintf(stderr, "engine: %s\n", s.message().c_str());
    return 1;
  }
  const QStringList wh = cli.value(QStringLiteral("size")).split(QLatin1Char('x'));
  studio::MainWindow w(engine);
  w.setConfirmOnClose(false);
  w.resize(wh.value(0).toInt(), wh.value(1).toInt());
  w.show();
  bool ok = save(&w, out, QStringLiteral("studio-empty.png"));

  bool photoOk = false, audioOk = false, photoDone = false, audioDone = false;
  QObject::connect(&w, &studio::MainWindow::photoFinished, [&](bool v) {
    photoDone = true;
    photoOk = v;
  });
  QObject::connect(&w, &studio::MainWindow::audioFinished, [&](bool v) {
    audioDone = true;
    audioOk = v;
  });
  w.openPhoto(photo);
  w.openAudio(audio);
  auto* preview = w.previewController();
  if (!waitFor([&] { return photoDone && audioDone; }, 30000) || !photoOk || !audioOk ||
      !waitFor([&] { return preview->hasSession() && preview->shownFrame() >= 0; }, 60000)) {
    std::fprintf(stderr, "could not load the inputs: %s\n", qPrintable(w.lastError()));
    return 1;
  }
  w.setShowOriginal(true);
  ok &= save(&w, out, QStringLiteral("studio-loaded.png"));
  w.setShowOriginal(false);
  w.seekTo(1.0);
  waitFor([&] { return !preview->isBusy() && preview->shownFrame() == preview->requestedFrame(); },
          10000);
  ok &= save(&w, out, QStringLiteral("studio-preview.png"));

  w.renderQueueWidget()->setOutputFolder(scratch.filePath(QStringLiteral("videos")));
  QDir().mkpath(scratch.filePath(QStringLiteral("videos")));
  studio::RenderJob* job = w.renderNow();
  bool grabbed = false;
  QObject::connect(job, &studio::RenderJob::changed, [&] {
    if (!grabbed && job->state() == studio::RenderJob::State::Running && job->progress() > 0.3) {
      grabbed = true;
      ok &= save(&w, out, QStringLiteral("studio-rendering.png"));
    }
  });
  if (!waitFor([&] { return job->isFinished(); }, 300000)) return 1;
  if (!grabbed) std::fprintf(stderr, "note: the render finished before a progress screenshot\n");
  ok &= save(&w, out, QStringLiteral("studio-done.png"));

  const QString bad = scratch.filePath(QStringLiteral("holiday.png"));
  QFile f(bad);
  f.open(QIODevice::WriteOnly);
  f.write("this is a text file, not a picture\n");
  f.close();
  photoDone = false;
  w.openPhoto(bad);
  waitFor([&] { return photoDone; }, 10000);
  ok &= save(&w, out, QStringLiteral("studio-error.png"));

  // The same window in the light theme, back on the preview.
  w.setTheme(studio::ThemeMode::Light);
  photoDone = false;
  w.openPhoto(photo);
  waitFor([&] { return photoDone && preview->hasSession() && preview->shownFrame() >= 0; }, 30000);
  ok &= save(&w, out, QStringLiteral("studio-light.png"));
  w.setTheme(studio::ThemeMode::Dark);

  studio::ModelManagerDialog models(engine, &w);
  models.show();
  ok &= save(&models, out, QStringLiteral("studio-models.png"));
  models.close();
  w.close();
  return ok ? 0 : 1;
}
