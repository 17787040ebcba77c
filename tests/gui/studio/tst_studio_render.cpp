// The render queue: a real MP4, cancel, several jobs, failures in words.
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QToolButton>

#include "EngineTypes.h"
#include "ErrorText.h"
#include "RenderJob.h"
#include "RenderQueue.h"
#include "RenderQueueWidget.h"
#include "StudioTestSupport.h"
#include "avatar/files.h"
#include "avatar/media.h"

using studio::MainWindow;
using studio::RenderJob;

class StudioRender : public QObject {
  Q_OBJECT

 private:
  static void setOutputFolder(MainWindow& w, const QString& folder) {
    auto* edit = w.findChild<QLineEdit*>(QStringLiteral("outputFolder"));
    edit->setText(folder);
    Q_EMIT edit->editingFinished();
  }

  static QString freshDir(const QString& name) {
    const QString dir = studiotest::scratchDir(name);
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    return dir;
  }

  // {"streams":[...], "format":{...}} from ffprobe, or an empty object.
  static QJsonObject probe(const QString& path) {
    const QString ffprobe = QStandardPaths::findExecutable(QStringLiteral("ffprobe"));
    if (ffprobe.isEmpty()) return {};
    QProcess p;
    p.start(ffprobe, {QStringLiteral("-v"), QStringLiteral("error"),
                      QStringLiteral("-print_format"), QStringLiteral("json"),
                      QStringLiteral("-show_streams"), QStringLiteral("-show_format"), path});
    if (!p.waitForFinished(30000) || p.exitCode() != 0) return {};
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
  }

