// Speech from typed text with the espeak-ng program. The process runs on a
// worker thread (QtConcurrent), never on the GUI thread.
#pragma once

#include <QList>
#include <QObject>
#include <QString>

namespace studio {

struct EspeakVoice {
  QString id;        // what -v takes, e.g. "en-us"
  QString name;      // "English_(America)"
  QString language;  // "en-us"
};

class TextToSpeech : public QObject {
  Q_OBJECT

 public:
  explicit TextToSpeech(QObject* parent = nullptr);

  static QString executable();  // empty when espeak-ng is not installed
  bool isAvailable() const { return !executable().isEmpty(); }
  bool isBusy() const { return busy_; }

  // Lists voices in the background: voicesReady().
  void loadVoices();
  // Writes `text` spoken by `voice` at `wordsPerMinute` to `wavPath`:
  // finished(wavPath) or failed(reason).
  void synthesise(const QString& text, const QString& voice, int wordsPerMinute,
                  const QString& wavPath);

  // Parses the table `espeak-ng --voices` prints.
  static QList<EspeakVoice> parseVoices(const QString& table);

 Q_SIGNALS:
  void voicesReady(const QList<studio::EspeakVoice>& voices);
  void finished(const QString& wavPath);
  void failed(const QString& reason);

 private:
  bool busy_ = false;
};

}  // namespace studio
