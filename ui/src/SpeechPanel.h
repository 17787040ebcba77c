// Where speech comes from: a sound file, the microphone, or typed text
// spoken by espeak-ng. Emits audioReady(path, transcript) for new audio; the
// main window opens it like any other file.
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace studio {

class AudioRecorder;
class TextToSpeech;

class SpeechPanel : public QWidget {
  Q_OBJECT

 public:
  explicit SpeechPanel(QWidget* parent = nullptr);

  void setCurrentAudio(const QString& path, const QString& summary);
  void setRecentAudio(const QStringList& paths);
  // Voice and speed for text-to-speech (persisted by the main window).
  QString voice() const;
  void setVoice(const QString& id);
  int wordsPerMinute() const;
  void setWordsPerMinute(int wpm);
  QString text() const;
  void setText(const QString& text);
  // Where recordings and synthesised speech are written.
  static QString scratchDir();

 public Q_SLOTS:
  void synthesise();
  void toggleRecording();

 Q_SIGNALS:
  void openAudioRequested();
  void audioReady(const QString& path, const QString& transcript);
  void recentAudioActivated(const QString& path);
  void problem(const QString& message);

 private:
  QWidget* buildFileTab();
  QWidget* buildRecordTab();
  QWidget* buildTextTab();

  QTabWidget* tabs_;
  QLabel* currentAudio_;
  QListWidget* recent_;
  AudioRecorder* recorder_;
  QPushButton* recordButton_;
  QLabel* recordStatus_;
  TextToSpeech* tts_;
  QPlainTextEdit* text_;
  QComboBox* voice_;
  QString wantedVoice_;
  QSpinBox* speed_;
  QPushButton* speakButton_;
  QLabel* ttsStatus_;
};

}  // namespace studio
