// The live preview: playhead, scrubbing, settings, before/after, playback.
#include <QAbstractItemModel>
#include <QAction>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardItemModel>

#include "ErrorText.h"
#include "PlaybackClock.h"
#include "PreviewController.h"
#include "PreviewView.h"
#include "SettingsPanel.h"
#include "StudioTestSupport.h"
#include "WaveformView.h"
#include "avatar/session.h"

using studio::MainWindow;
using studio::PreviewView;

class StudioPreview : public QObject {
  Q_OBJECT

 private:
  static QDoubleSpinBox* spin(MainWindow& w, const char* field) {
    return w.findChild<QDoubleSpinBox*>(QStringLiteral("field_") + QLatin1String(field));
  }

 private Q_SLOTS:
  void playheadChoosesTheFrame() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo, audio));
    auto* p = w.previewController();
    const int fps = p->info().fps;

    // Click on the waveform at 1.2 s: the engine renders frame floor(1.2 * fps).
    studio::WaveformView* wave = w.waveformView();
    QTest::mouseClick(wave, Qt::LeftButton, {}, QPoint(wave->xForTime(1.2), 30));
    QVERIFY(studiotest::waitForSettledPreview(w));
    const int expected = int(std::floor(w.playheadSec() * fps + 1e-6));
    QVERIFY(std::abs(w.playheadSec() - 1.2) < 0.05);
    QCOMPARE(p->shownFrame(), expected);
    QCOMPARE(w.previewView()->frameIndex(), expected);
    QCOMPARE(w.playheadSlider()->value(), expected);

    // Drag the transport slider to frame 10.
    w.playheadSlider()->setValue(10);
    QVERIFY(studiotest::waitForSettledPreview(w));
    QCOMPARE(p->shownFrame(), 10);
    QCOMPARE(w.previewView()->frameIndex(), 10);
    QVERIFY(std::abs(w.waveformView()->playheadSec() - 10.5 / fps) < 1e-6);

    // Next/previous frame shortcuts.
    w.action(QStringLiteral("nextFrame"))->trigger();
    QVERIFY(studiotest::waitForSettledPreview(w));
    QCOMPARE(p->shownFrame(), 11);
  }

  // The waveform shows the visemes the engine animates (Session::visemes())
  // and the overlay the face the engine chose (SessionInfo::face.index).
  void waveformAndOverlayShowTheEnginesChoices() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo, audio));
    QVERIFY(studiotest::waitForSettledPreview(w));
    auto* p = w.previewController();
    avatar::RenderRequest r;
    r.imagePath = photo.toStdString();
    r.audioPath = audio.toStdString();
    r.options.fps = p->info().fps;
    std::unique_ptr<avatar::Session> session;
    QVERIFY(avatar::Session::open(studiotest::engine(), r, &session));
    const auto& engineTrack = session->visemes();
    const auto& shown = w.waveformView()->visemes();
    QVERIFY(!engineTrack.empty());
    QCOMPARE(shown.size(), engineTrack.size());
    for (size_t i = 0; i < shown.size(); ++i) {
      QCOMPARE(shown[i].shape, engineTrack[i].shape);
      QCOMPARE(shown[i].startSec, engineTrack[i].startSec);
    }
    QCOMPARE(w.previewView()->chosenFace(), session->info().face.index);
  }

  void frameContentFollowsThePlayhead() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo, audio));
    const std::string backend = w.previewController()->info().lipSyncBackend;
    if (backend == "still") {
      QSKIP(
          "the engine renders the still photo (lipSyncBackend \"still\"): frames cannot differ "
          "yet; this test runs once the talking head is in the build");
    }
    w.seekTo(0.0);  // before the first word
    QVERIFY(studiotest::waitForSettledPreview(w));
    const QImage first = w.previewView()->frame();
    w.seekTo(studiotest::loudestSec(w));  // mid-word: the mouth is open
    QVERIFY(studiotest::waitForSettledPreview(w));
    const QImage second = w.previewView()->frame();
    QCOMPARE(first.size(), second.size());
    QVERIFY2(first != second, "the frame at 0 s and at the loudest moment are identical");
  }

  void sliderChangeRerendersThePreview() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo, audio));
    auto* p = w.previewController();
    const int loud = int(studiotest::loudestSec(w) * p->info().fps);
    w.playheadSlider()->setValue(loud);
    QVERIFY(studiotest::waitForSettledPreview(w));
    QCOMPARE(p->shownFrame(), loud);
    const QImage before = w.previewView()->frame();
    QCOMPARE(before.width(), 768);  // alice.png is 768 px; the automatic size keeps it

    // Move the "Longest side" slider down: the frame is re-rendered smaller at once.
    auto* slider = w.findChild<QSlider*>(QStringLiteral("slider_maxSidePx"));
    QVERIFY(slider);
    const int rendered = p->framesRendered();
    slider->setValue(slider->minimum() + (slider->maximum() - slider->minimum()) / 40);
    QVERIFY(studiotest::waitForSettledPreview(w));
    const int side = int(spin(w, "maxSidePx")->value());
    QVERIFY(side < 768);
    QVERIFY(p->framesRendered() > rendered);
    const QImage after = w.previewView()->frame();
    QVERIFY(std::abs(std::max(after.width(), after.height()) - side) <= 1);  // even sizes
    QCOMPARE(w.previewView()->frameIndex(), loud);                           // the same playhead
    QVERIFY(after != before);

    // Mouth gain: a new frame is rendered with the new value.
    auto* gain = w.findChild<QSlider*>(QStringLiteral("slider_mouthGain"));
    QVERIFY(gain);
    const int renderedBefore = p->framesRendered();
    const QImage beforeGain = w.previewView()->frame();
    gain->setValue(gain->maximum());
    QVERIFY(studiotest::waitForSettledPreview(w));
    QVERIFY(p->framesRendered() > renderedBefore);
    QCOMPARE(p->options().mouthGain, 3.0);
    if (p->info().lipSyncBackend != "still") {
      QVERIFY2(w.previewView()->frame() != beforeGain,
               "mouth gain 3 left the open-mouth frame unchanged");
    }
  }

  void backgroundColourChangesThePadding() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo, audio));
    // A wide output around a square photo, padded ("contain"): bars left and right.
    avatar::RenderOptions o = w.options();
    o.width = 320;
    o.height = 160;
    o.fit = avatar::FitMode::Contain;
    w.setOptions(o);
    QVERIFY(studiotest::waitForSettledPreview(w));
    QCOMPARE(w.previewView()->frame().size(), QSize(320, 160));
    const QColor bar = w.previewView()->frame().pixelColor(5, 80);
    QCOMPARE(bar, QColor(Qt::white));  // the default background

    auto* colour = w.findChild<QLineEdit*>(QStringLiteral("field_background"));
    QVERIFY(colour);
    colour->setText(QStringLiteral("#204080"));
    Q_EMIT colour->editingFinished();
    QVERIFY(studiotest::waitForSettledPreview(w));
    const QColor changed = w.previewView()->frame().pixelColor(5, 80);
    QVERIFY(std::abs(changed.red() - 0x20) <= 2 && std::abs(changed.green() - 0x40) <= 2 &&
            std::abs(changed.blue() - 0x80) <= 2);
  }

  void beforeAfterToggle() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.resize(900, 600);
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo, audio));
    avatar::RenderOptions o = w.options();
    o.width = 256;
    o.height = 128;
    o.fit = avatar::FitMode::Contain;
    o.backgroundRgb = 0x000000;
    w.setOptions(o);
    QVERIFY(studiotest::waitForSettledPreview(w));
    PreviewView* view = w.previewView();
    QVERIFY(!view->showsOriginal());
    const QImage after = view->grab().toImage();
    w.action(QStringLiteral("original"))->trigger();  // B
    QVERIFY(view->showsOriginal());
    const QImage before = view->grab().toImage();
    QVERIFY(before != after);
    w.action(QStringLiteral("original"))->trigger();
    QVERIFY(!view->showsOriginal());
    QCOMPARE(view->grab().toImage(), after);
  }

  void playbackRunsInTimeWithOrWithoutSound() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo, audio));
    studio::PlaybackClock* clock = w.playbackClock();
    if (!clock->hasAudioOutput()) {
      // Said once, in the status bar and the speaker icon's tooltip.
      QVERIFY(!clock->audioUnavailableReason().isEmpty());
    }
    const int shownBefore = w.previewController()->framesRendered();
    QElapsedTimer wall;
    wall.start();
    w.action(QStringLiteral("play"))->trigger();
    QVERIFY(clock->isPlaying());
    QTest::qWait(800);
    const double played = w.playheadSec();
    const double elapsed = double(wall.elapsed()) / 1000.0;
    w.action(QStringLiteral("play"))->trigger();  // pause
    QVERIFY(!clock->isPlaying());
    // The playhead follows the wall clock (generous bounds: a loaded CI machine).
    QVERIFY2(played > 0.4 && played <= elapsed + 0.05,
             qPrintable(QStringLiteral("played %1 s in %2 s").arg(played).arg(elapsed)));
    QVERIFY(w.previewController()->framesRendered() > shownBefore + 3);
    QVERIFY(studiotest::waitForSettledPreview(w));
    QCOMPARE(w.previewView()->frameIndex(),
             int(std::floor(w.playheadSec() * w.previewController()->info().fps + 1e-6)));
  }

  void unavailableBackendIsDisabledAndRefused() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    auto models = studiotest::engine()->models();
    auto wav2lip = std::find_if(models.begin(), models.end(),
                                [](const avatar::ModelInfo& m) { return m.id == "wav2lip"; });
    QVERIFY(wav2lip != models.end());
    if (wav2lip->available()) QSKIP("Wav2Lip weights are installed here");
    auto* combo = w.findChild<QComboBox*>(QStringLiteral("field_lipSync"));
    QVERIFY(combo);
    const int row = combo->findData(QStringLiteral("wav2lip"));
    auto* model = qobject_cast<QStandardItemModel*>(combo->model());
    QVERIFY(row >= 0 && model);
    QVERIFY(!model->item(row)->isEnabled());
    QVERIFY(model->item(row)->toolTip().contains(QStringLiteral("wav2lip_gan.safetensors")));

    // A preset can still ask for it: the engine refuses, the panel goes back.
    QVERIFY(studiotest::loadInputs(w, photo, audio));
    QSignalSpy errors(&w, &MainWindow::errorShown);
    avatar::RenderOptions o = w.options();
    o.lipSync = avatar::LipSyncBackend::Wav2Lip;
    w.setOptions(o);
    QVERIFY(errors.wait(20000));
    QVERIFY(w.lastError().contains(studio::ErrorText::headline(avatar::ErrorCode::ModelMissing)));
    QCOMPARE(combo->currentData().toString(), QStringLiteral("auto"));
    QCOMPARE(w.previewController()->options().lipSync, avatar::LipSyncBackend::Auto);
  }
};

STUDIO_TEST_MAIN(StudioPreview)
#include "tst_studio_preview.moc"
