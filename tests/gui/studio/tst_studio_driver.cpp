// The driver video in the studio: chosen (the path a drop, the file dialog
// and the recent list all take), tracked off the GUI thread, played beside
// the preview in step with the playhead (driverFrameAt with the loop mode)
// with the tracked face drawn over it, driving the preview's pose and the
// renders; bad files give an error naming them; clearing restores the
// photo's own motion.
#include <QComboBox>
#include <QDir>
#include <QDropEvent>
#include <QFileInfo>
#include <QListWidget>
#include <QMimeData>
#include <QSignalSpy>
#include <QSlider>
#include <cmath>

#include "DriverTracker.h"
#include "DriverView.h"
#include "PreviewController.h"
#include "PreviewView.h"
#include "RenderJob.h"
#include "RenderQueue.h"
#include "StudioTestSupport.h"
#include "Theme.h"
#include "avatar/driver.h"
#include "avatar/session.h"

using studio::MainWindow;

namespace {

// Mean absolute difference of two same-size images (0..255).
double meanDiff(const QImage& a, const QImage& b) {
  const QImage x = a.convertToFormat(QImage::Format_RGB888);
  const QImage y = b.convertToFormat(QImage::Format_RGB888);
  if (x.size() != y.size() || x.isNull()) return -1;
  double sum = 0;
  for (int r = 0; r < x.height(); ++r) {
    const uchar* p = x.constScanLine(r);
    const uchar* q = y.constScanLine(r);
    for (int i = 0; i < x.width() * 3; ++i) sum += std::abs(int(p[i]) - int(q[i]));
  }
  return sum / (double(x.width()) * x.height() * 3);
}

// Pixels of `image` within 40 (sum of channel differences) of `c`.
int pixelsNear(const QImage& image, const QColor& c) {
  const QImage x = image.convertToFormat(QImage::Format_RGB888);
  int n = 0;
  for (int r = 0; r < x.height(); ++r) {
    const uchar* p = x.constScanLine(r);
    for (int i = 0; i < x.width(); ++i, p += 3) {
      if (std::abs(p[0] - c.red()) + std::abs(p[1] - c.green()) + std::abs(p[2] - c.blue()) < 40) {
        ++n;
      }
    }
  }
  return n;
}

}  // namespace

class StudioDriver : public QObject {
  Q_OBJECT

  QString photo_, audio_, driver_;

