#include "StudioTestSupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QtEndian>
#include <algorithm>
#include <cmath>

#include "PreviewController.h"

namespace studiotest {

void initApplication() {
  const QString root =
      scratchDir(QStringLiteral("settings-") + QCoreApplication::applicationName());
  QDir(root).removeRecursively();
  QDir().mkpath(root);
  QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                     root + QStringLiteral("/config"));
  qputenv("XDG_DATA_HOME", (root + QStringLiteral("/data")).toLocal8Bit());
  QStandardPaths::setTestModeEnabled(true);
  studio::configureApplication(QStringLiteral("light"));
}

QString testdata(const QString& rel) {
  const QString root = qEnvironmentVariable("AVATAR_TESTDATA");
  if (root.isEmpty()) return {};
  const QString path = QDir(root).filePath(rel);
  return QFileInfo::exists(path) ? path : QString();
}

QString scratchDir(const QString& name) {
  QString root = qEnvironmentVariable("AVATAR_TEST_TMP");
  if (root.isEmpty()) root = QDir::tempPath();
  const QString dir = QDir(root).filePath(QStringLiteral("studio/") + name);
  QDir().mkpath(dir);
  return dir;
}

bool writeSpeechLikeWav(const QString& path, double seconds, int sampleRate) {
  const qint64 n = qint64(seconds * sampleRate);
  QByteArray data(int(n * 2), Qt::Uninitialized);
  auto* out = reinterpret_cast<uchar*>(data.data());
  for (qint64 i = 0; i < n; ++i) {
    const double t = double(i) / sampleRate;
    // 4 syllables a second with a pause every second; a 130 Hz voice with harmonics.
    const double syllable = std::max(0.0, std::sin(M_PI * 4 * t));
    const double voiced = std::fmod(t, 1.0) < 0.8 ? syllable : 0.0;
    const double f0 = 130 + 20 * std::sin(2 * M_PI * 0.5 * t);
    double s = 0;
    for (int h = 1; h <= 6; ++h) s += std::sin(2 * M_PI * f0 * h * t) / h;
    const auto v = qint16(std::lround(std::clamp(0.3 * voiced * s, -1.0, 1.0) * 32000));
    qToLittleEndian(v, out + 2 * i);
  }
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return false;
  auto u32 = [&](quint32 v) {
    uchar b[4];
    qToLittleEndian(v, b);
    f.write(reinterpret_cast<const char*>(b), 4);
  };
  auto u16 = [&](quint16 v) {
    uchar b[2];
    qToLittleEndian(v, b);
    f.write(reinterpret_cast<const char*>(b), 2);
  };
  f.write("RIFF", 4);
  u32(quint32(36 + data.size()));
  f.write("WAVEfmt ", 8);
  u32(16);
  u16(1);
  u16(1);
  u32(quint32(sampleRate));
  u32(quint32(sampleRate * 2));
  u16(2);
  u16(16);
  f.write("data", 4);
  u32(quint32(data.size()));
  f.write(data);
  return f.error() == QFile::NoError;
}

QString writeJunkFile(const QString& path) {
  QFile f(path);
  if (f.open(QIODevice::WriteOnly)) f.write("this is a text file, not a picture or a sound\n");
  return path;
}

std::shared_ptr<const avatar::Engine> engine() {
  static std::shared_ptr<const avatar::Engine> e = [] {
    std::shared_ptr<const avatar::Engine> out;
    const avatar::Status s = studio::createEngine(&out);
    if (!s) qFatal("engine: %s", s.message().c_str());
    return out;
  }();
  return e;
}

bool loadInputs(studio::MainWindow& w, const QString& photo, const QString& audio, int timeoutMs) {
  bool photoOk = false, audioOk = false, photoDone = false, audioDone = false;
  auto c1 = QObject::connect(&w, &studio::MainWindow::photoFinished, [&](bool ok) {
    photoDone = true;
    photoOk = ok;
  });
  auto c2 = QObject::connect(&w, &studio::MainWindow::audioFinished, [&](bool ok) {
    audioDone = true;
    audioOk = ok;
  });
  w.openPhoto(photo);
  w.openAudio(audio);
  const bool done = QTest::qWaitFor([&] { return photoDone && audioDone; }, timeoutMs);
  QObject::disconnect(c1);
  QObject::disconnect(c2);
  if (!done || !photoOk || !audioOk) return false;
  auto* p = w.previewController();
  return QTest::qWaitFor([&] { return p->hasSession() && p->shownFrame() >= 0; }, timeoutMs);
}

double loudestSec(const studio::MainWindow& w) {
  const auto& rms = w.audio().rms;
  const auto it = std::max_element(rms.begin(), rms.end());
  if (it == rms.end()) return 0;
  return double(it - rms.begin()) / studio::AudioAnalysis::kBucketsPerSecond;
}

bool waitForSettledPreview(studio::MainWindow& w, int timeoutMs) {
  auto* p = w.previewController();
  return QTest::qWaitFor(
      [&] { return p->hasSession() && !p->isBusy() && p->shownFrame() == p->requestedFrame(); },
      timeoutMs);
}

}  // namespace studiotest
