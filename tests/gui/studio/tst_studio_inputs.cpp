// Opening inputs like a user: file actions, drag and drop, bad files.
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QSignalSpy>
#include <QUrl>

#include "ErrorText.h"
#include "MediaAnalysis.h"
#include "PreviewController.h"
#include "PreviewView.h"
#include "StudioTestSupport.h"
#include "WaveformView.h"

using studio::MainWindow;
using studio::PreviewView;

class StudioInputs : public QObject {
  Q_OBJECT

 private:
  // Sends the drag-enter and drop events a window manager would deliver.
  static bool drop(MainWindow& w, const QList<QUrl>& urls) {
    QMimeData mime;
    mime.setUrls(urls);
    const QPoint pos = w.rect().center();
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enter);
    if (!enter.isAccepted()) return false;
    QDropEvent dropEvent(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &dropEvent);
    return dropEvent.isAccepted();
  }

 private Q_SLOTS:
  void openPhotoAndSpeechShowsPreviewAndWaveform() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY2(studiotest::loadInputs(w, photo, audio), qPrintable(w.lastError()));
    const avatar::SessionInfo& info = w.previewController()->info();
    const QImage& frame = w.previewView()->frame();
    QCOMPARE(frame.width(), info.width);
    QCOMPARE(frame.height(), info.height);
    QVERIFY(info.frameCount > 0);
    // hello.wav is 2.5 s: the waveform spans it and the session has 25 fps frames for it.
    QVERIFY(std::abs(w.waveformView()->durationSec() - 2.5) < 0.1);
    QCOMPARE(info.frameCount, int(std::ceil(info.audioDurationSec * info.fps - 1e-6)));
    QVERIFY(w.findChild<QLabel*>(QStringLiteral("photoInfo"))
                ->text()
                .contains(QStringLiteral("alice.png")));
    QCOMPARE(w.findChild<QListWidget*>(QStringLiteral("recentPhotos"))->count(), 1);
  }

  void faceOverlayOrItsReasonIsShown() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    QSignalSpy done(&w, &MainWindow::photoFinished);
    w.openPhoto(photo);
    QVERIFY(done.wait(30000));
    QCOMPARE(done.first().first().toBool(), true);
    const studio::PhotoAnalysis& p = w.photo();
    if (p.faceStatus.isOk()) {
      // alice.png shows one clear face: the overlay draws its box and landmarks.
      QVERIFY(!p.faces.empty());
      QCOMPARE(int(p.faces.front().landmarks68.size()), 68);
      QSignalSpy painted(w.previewView(), &PreviewView::overlayPainted);
      w.setShowOriginal(true);
      QVERIFY(w.previewView()->overlayShown());
      QVERIFY(painted.count() > 0 || painted.wait(5000));
    } else {
      // Face analysis not available in this build: no overlay, and the reason is on screen.
      QVERIFY(!w.previewView()->overlayShown());
      QCOMPARE(w.previewView()->bannerKind(), PreviewView::BannerKind::Warning);
      QVERIFY(
          w.previewView()->bannerText().contains(QString::fromStdString(p.faceStatus.detail())));
    }
  }

  void noFaceGivesAClearMessage() {
    // A photo without a face: a gradient written by the test.
    const QString dir = studiotest::scratchDir(QStringLiteral("inputs"));
    const QString path = dir + QStringLiteral("/gradient.png");
    QImage img(320, 240, QImage::Format_RGB888);
    for (int y = 0; y < img.height(); ++y)
      for (int x = 0; x < img.width(); ++x) img.setPixelColor(x, y, QColor(x % 256, y % 256, 128));
    QVERIFY(img.save(path));
    MainWindow w(studiotest::engine());
    w.show();
    QSignalSpy done(&w, &MainWindow::photoFinished);
    w.openPhoto(path);
    QVERIFY(done.wait(30000));
    QCOMPARE(done.first().first().toBool(), true);
    QVERIFY(!w.previewView()->overlayShown());
    QCOMPARE(w.previewView()->bannerKind(), PreviewView::BannerKind::Warning);
    if (w.photo().faceStatus.isOk()) {
      QVERIFY(w.photo().faces.empty());
      QVERIFY(w.previewView()->bannerText().contains(
          QStringLiteral("No face was found in gradient.png")));
    }
  }

  void dropOpensPhotoAndSpeech() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    QSignalSpy photoDone(&w, &MainWindow::photoFinished);
    QSignalSpy audioDone(&w, &MainWindow::audioFinished);
    QVERIFY(drop(w, {QUrl::fromLocalFile(photo), QUrl::fromLocalFile(audio)}));
    QVERIFY(
        QTest::qWaitFor([&] { return photoDone.count() == 1 && audioDone.count() == 1; }, 30000));
    QCOMPARE(w.photoPath(), photo);
    QCOMPARE(w.audioPath(), audio);
    auto* p = w.previewController();
    QVERIFY(QTest::qWaitFor([&] { return p->hasSession() && p->shownFrame() >= 0; }, 30000));
    // A drop with no local file is refused.
    QMimeData web;
    web.setUrls({QUrl(QStringLiteral("https://example.com/face.png"))});
    QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &web, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(!enter.isAccepted());
  }

  void badFilesShowAnErrorAndTheAppKeepsWorking() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo, audio));
    const QString dir = studiotest::scratchDir(QStringLiteral("inputs"));
    const QString junk = studiotest::writeJunkFile(dir + QStringLiteral("/broken.png"));

    QSignalSpy photoDone(&w, &MainWindow::photoFinished);
    QSignalSpy errors(&w, &MainWindow::errorShown);
    w.openPhoto(junk);
    QVERIFY(photoDone.wait(20000));
    QCOMPARE(photoDone.first().first().toBool(), false);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(w.previewView()->bannerKind(), PreviewView::BannerKind::Error);
    QVERIFY(w.lastError().contains(QStringLiteral("broken.png")));
    QVERIFY(
        w.lastError().contains(studio::ErrorText::headline(avatar::ErrorCode::UnsupportedMedia)));
    QCOMPARE(w.photoPath(), photo);  // the work so far is kept
    QVERIFY(w.previewController()->hasSession());

    // A sound file that does not exist, dropped.
    QSignalSpy audioDone(&w, &MainWindow::audioFinished);
    QVERIFY(drop(w, {QUrl::fromLocalFile(dir + QStringLiteral("/missing.wav"))}));
    QVERIFY(audioDone.wait(20000));
    QCOMPARE(audioDone.first().first().toBool(), false);
    QVERIFY(w.lastError().contains(studio::ErrorText::headline(avatar::ErrorCode::InputNotFound)));
    QCOMPARE(w.audioPath(), audio);

    // A text file as speech.
    audioDone.clear();
    w.openAudio(junk);
    QVERIFY(audioDone.wait(20000));
    QCOMPARE(audioDone.first().first().toBool(), false);

    // And the app still works: another photo opens and previews.
    const QString other = studiotest::testdata(QStringLiteral("faces/people_0.png"));
    if (other.isEmpty()) QSKIP("faces/people_0.png not in AVATAR_TESTDATA");
    photoDone.clear();
    w.openPhoto(other);
    QVERIFY(photoDone.wait(30000));
    QCOMPARE(photoDone.first().first().toBool(), true);
    QCOMPARE(w.photoPath(), other);
    QVERIFY(w.previewView()->bannerKind() != PreviewView::BannerKind::Error);
    QVERIFY(studiotest::waitForSettledPreview(w, 30000));
    QCOMPARE(w.previewView()->frame().size(),
             QSize(w.previewController()->info().width, w.previewController()->info().height));
    QCOMPARE(w.previewController()->info().image.width, 474);
  }

  void renderWithoutInputsSaysWhatIsMissing() {
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY(w.renderNow() == nullptr);
    QVERIFY(w.lastError().contains(QStringLiteral("photo")));
    QVERIFY(!w.action(QStringLiteral("render"))->isEnabled());
  }
};

STUDIO_TEST_MAIN(StudioInputs)
#include "tst_studio_inputs.moc"