  bool waitForDriver(MainWindow& w, bool* ok) {
    QSignalSpy spy(&w, &MainWindow::driverFinished);
    if (!spy.wait(180000)) return false;
    *ok = spy.first().first().toBool();
    return true;
  }
  // Moves the playhead to `frame` and waits for the preview to show it.
  static bool showFrame(MainWindow& w, int frame) {
    w.playheadSlider()->setValue(frame);
    return studiotest::waitForSettledPreview(w, 60000) && w.previewView()->frameIndex() == frame;
  }
  // Picks `value` in the settings' combo box of `field`, as the user does.
  static bool pick(MainWindow& w, const char* field, const char* value) {
    auto* combo = w.findChild<QComboBox*>(QStringLiteral("field_") + QLatin1String(field));
    const int i = combo ? combo->findData(QString::fromLatin1(value)) : -1;
    if (i < 0) return false;
    combo->setCurrentIndex(i);  // emits optionsChanged
    return true;
  }
  // A file dropped onto the driver view, as from a file manager.
  static void dropOnDriverView(MainWindow& w, const QString& path) {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QWidget* view = w.driverView();
    const QPoint at = view->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view, &enter);
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(view, &drop);
  }

 private Q_SLOTS:
  void initTestCase() {
    photo_ = studiotest::testdata(QStringLiteral("faces/alice.png"));
    audio_ = studiotest::testdata(QStringLiteral("audio/hello.wav"));
    const QString actor = studiotest::testdata(QStringLiteral("faces/happy.png"));
    if (photo_.isEmpty() || audio_.isEmpty() || actor.isEmpty())
      QSKIP("AVATAR_TESTDATA (faces/alice.png, faces/happy.png, audio/hello.wav) is not available");
    const std::string landmarks =
        studiotest::engine()->modelsDir() + "/face-api/face_landmark_68_model.bin";
    if (!QFileInfo::exists(QString::fromStdString(landmarks)))
      QSKIP("face-api models absent (scripts/setup.sh --models)");
    // The driver: another face turning its head (motion scale 3) for 1.2 s,
    // shorter than the 2.5 s of speech, so the loop mode matters.
    const QString dir = studiotest::scratchDir(QStringLiteral("driver"));
    const QString speech = dir + QStringLiteral("/driver-speech.wav");
    QVERIFY(studiotest::writeSpeechLikeWav(speech, 1.2));
    driver_ = dir + QStringLiteral("/driver.mp4");
    avatar::RenderRequest r;
    r.imagePath = actor.toStdString();
    r.audioPath = speech.toStdString();
    r.outputPath = driver_.toStdString();
    r.options.motionScale = 3;
    r.options.width = r.options.height = 256;
    avatar::RenderResult result;
    const avatar::Status s = avatar::renderVideo(studiotest::engine(), r, &result);
    QVERIFY2(s.isOk(), s.message().c_str());
  }

  void driverPlaysBesideThePreviewAndDrivesIt() {
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo_, audio_));
    auto* preview = w.previewController();
    const int outputFrames = preview->info().frameCount;
    QVERIFY(showFrame(w, 20));
    const QImage noDriver20 = w.previewView()->frame();
    QCOMPARE(w.driverView()->shownFrame(), -1);

    // Set the driver as a drop or the file dialog does; tracking runs off the GUI thread.
    w.setDriverVideo(driver_);
    QVERIFY(w.driverTracker()->isTracking());
    QVERIFY(w.driverView()->message().contains(QStringLiteral("Tracking")));
    QVERIFY(w.driverPath().isEmpty());  // not used until tracked
    bool ok = false;
    QVERIFY(waitForDriver(w, &ok));
    QVERIFY2(ok, qPrintable(w.lastError()));
    QCOMPARE(w.driverPath(), driver_);
    auto* recent = w.findChild<QListWidget*>(QStringLiteral("recentDrivers"));
    QVERIFY(recent && recent->count() > 0);
    QCOMPARE(recent->item(0)->data(Qt::UserRole).toString(), QFileInfo(driver_).absoluteFilePath());
    QVERIFY(QTest::qWaitFor([&] { return preview->hasSession(); }, 180000));
    QVERIFY(studiotest::waitForSettledPreview(w, 60000));
    const avatar::DriverTrack* track = w.driverTracker()->result();
    QVERIFY(track);
    const int n = int(track->frames.size());
    QVERIFY2(n > 0 && n < outputFrames, qPrintable(QStringLiteral("%1 driver frames").arg(n)));

    // The driver view shows the frame the playhead maps to, with the tracked face.
    for (int frame : {5, n - 3}) {
      QVERIFY(showFrame(w, frame));
      const int expected = avatar::driverFrameAt(frame, n, avatar::DriverLoop::PingPong);
      QCOMPARE(w.driverView()->shownFrame(), expected);
      QVERIFY(!w.driverView()->thumbnail().isNull());
      QVERIFY(w.driverView()->thumbnail().width() <= studio::DriverTracker::kThumbnailSide);
      QCOMPARE(w.driverView()->faceDrawn(), track->frames[size_t(expected)].face);
      if (track->frames[size_t(expected)].face) QCOMPARE(w.driverView()->landmarksDrawn(), 68);
    }
    QVERIFY(w.driverView()->faceDrawn());  // the actor's face is tracked

    // Past the driver's end: ping-pong plays it backwards, loop from the start.
    const int past = std::min(outputFrames - 1, n + n / 4);  // far apart in the two modes
    QVERIFY(showFrame(w, past));
    const int pingpong = avatar::driverFrameAt(past, n, avatar::DriverLoop::PingPong);
    const int loop = avatar::driverFrameAt(past, n, avatar::DriverLoop::Loop);
    QVERIFY(pingpong != loop);
    QCOMPARE(w.driverView()->shownFrame(), pingpong);
    const QImage pingpongFrame = w.previewView()->frame();
    QVERIFY(pick(w, "driverLoop", "loop"));
    QCOMPARE(w.options().driverLoop, avatar::DriverLoop::Loop);
    QCOMPARE(w.driverView()->shownFrame(), loop);
    // The preview follows: the pose of driver frame `loop`, not `pingpong`.
    QVERIFY(QTest::qWaitFor([&] { return meanDiff(pingpongFrame, w.previewView()->frame()) > 0.5; },
                            60000));
    QVERIFY(pick(w, "driverLoop", "pingpong"));
    QCOMPARE(w.driverView()->shownFrame(), pingpong);
    QVERIFY(studiotest::waitForSettledPreview(w, 60000));

    // The frame where the driver's head is turned furthest from its reference.
    const float refYaw = track->frames[size_t(track->firstFaceFrame)].measures.yawDeg;
    int turned = 0;
    float most = -1;
    for (int f = 0; f < n; ++f) {
      const float yaw = std::abs(track->frames[size_t(f)].measures.yawDeg - refYaw);
      if (yaw > most) most = yaw, turned = f;
    }
    qInfo("driver: %d frames, head turned %.1f degrees at frame %d", n, double(most), turned);
    QVERIFY(showFrame(w, turned));
    const QImage driven = w.previewView()->frame();
    QCOMPARE(w.driverView()->shownFrame(), turned);

    // driverMouth video: the mouth follows the driver's instead of the speech.
    QVERIFY(pick(w, "driverMouth", "video"));
    QVERIFY(
        QTest::qWaitFor([&] { return meanDiff(driven, w.previewView()->frame()) > 0.1; }, 60000));
    QVERIFY(pick(w, "driverMouth", "audio"));
    QVERIFY(
        QTest::qWaitFor([&] { return meanDiff(driven, w.previewView()->frame()) == 0.0; }, 60000));

    // The render queue renders with the driver.
    const QString out = studiotest::scratchDir(QStringLiteral("driver")) + "/driven.mp4";
    QFile::remove(out);
    studio::RenderJob* job = w.renderTo(out);
    QVERIFY(job);
    QCOMPARE(QString::fromStdString(job->request().driverVideoPath), driver_);
    w.renderQueue()->cancelAll();
    w.renderQueue()->waitForIdle();

    // Clearing restores the no-driver state: the photo's own motion.
    w.clearDriverVideo();
    QVERIFY(w.driverPath().isEmpty());
    QVERIFY(!w.driverTracker()->result());
    QCOMPARE(w.driverView()->shownFrame(), -1);
    QVERIFY(!w.driverView()->showsError());
    QVERIFY(QTest::qWaitFor([&] { return preview->hasSession(); }, 180000));
    QVERIFY(showFrame(w, turned));
    const double diff = meanDiff(driven, w.previewView()->frame());
    qInfo("preview at frame %d: mean difference %.2f with the driver vs without", turned, diff);
    QVERIFY2(diff > 1.0, qPrintable(QString::number(diff)));
    QVERIFY(showFrame(w, 20));
    QCOMPARE(meanDiff(noDriver20, w.previewView()->frame()), 0.0);
    studio::RenderJob* plain = w.renderTo(out);
    QVERIFY(plain);
    QVERIFY(plain->request().driverVideoPath.empty());
    w.renderQueue()->cancelAll();
    w.renderQueue()->waitForIdle();
  }

  // What the driver view paints: the tracked face over the frame, or "No face".
  void driverViewDrawsTheFaceOrNoFace() {
    studio::DriverView view;
    view.resize(300, 300);
    view.show();
    QImage grey(240, 240, QImage::Format_RGB888);
    grey.fill(QColor(128, 128, 128));
    avatar::DriverFrame tracked;
    tracked.face = true;
    tracked.box = {120, 120, 240, 240};  // tracked-frame pixels, twice the thumbnail's
    for (int i = 0; i < 68; ++i) {
      tracked.landmarks68.push_back({float(140 + 3 * i), float(180 + 2 * (i % 17) * 5)});
    }
    view.setFrame(grey, tracked, 0.5, 3, 30);
    QCOMPARE(view.shownFrame(), 3);
    QVERIFY(view.faceDrawn());
    QCOMPARE(view.landmarksDrawn(), 68);
    const QImage withFace = view.grab().toImage();
    const QColor red(0xc9, 0x3c, 0x3c);
    QVERIFY(pixelsNear(withFace, studio::overlayColor()) > 100);
    QCOMPARE(pixelsNear(withFace, red), 0);

    avatar::DriverFrame lost;  // no face on this frame: the pose is held
    lost.measures = tracked.measures;
    view.setFrame(grey, lost, 0.5, 4, 30);
    QVERIFY(view.noFaceShown());
    const QImage noFace = view.grab().toImage();
    QCOMPARE(pixelsNear(noFace, studio::overlayColor()), 0);
    QVERIFY(pixelsNear(noFace, red) > 50);  // the "No face" chip
  }

  // A driver too long for the thumbnail budget keeps every 2nd, 4th, ...
  // frame; every frame still has a picture (the kept one before it).
  void longDriverKeepsFewerThumbnails() {
    studio::DriverTracker full(studiotest::engine());
    studio::DriverTracker tight(studiotest::engine());
    for (auto* t : {&full, &tight}) {
      QSignalSpy done(t, &studio::DriverTracker::finished);
      if (t == &tight) t->setThumbnailBudget(40 * 1024);
      t->track(driver_, 25);
      QVERIFY(done.wait(180000));
      const auto status = done.first().first().value<avatar::Status>();
      QVERIFY2(status.isOk(), status.message().c_str());
    }
    QCOMPARE(full.thumbnailStride(), 1);
    QVERIFY(tight.thumbnailStride() > 1);
    const int n = int(tight.result()->frames.size());
    QCOMPARE(n, int(full.result()->frames.size()));
    const int stride = tight.thumbnailStride();
    for (int f = 0; f < n; ++f) {
      QVERIFY(!full.thumbnail(f).isNull());
      QCOMPARE(tight.thumbnail(f), tight.thumbnail(f - f % stride));
      QCOMPARE(tight.thumbnail(f), full.thumbnail(f - f % stride));
    }
    QVERIFY(tight.thumbnail(n).isNull());
  }

  void badDriverShowsAnErrorNamingIt() {
    MainWindow w(studiotest::engine());
    w.show();
    const QString junk = studiotest::writeJunkFile(
        studiotest::scratchDir(QStringLiteral("driver")) + QStringLiteral("/not-a-video.mp4"));
    dropOnDriverView(w, junk);
    QCOMPARE(w.driverTracker()->path(), junk);
    bool ok = true;
    QVERIFY(waitForDriver(w, &ok));
    QVERIFY(!ok);
    QVERIFY2(w.lastError().contains(QStringLiteral("not-a-video.mp4")), qPrintable(w.lastError()));
    QVERIFY(w.driverView()->showsError());
    QVERIFY(w.driverView()->message().contains(QStringLiteral("not-a-video.mp4")));
    QVERIFY(w.driverPath().isEmpty());
    QCOMPARE(w.driverView()->shownFrame(), -1);

    // A recent driver (persisted by the first test's window) replaces the
    // error; clearing mid-track cancels it.
    auto* recent = w.findChild<QListWidget*>(QStringLiteral("recentDrivers"));
    QVERIFY(recent && recent->count() > 0);
    QCOMPARE(recent->item(0)->data(Qt::UserRole).toString(), QFileInfo(driver_).absoluteFilePath());
    Q_EMIT recent->itemActivated(recent->item(0));
    QCOMPARE(w.driverTracker()->path(), QFileInfo(driver_).absoluteFilePath());
    QVERIFY(w.driverTracker()->isTracking());
    QVERIFY(!w.driverView()->showsError());
    QSignalSpy finished(&w, &MainWindow::driverFinished);
    w.clearDriverVideo();
    QVERIFY(!w.driverTracker()->isTracking());
    QTest::qWait(200);
    QCOMPARE(finished.count(), 0);  // the cancelled track reports nothing
    QVERIFY(w.driverPath().isEmpty());
  }
};

STUDIO_TEST_MAIN(StudioDriver)
#include "tst_studio_driver.moc"
