// Diff2Lip in the studio: with (random) Diff2Lip weights installed and the
// diff2lip mouth chosen, the live preview scrubs with the fast built-in mouth
// and the diffusion frame is rendered in the background and swapped in,
// labelled, once the playhead rests; moving the playhead shows the fast
// frame at once again. Drives the real main window.
#include <QDir>
#include <QFile>
#include <QSignalSpy>

#include "DiffusionPreview.h"
#include "PreviewController.h"
#include "PreviewView.h"
#include "StudioTestSupport.h"
#include "avatar_nets/weights.h"

using studio::DiffusionPreview;
using studio::MainWindow;

namespace {

// Mean absolute difference of two same-sized RGB images over the lower
// middle of the picture (where a portrait's mouth is) and over its top band.
std::pair<double, double> lowerAndTopDifference(const QImage& a, const QImage& b) {
  const QImage x = a.convertToFormat(QImage::Format_RGB888);
  const QImage y = b.convertToFormat(QImage::Format_RGB888);
  auto mad = [&](int y0, int y1, int x0, int x1) {
    double total = 0;
    long count = 0;
    for (int r = y0; r < y1; ++r) {
      const uchar* p = x.constScanLine(r);
      const uchar* q = y.constScanLine(r);
      for (int c = x0 * 3; c < x1 * 3; ++c, ++count) total += std::abs(int(p[c]) - int(q[c]));
    }
    return count ? total / double(count) : 0.0;
  };
  const int w = x.width(), h = x.height();
  return {mad(h * 35 / 100, h * 75 / 100, w / 4, w * 3 / 4), mad(0, h / 10, 0, w)};
}

}  // namespace

class StudioDiffusion : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void diffusionFrameIsSwappedInWhenThePlayheadRests() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    const QString faceApi = qEnvironmentVariable("AVATAR_MODELS_DIR") + "/face-api";
    if (!QDir(faceApi).exists()) QSKIP("face-api models absent (scripts/setup.sh --models)");
    const QString models = studiotest::scratchDir(QStringLiteral("diffusion-models"));
    QFile::remove(models + "/face-api");
    QVERIFY(QFile::link(faceApi, models + "/face-api"));
    QVERIFY(QDir().mkpath(models + "/diff2lip"));
    const std::string weights = (models + "/diff2lip/diff2lip.safetensors").toStdString();
    QVERIFY(avatar::nets::writeRandomWeights(avatar::nets::NetKind::Diff2Lip, weights, 5));
    avatar::EngineConfig config;
    config.modelsDir = models.toStdString();
    std::shared_ptr<const avatar::Engine> engine;
    QVERIFY(avatar::Engine::create(config, &engine));

    MainWindow w(engine);
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo, audio));
    DiffusionPreview* diffusion = w.diffusionPreview();
    QVERIFY(!diffusion->active());  // auto in the default quality mode: no diffusion

    QSignalSpy decided(diffusion, &DiffusionPreview::decided);
    QSignalSpy swapped(diffusion, &DiffusionPreview::frameReady);
    avatar::RenderOptions o = w.options();
    o.lipSync = avatar::LipSyncBackend::Diff2Lip;
    o.diffusionSteps = 2;
    w.setOptions(o);
    QVERIFY(decided.wait(60000));
    QVERIFY2(decided.last().at(0).toBool(), qPrintable(decided.last().at(1).toString()));
    // The live preview runs the fast mouth; the settings keep diff2lip.
    QCOMPARE(w.previewController()->options().lipSync, avatar::LipSyncBackend::Builtin);
    QCOMPARE(w.options().lipSync, avatar::LipSyncBackend::Diff2Lip);

    w.seekTo(studiotest::loudestSec(w));
    QVERIFY(studiotest::waitForSettledPreview(w));
    const int frame = w.previewController()->shownFrame();
    QVERIFY(w.previewView()->frameSource().contains(QStringLiteral("fast mouth")));
    const QImage fast = w.previewView()->frame();

    // Resting: the diffusion frame of that index arrives and is shown, labelled.
    QVERIFY(QTest::qWaitFor(
        [&] { return w.previewView()->frameSource().startsWith(QStringLiteral("Diff2Lip")); },
        180000));
    QCOMPARE(w.previewView()->frameIndex(), frame);
    QVERIFY(!swapped.isEmpty());
    QCOMPARE(swapped.last().at(1).toInt(), frame);
    const QImage slow = w.previewView()->frame();
    QCOMPARE(slow.size(), fast.size());
    const auto [lower, top] = lowerAndTopDifference(fast, slow);
    // Random weights paint noise into the lower face; above the face nothing moves.
    QVERIFY2(lower > 3.0, qPrintable(QStringLiteral("lower-face difference %1").arg(lower)));
    QVERIFY2(top < 0.5, qPrintable(QStringLiteral("top-band difference %1").arg(top)));

    // Scrubbing away shows the fast frame at once.
    w.seekTo(0.0);
    QVERIFY(studiotest::waitForSettledPreview(w));
    QCOMPARE(w.previewView()->frameIndex(), 0);
    QVERIFY(w.previewView()->frameSource().contains(QStringLiteral("fast mouth")));

    // Back to a fast mouth: the diffusion preview stops.
    o.lipSync = avatar::LipSyncBackend::Builtin;
    w.setOptions(o);
    QVERIFY(QTest::qWaitFor([&] { return !diffusion->active(); }, 5000));
    QVERIFY(studiotest::waitForSettledPreview(w));
    QVERIFY(w.previewView()->frameSource().isEmpty());
  }
};

STUDIO_TEST_MAIN(StudioDiffusion)
#include "tst_studio_diffusion.moc"
