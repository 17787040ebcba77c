// Shared helpers for the studio's GUI tests: inputs from AVATAR_TESTDATA (the
// tests skip when it is absent), generated speech, isolated settings, and a
// loaded main window.
#pragma once

#include <QApplication>
#include <QString>
#include <QTest>
#include <memory>

#include "MainWindow.h"
#include "StudioApp.h"
#include "avatar/engine.h"

namespace studiotest {

// Before QApplication: resources, DPI policy. After: settings in a scratch
// folder (never the user's), the light theme.
void initApplication();

// $AVATAR_TESTDATA/<rel>, or an empty string when it does not exist.
QString testdata(const QString& rel);
// A scratch folder for this test binary (under AVATAR_TEST_TMP).
QString scratchDir(const QString& name);
// A speech-like WAV (voiced syllables with pauses), 16-bit mono.
bool writeSpeechLikeWav(const QString& path, double seconds, int sampleRate = 16000);
// A file that is not media at all.
QString writeJunkFile(const QString& path);

std::shared_ptr<const avatar::Engine> engine();

// Opens photo and audio through the window and waits for the first frame.
bool loadInputs(studio::MainWindow& w, const QString& photo, const QString& audio,
                int timeoutMs = 60000);
// The time of the loudest moment of the loaded speech (mouth open there).
double loudestSec(const studio::MainWindow& w);
// Waits until the preview shows the frame it was last asked for.
bool waitForSettledPreview(studio::MainWindow& w, int timeoutMs = 20000);

}  // namespace studiotest

#define STUDIO_TEST_MAIN(TestClass)       \
  int main(int argc, char** argv) {       \
    studio::prepareApplication();         \
    QApplication app(argc, argv);         \
    studiotest::initApplication();        \
    TestClass tc;                         \
    return QTest::qExec(&tc, argc, argv); \
  }

#define STUDIO_REQUIRE_INPUTS(photo, audio)                                      \
  const QString photo = studiotest::testdata(QStringLiteral("faces/alice.png")); \
  const QString audio = studiotest::testdata(QStringLiteral("audio/hello.wav")); \
  if (photo.isEmpty() || audio.isEmpty())                                        \
    QSKIP("AVATAR_TESTDATA (faces/alice.png, audio/hello.wav) is not available");
