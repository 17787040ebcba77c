// The studio's parts: settings from the schema, presets, persistence, error
// words, text-to-speech, the model manager, themes.
#include <QComboBox>
#include <QFile>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardItemModel>
#include <QTreeWidget>

#include "AudioRecorder.h"
#include "Availability.h"
#include "ErrorText.h"
#include "ModelManagerDialog.h"
#include "Presets.h"
#include "PreviewView.h"
#include "SettingsPanel.h"
#include "SpeechPanel.h"
#include "StudioTestSupport.h"
#include "TextToSpeech.h"
#include "Theme.h"
#include "avatar/options_json.h"

using studio::MainWindow;

class StudioParts : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void settingsPanelEditsEveryOption() {
    studio::SettingsPanel panel;
    for (const auto& f : avatar::renderFieldInfo()) {
      if (f.requestField || f.name == "transcript") continue;
      QVERIFY2(panel.editor(QString::fromStdString(f.name)), f.name.c_str());
    }
    // Round trip: what is set is what comes back, as the same JSON.
    avatar::RenderOptions o;
    o.qualityMode = avatar::QualityMode::HighQuality;
    o.enhancer = avatar::Enhancer::Gfpgan;
    o.enhancerStrength = 0.35;
    o.headMotion = avatar::HeadMotion::Still;
    o.mouthGain = 1.7;
    o.smoothingMs = 120;
    o.blinksPerMinute = 30;
    o.seed = 4000000000u;
    o.faceIndex = 2;
    o.fps = 30;
    o.width = 640;
    o.height = 360;
    o.fit = avatar::FitMode::Contain;
    o.backgroundRgb = 0x123456;
    o.encoder = avatar::VideoEncoder::Libx264;
    o.crf = 28;
    o.preset = "veryfast";
    o.audioBitrateKbps = 96;
    o.device = avatar::ComputeDevice::Cpu;
    o.transcript = "kept aside";
    panel.setOptions(o);
    QCOMPARE(QString::fromStdString(avatar::renderOptionsToJson(panel.options())),
             QString::fromStdString(avatar::renderOptionsToJson(o)));
    // A slider change emits the new options at once.
    QSignalSpy changed(&panel, &studio::SettingsPanel::optionsChanged);
    auto* gain = panel.findChild<QSlider*>(QStringLiteral("slider_mouthGain"));
    gain->setValue(gain->maximum());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().first().value<avatar::RenderOptions>().mouthGain, 3.0);
  }

  void presetsAreTheCliJson() {
    MainWindow w(studiotest::engine());
    avatar::RenderOptions o = w.options();
    o.mouthGain = 2.25;
    o.fps = 30;
    o.qualityMode = avatar::QualityMode::RealTime;
    w.setOptions(o);
    const QString path =
        studiotest::scratchDir(QStringLiteral("parts")) + QStringLiteral("/mine.json");
    QVERIFY(w.savePresetFile(path));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray json = f.readAll();
    avatar::RenderOptions parsed;  // what `avatar-renderer render --preset` would read
    QVERIFY(avatar::parseRenderOptions(std::string_view(json.constData(), size_t(json.size())),
                                       &parsed));
    QCOMPARE(parsed.mouthGain, 2.25);
    QCOMPARE(parsed.fps, 30);
    QCOMPARE(parsed.qualityMode, avatar::QualityMode::RealTime);

    w.setOptions(avatar::RenderOptions{});
    QCOMPARE(w.options().mouthGain, 1.0);
    QVERIFY(w.loadPresetFile(path));
    QCOMPARE(w.options().mouthGain, 2.25);
    QCOMPARE(w.options().fps, 30);

    // Every built-in preset is valid JSON for the engine.
    const auto presets = studio::availablePresets();
    QVERIFY(presets.size() >= 3);
    for (const auto& p : presets) {
      avatar::RenderOptions any;
      QVERIFY2(studio::loadPreset(p.path, &any).isOk(), qPrintable(p.path));
    }
    // A broken preset is refused with the field it is about.
    QFile bad(studiotest::scratchDir(QStringLiteral("parts")) + QStringLiteral("/bad.json"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"mouthGain\": 9}");
    bad.close();
    QVERIFY(!w.loadPresetFile(bad.fileName()));
    QVERIFY(w.lastError().contains(QStringLiteral("mouthGain")));
    QCOMPARE(w.options().mouthGain, 2.25);
  }

  void settingsPersistAcrossRestarts() {
    {
      MainWindow w(studiotest::engine());
      avatar::RenderOptions o = w.options();
      o.blinksPerMinute = 42;
      o.crf = 31;
      w.setOptions(o);
      w.setTheme(studio::ThemeMode::Dark);
    }  // closing saves
    MainWindow again(studiotest::engine());
    QCOMPARE(again.options().blinksPerMinute, 42.0);
    QCOMPARE(again.options().crf, 31);
    QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("dark"));
    again.setOptions(avatar::RenderOptions{});
    again.setTheme(studio::ThemeMode::Light);
  }

  void themesChangeThePalette() {
    studio::applyTheme(studio::ThemeMode::Dark);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
    QVERIFY(studio::isDarkTheme());
    studio::applyTheme(studio::ThemeMode::Light);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 180);
    QVERIFY(!studio::isDarkTheme());
  }

  void everyErrorCodeHasItsOwnWords() {
    QStringList seen;
    for (int c = int(avatar::ErrorCode::Ok); c <= int(avatar::ErrorCode::Internal); ++c) {
      const QString h = studio::ErrorText::headline(avatar::ErrorCode(c));
      QVERIFY(!h.isEmpty());
      QVERIFY2(!seen.contains(h), qPrintable(h));
      seen << h;
    }
    const auto s = avatar::Status::error(avatar::ErrorCode::NoFaceDetected, "photo.png", "no face");
    QVERIFY(studio::ErrorText::describe(s).contains(QStringLiteral("photo.png: no face")));
  }

  void textToSpeechMakesTheSpeech() {
    if (studio::TextToSpeech::executable().isEmpty()) QSKIP("espeak-ng is not installed");
    MainWindow w(studiotest::engine());
    w.show();
    auto* speech = w.speechPanel();
    speech->setText(QStringLiteral("Hello from the studio."));
    QSignalSpy audioDone(&w, &MainWindow::audioFinished);
    QTest::mouseClick(speech->findChild<QPushButton*>(QStringLiteral("ttsButton")), Qt::LeftButton);
    QVERIFY(audioDone.wait(60000));
    QCOMPARE(audioDone.first().first().toBool(), true);
    QVERIFY(w.audioPath().endsWith(QStringLiteral(".wav")));
    QVERIFY(w.audio().durationSec > 0.5);
    QCOMPARE(QString::fromStdString(w.options().transcript),
             QStringLiteral("Hello from the studio."));
    const auto voices = studio::TextToSpeech::parseVoices(QStringLiteral(
        "Pty Language       Age/Gender VoiceName          File                 Other Languages\n"
        " 5  af              --/M      Afrikaans          gmw/af\n"
        " 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)\n"));
    QCOMPARE(voices.size(), 2);
    QCOMPARE(voices[1].id, QStringLiteral("en-us"));
  }

  void modelManagerListsEveryModel() {
    auto engine = studiotest::engine();
    studio::ModelManagerDialog dialog(engine);
    const auto models = engine->models();
    QVERIFY(!models.empty());
    QCOMPARE(dialog.modelCount(), int(models.size()));
    auto* tree = dialog.findChild<QTreeWidget*>(QStringLiteral("modelTree"));
    QCOMPARE(tree->topLevelItemCount(), int(models.size()));
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
      QCOMPARE(tree->topLevelItem(i)->childCount(), int(models[size_t(i)].files.size()));
      QCOMPARE(tree->topLevelItem(i)->text(2).startsWith(QStringLiteral("Installed")),
               models[size_t(i)].available());
    }
  }

  // The studio shows the engine's backend table: the Model Manager lists its
  // rows, and the settings' lipSync/enhancer choices are enabled exactly for
  // the usable ones (not implemented and missing weights are told apart).
  void modelManagerAndSettingsShowTheBackendTable() {
    auto engine = studiotest::engine();
    const auto backends = engine->backends();
    QVERIFY(!backends.empty());
    studio::ModelManagerDialog dialog(engine);
    QCOMPARE(dialog.backendCount(), int(backends.size()));
    auto* tree = dialog.findChild<QTreeWidget*>(QStringLiteral("backendTree"));
    QVERIFY(tree);
    QCOMPARE(tree->topLevelItemCount(), int(backends.size()));
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
      const auto& b = backends[size_t(i)];
      const QTreeWidgetItem* item = tree->topLevelItem(i);
      QCOMPARE(item->data(0, Qt::UserRole).toString(), QString::fromStdString(b.backend.id));
      QCOMPARE(item->data(1, Qt::UserRole).toString(),
               QString::fromLatin1(avatar::toString(b.backend.role)));
      QCOMPARE(item->data(2, Qt::UserRole).toBool(), b.usable);
      QCOMPARE(item->text(2) == QStringLiteral("Not in this build"), !b.backend.implemented);
    }
    studio::SettingsPanel panel;
    const auto availability = studio::choiceAvailability(*engine);
    panel.setAvailability(availability);
    int checked = 0;
    for (const auto& b : backends) {
      if (b.backend.modelIds.empty() || b.backend.role == avatar::BackendRole::Motion) continue;
      const QString field = QString::fromLatin1(avatar::backendRoleOption(b.backend.role));
      auto* combo = panel.findChild<QComboBox*>(QStringLiteral("field_") + field);
      QVERIFY2(combo, qPrintable(field));
      const int row = combo->findData(QString::fromStdString(b.backend.id));
      QVERIFY2(row >= 0, b.backend.id.c_str());
      auto* model = qobject_cast<QStandardItemModel*>(combo->model());
      QCOMPARE(model->item(row)->isEnabled(), b.usable);
      if (!b.backend.implemented)
        QVERIFY(model->item(row)->text().contains(QStringLiteral("build")));
      ++checked;
    }
    QVERIFY(checked >= 3);  // wav2lip, diff2lip, gfpgan
  }

  void faceOverlayDrawsBoxAndLandmarks() {
    // The overlay drawing itself, with a face placed by the test on a grey photo.
    studio::PreviewView view;
    view.resize(400, 400);
    QImage photo(200, 200, QImage::Format_RGB888);
    photo.fill(QColor(128, 128, 128));
    view.setPhoto(photo);
    avatar::FaceInfo face;
    face.found = true;
    face.box = {50, 50, 100, 100};
    face.score = 0.97f;
    for (int i = 0; i < 68; ++i) {
      const double a = 2 * M_PI * i / 68;
      face.landmarks68.push_back({float(100 + 35 * std::cos(a)), float(100 + 35 * std::sin(a))});
    }
    view.setFaces({face}, 0);
    view.setShowOriginal(true);
    QVERIFY(view.overlayShown());
    auto overlayPixels = [&] {
      const QImage shot = view.grab().toImage().convertToFormat(QImage::Format_RGB32);
      int n = 0;
      for (int y = 0; y < shot.height(); ++y)
        for (int x = 0; x < shot.width(); ++x)
          n += QColor(shot.pixel(x, y)) == studio::overlayColor();
      return n;
    };
    const int withOverlay = overlayPixels();
    QVERIFY2(withOverlay > 400, qPrintable(QString::number(withOverlay)));  // box edges + points
    view.setOverlayVisible(false);
    QVERIFY(!view.overlayShown());
    QCOMPARE(overlayPixels(), 0);
  }

  void recordingNeedsAMicrophone() {
    MainWindow w(studiotest::engine());
    auto* record = w.findChild<QPushButton*>(QStringLiteral("recordButton"));
    QVERIFY(record);
    QCOMPARE(record->isEnabled(), studio::AudioRecorder::hasInputDevice());
  }
};

STUDIO_TEST_MAIN(StudioParts)
#include "tst_studio_parts.moc"