 private Q_SLOTS:
  void renderThroughTheQueueWritesAValidMp4() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo, audio));
    avatar::RenderOptions o = w.options();
    o.maxSidePx = 256;
    w.setOptions(o);
    const QString dir = freshDir(QStringLiteral("render"));
    setOutputFolder(w, dir);

    w.action(QStringLiteral("render"))->trigger();  // Ctrl+R
    QCOMPARE(w.renderQueue()->jobs().size(), 1);
    RenderJob* job = w.renderQueue()->jobs().first();
    QSignalSpy changed(job, &RenderJob::changed);
    QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 180000));
    QVERIFY2(job->state() == RenderJob::State::Done,
             qPrintable(studio::ErrorText::describe(job->error())));
    QVERIFY(changed.count() >= 3);  // started, progress..., finished
    const QString out = job->outputPath();
    QCOMPARE(QFileInfo(out).absolutePath(), QDir(dir).absolutePath());
    QCOMPARE(QFileInfo(out).fileName(), QStringLiteral("alice-hello.mp4"));
    QVERIFY(QFileInfo(out).size() > 1000);
    QVERIFY(avatar::partialOutputs(studio::toEnginePath(out)).empty());

    // The audio track in the MP4 is as long as the speech.
    avatar::AudioSamples decoded;
    QVERIFY(avatar::decodeAudio(studio::toEnginePath(out), 16000, &decoded).isOk());
    QVERIFY(std::abs(decoded.durationSec() - 2.5) < 0.15);
    const QJsonObject info = probe(out);
    if (!info.isEmpty()) {
      bool video = false, sound = false;
      for (const auto& s : info.value(QStringLiteral("streams")).toArray()) {
        const QJsonObject stream = s.toObject();
        if (stream.value(QStringLiteral("codec_type")).toString() == QLatin1String("video")) {
          video = true;
          QCOMPARE(stream.value(QStringLiteral("codec_name")).toString(), QStringLiteral("h264"));
          QCOMPARE(stream.value(QStringLiteral("width")).toInt(), 256);
          QCOMPARE(stream.value(QStringLiteral("height")).toInt(), 256);
        }
        if (stream.value(QStringLiteral("codec_type")).toString() == QLatin1String("audio")) {
          sound = true;
          QCOMPARE(stream.value(QStringLiteral("codec_name")).toString(), QStringLiteral("aac"));
        }
      }
      QVERIFY(video && sound);
      const double duration = info.value(QStringLiteral("format"))
                                  .toObject()
                                  .value(QStringLiteral("duration"))
                                  .toString()
                                  .toDouble();
      QVERIFY2(std::abs(duration - 2.5) < 0.2, qPrintable(QString::number(duration)));
    }
    // The row offers to open the result.
    studio::RenderJobRow* row = w.renderQueueWidget()->rowFor(job);
    QVERIFY(row);
    QVERIFY(row->findChild<QToolButton*>(QStringLiteral("openResult"))->isVisibleTo(row));
    QVERIFY(!row->findChild<QToolButton*>(QStringLiteral("cancelJob"))->isVisibleTo(row));
  }

  void cancelMidRenderLeavesNoOutput() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    const QString dir = freshDir(QStringLiteral("cancel"));
    const QString longSpeech = dir + QStringLiteral("/long-speech.wav");
    QVERIFY(studiotest::writeSpeechLikeWav(longSpeech, 20.0));
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo, longSpeech));
    avatar::RenderOptions o = w.options();
    o.width = 1280;
    o.height = 1280;
    o.preset = "slow";
    w.setOptions(o);
    setOutputFolder(w, dir);
    RenderJob* job = w.renderNow();
    QVERIFY(job);
    QVERIFY(QTest::qWaitFor(
        [&] {
          return job->state() == RenderJob::State::Running &&
                 job->stage() == QLatin1String("render") && job->progress() > 0.12;
        },
        120000));
    QVERIFY2(!job->isFinished(), "the render finished before it could be cancelled");
    QCOMPARE(avatar::partialOutputs(studio::toEnginePath(job->outputPath())).size(), size_t(1));
    // Click the row's cancel button.
    auto* cancel =
        w.renderQueueWidget()->rowFor(job)->findChild<QToolButton*>(QStringLiteral("cancelJob"));
    QTest::mouseClick(cancel, Qt::LeftButton);
    QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 60000));
    QCOMPARE(job->state(), RenderJob::State::Cancelled);
    QCOMPARE(job->error().code(), avatar::ErrorCode::Cancelled);
    QVERIFY(!QFileInfo::exists(job->outputPath()));
    QVERIFY(avatar::partialOutputs(studio::toEnginePath(job->outputPath())).empty());
    QCOMPARE(QDir(dir).entryList({QStringLiteral("*.mp4*")}, QDir::Files).size(), 0);
  }

  void severalJobsRunOneAfterAnother() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo, audio));
    avatar::RenderOptions o = w.options();
    o.maxSidePx = 128;
    o.preset = "ultrafast";
    w.setOptions(o);
    const QString dir = freshDir(QStringLiteral("queue"));
    setOutputFolder(w, dir);
    RenderJob* a = w.renderNow();
    RenderJob* b = w.renderNow();
    RenderJob* c = w.renderNow();
    QVERIFY(a && b && c);
    QCOMPARE(b->state(), RenderJob::State::Queued);  // one at a time
    c->cancel();                                     // cancelled while waiting
    QCOMPARE(c->state(), RenderJob::State::Cancelled);
    const QString cOutput = c->outputPath();
    // Removed from the list before its worker slot comes: the worker must not touch it.
    w.renderQueue()->remove(c);
    QCOMPARE(w.renderQueue()->jobs().size(), 2);
    QVERIFY(QTest::qWaitFor([&] { return a->isFinished() && b->isFinished(); }, 180000));
    QCOMPARE(a->state(), RenderJob::State::Done);
    QCOMPARE(b->state(), RenderJob::State::Done);
    QVERIFY(a->outputPath() != b->outputPath());
    QVERIFY(QFileInfo::exists(a->outputPath()) && QFileInfo::exists(b->outputPath()));
    QVERIFY(!QFileInfo::exists(cOutput));
    w.renderQueue()->waitForIdle();
    w.renderQueue()->clearFinished();
    QTRY_COMPARE(w.renderQueue()->jobs().size(), 0);
  }

  void failureIsShownInWords() {
    STUDIO_REQUIRE_INPUTS(photo, audio);
    MainWindow w(studiotest::engine());
    w.show();
    QVERIFY(studiotest::loadInputs(w, photo, audio));
    setOutputFolder(
        w, studiotest::scratchDir(QStringLiteral("render")) + QStringLiteral("/no/such/folder"));
    QSignalSpy errors(&w, &MainWindow::errorShown);
    RenderJob* job = w.renderNow();
    QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 60000));
    QCOMPARE(job->state(), RenderJob::State::Failed);
    QCOMPARE(job->error().code(), avatar::ErrorCode::OutputNotWritable);
    QCOMPARE(errors.count(), 1);
    const QString headline = studio::ErrorText::headline(avatar::ErrorCode::OutputNotWritable);
    QVERIFY(w.lastError().contains(headline));
    auto* status =
        w.renderQueueWidget()->rowFor(job)->findChild<QLabel*>(QStringLiteral("jobStatus"));
    QVERIFY(status->text().contains(headline));
    QVERIFY(status->text().contains(QStringLiteral("no/such/folder")));
  }
};

STUDIO_TEST_MAIN(StudioRender)
#include "tst_studio_render.moc"
