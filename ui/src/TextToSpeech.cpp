#include "TextToSpeech.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>

namespace studio {
namespace {

struct ProcessResult {
  bool ok = false;
  QString output;
  QString error;
};

ProcessResult runProcess(const QString& exe, const QStringList& args, const QByteArray& input,
                         int timeoutMs) {
  ProcessResult r;
  QProcess p;
  p.start(exe, args);
  if (!p.waitForStarted(5000)) {
    r.error = p.errorString();
    return r;
  }
  if (!input.isEmpty()) p.write(input);
  p.closeWriteChannel();
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished(1000);
    r.error = QStringLiteral("timed out after %1 s").arg(timeoutMs / 1000);
    return r;
  }
  r.output = QString::fromUtf8(p.readAllStandardOutput());
  const QString err = QString::fromUtf8(p.readAllStandardError()).trimmed();
  r.ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
  if (!r.ok) r.error = err.isEmpty() ? QStringLiteral("exit code %1").arg(p.exitCode()) : err;
  return r;
}

template <typename T, typename F>
void whenDone(QObject* context, QFuture<T> future, F onResult) {
  auto* watcher = new QFutureWatcher<T>(context);
  QObject::connect(watcher, &QFutureWatcher<T>::finished, context, [watcher, onResult] {
    onResult(watcher->result());
    watcher->deleteLater();
  });
  watcher->setFuture(future);
}

}  // namespace

TextToSpeech::TextToSpeech(QObject* parent) : QObject(parent) {}

QString TextToSpeech::executable() {
  return QStandardPaths::findExecutable(QStringLiteral("espeak-ng"));
}

QList<EspeakVoice> TextToSpeech::parseVoices(const QString& table) {
  QList<EspeakVoice> voices;
  const QStringList lines = table.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
  static const QRegularExpression space(QStringLiteral("\\s+"));
  for (const QString& line : lines) {
    const QStringList cols = line.trimmed().split(space);
    // Pty Language Age/Gender VoiceName File [Other Languages]
    if (cols.size() < 5 || cols[0] == QLatin1String("Pty")) continue;
    bool numeric = false;
    cols[0].toInt(&numeric);
    if (!numeric) continue;
    voices.append({cols[1], cols[3], cols[1]});
  }
  return voices;
}

void TextToSpeech::loadVoices() {
  const QString exe = executable();
  if (exe.isEmpty()) {
    Q_EMIT voicesReady({});
    return;
  }
  whenDone(this, QtConcurrent::run([exe] {
             return runProcess(exe, {QStringLiteral("--voices")}, {}, 10000);
           }),
           [this](const ProcessResult& r) { Q_EMIT voicesReady(parseVoices(r.output)); });
}

void TextToSpeech::synthesise(const QString& text, const QString& voice, int wordsPerMinute,
                              const QString& wavPath) {
  const QString exe = executable();
  if (exe.isEmpty()) {
    Q_EMIT failed(tr("espeak-ng is not installed (Debian: apt install espeak-ng)."));
    return;
  }
  if (text.trimmed().isEmpty()) {
    Q_EMIT failed(tr("Type some text to speak first."));
    return;
  }
  busy_ = true;
  const QStringList args = {
      QStringLiteral("-v"),     voice.isEmpty() ? QStringLiteral("en") : voice,
      QStringLiteral("-s"),     QString::number(wordsPerMinute),
      QStringLiteral("-w"),     wavPath,
      QStringLiteral("--stdin")};
  const QByteArray input = text.toUtf8();
  whenDone(this,
           QtConcurrent::run([exe, args, input] { return runProcess(exe, args, input, 120000); }),
           [this, wavPath](const ProcessResult& r) {
             busy_ = false;
             if (!r.ok) {
               Q_EMIT failed(tr("espeak-ng failed: %1").arg(r.error));
             } else if (QFileInfo(wavPath).size() <= 44) {
               Q_EMIT failed(tr("espeak-ng wrote no sound (is the voice installed?)."));
             } else {
               Q_EMIT finished(wavPath);
             }
           });
}

}  // namespace studio
