#include "SpeechPanel.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QVBoxLayout>

#include "AudioRecorder.h"
#include "Icons.h"
#include "TextToSpeech.h"

namespace studio {

SpeechPanel::SpeechPanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("speechPanel"));
  recorder_ = new AudioRecorder(this);
  tts_ = new TextToSpeech(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 8, 8, 8);
  tabs_ = new QTabWidget(this);
  tabs_->setDocumentMode(true);
  tabs_->addTab(buildFileTab(), tr("File"));
  tabs_->addTab(buildRecordTab(), tr("Record"));
  tabs_->addTab(buildTextTab(), tr("Text"));
  setThemedTabIcon(tabs_, 0, QStringLiteral("open-audio"));
  setThemedTabIcon(tabs_, 1, QStringLiteral("mic"));
  setThemedTabIcon(tabs_, 2, QStringLiteral("speech"));
  layout->addWidget(tabs_);
}

QString SpeechPanel::scratchDir() {
  const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) +
                      QStringLiteral("/speech");
  QDir().mkpath(dir);
  return dir;
}

QWidget* SpeechPanel::buildFileTab() {
  auto* tab = new QWidget(this);
  auto* v = new QVBoxLayout(tab);
  auto* open = new QPushButton(tr("Open Sound File…"), tab);
  setThemedIcon(open, QStringLiteral("open-audio"));
  open->setObjectName(QStringLiteral("openAudioButton"));
  connect(open, &QPushButton::clicked, this, &SpeechPanel::openAudioRequested);
  currentAudio_ = new QLabel(tr("No sound chosen."), tab);
  currentAudio_->setObjectName(QStringLiteral("currentAudio"));
  currentAudio_->setWordWrap(true);
  currentAudio_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  recent_ = new QListWidget(tab);
  recent_->setObjectName(QStringLiteral("recentAudio"));
  recent_->setToolTip(tr("Recent sound files: double-click to use one again"));
  connect(recent_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
    Q_EMIT recentAudioActivated(item->data(Qt::UserRole).toString());
  });
  v->addWidget(open);
  v->addWidget(currentAudio_);
  v->addWidget(new QLabel(tr("Recent"), tab));
  recent_->setMaximumHeight(120);
  v->addWidget(recent_);
  v->addStretch(1);
  return tab;
}

QWidget* SpeechPanel::buildRecordTab() {
  auto* tab = new QWidget(this);
  auto* v = new QVBoxLayout(tab);
  recordButton_ = new QPushButton(tr("Record"), tab);
  setThemedIcon(recordButton_, QStringLiteral("record"));
  recordButton_->setObjectName(QStringLiteral("recordButton"));
  recordStatus_ = new QLabel(tab);
  recordStatus_->setWordWrap(true);
  if (AudioRecorder::hasInputDevice()) {
    recordStatus_->setText(tr("Microphone: %1").arg(AudioRecorder::inputDeviceName()));
  } else {
    recordButton_->setEnabled(false);
    recordStatus_->setText(tr("No microphone was found on this computer."));
  }
  connect(recordButton_, &QPushButton::clicked, this, &SpeechPanel::toggleRecording);
  connect(recorder_, &AudioRecorder::durationChanged, this, [this](qint64 ms) {
    recordStatus_->setText(tr("Recording… %1 s").arg(double(ms) / 1000.0, 0, 'f', 1));
  });
  connect(recorder_, &AudioRecorder::finished, this, [this](const QString& path) {
    recordButton_->setText(tr("Record"));
    setThemedIcon(recordButton_, QStringLiteral("record"));
    recordStatus_->setText(tr("Recorded %1").arg(QFileInfo(path).fileName()));
    Q_EMIT audioReady(path, QString());
  });
  connect(recorder_, &AudioRecorder::failed, this, [this](const QString& reason) {
    recordButton_->setText(tr("Record"));
    setThemedIcon(recordButton_, QStringLiteral("record"));
    recordStatus_->setText(reason);
    Q_EMIT problem(reason);
  });
  v->addWidget(recordButton_);
  v->addWidget(recordStatus_);
  v->addStretch(1);
  return tab;
}

QWidget* SpeechPanel::buildTextTab() {
  auto* tab = new QWidget(this);
  auto* v = new QVBoxLayout(tab);
  text_ = new QPlainTextEdit(tab);
  text_->setObjectName(QStringLiteral("ttsText"));
  text_->setPlaceholderText(tr("Type what the face should say…"));
  auto* form = new QFormLayout;
  voice_ = new QComboBox(tab);
  voice_->setObjectName(QStringLiteral("ttsVoice"));
  speed_ = new QSpinBox(tab);
  speed_->setObjectName(QStringLiteral("ttsSpeed"));
  speed_->setRange(80, 450);
  speed_->setValue(160);
  speed_->setSuffix(tr(" words/min"));
  form->addRow(tr("Voice"), voice_);
  form->addRow(tr("Speed"), speed_);
  speakButton_ = new QPushButton(tr("Synthesise Speech"), tab);
  setThemedIcon(speakButton_, QStringLiteral("speech"));
  speakButton_->setObjectName(QStringLiteral("ttsButton"));
  ttsStatus_ = new QLabel(tab);
  ttsStatus_->setWordWrap(true);
  v->addWidget(text_, 1);
  v->addLayout(form);
  v->addWidget(speakButton_);
  v->addWidget(ttsStatus_);
  if (!tts_->isAvailable()) {
    speakButton_->setEnabled(false);
    voice_->setEnabled(false);
    ttsStatus_->setText(tr("espeak-ng is not installed (Debian: apt install espeak-ng)."));
  } else {
    voice_->addItem(tr("English"), QStringLiteral("en"));
    tts_->loadVoices();
  }
  connect(tts_, &TextToSpeech::voicesReady, this, [this](const QList<EspeakVoice>& voices) {
    if (voices.isEmpty()) return;
    voice_->clear();
    for (const auto& voice : voices) {
      QString name = voice.name;
      name.replace(QLatin1Char('_'), QLatin1Char(' '));
      voice_->addItem(QStringLiteral("%1 (%2)").arg(name, voice.language), voice.id);
    }
    setVoice(wantedVoice_.isEmpty() ? QStringLiteral("en-us") : wantedVoice_);
  });
  connect(speakButton_, &QPushButton::clicked, this, &SpeechPanel::synthesise);
  connect(tts_, &TextToSpeech::finished, this, [this](const QString& path) {
    speakButton_->setEnabled(true);
    ttsStatus_->setText(tr("Synthesised %1").arg(QFileInfo(path).fileName()));
    Q_EMIT audioReady(path, text_->toPlainText().trimmed());
  });
  connect(tts_, &TextToSpeech::failed, this, [this](const QString& reason) {
    speakButton_->setEnabled(tts_->isAvailable());
    ttsStatus_->setText(reason);
    Q_EMIT problem(reason);
  });
  return tab;
}

void SpeechPanel::synthesise() {
  if (tts_->isBusy()) return;
  const QString path =
      scratchDir() +
      QStringLiteral("/speech-%1.wav")
          .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz")));
  speakButton_->setEnabled(false);
  ttsStatus_->setText(tr("Synthesising…"));
  tts_->synthesise(text_->toPlainText(), voice(), speed_->value(), path);
}

void SpeechPanel::toggleRecording() {
  if (recorder_->isRecording()) {
    recorder_->stop();
    return;
  }
  const QString path =
      scratchDir() +
      QStringLiteral("/recording-%1.wav")
          .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss")));
  recordButton_->setText(tr("Stop"));
  setThemedIcon(recordButton_, QStringLiteral("stop"));
  recordStatus_->setText(tr("Starting the microphone…"));
  recorder_->start(path);
}

void SpeechPanel::setCurrentAudio(const QString& path, const QString& summary) {
  currentAudio_->setText(path.isEmpty() ? tr("No sound chosen.")
                                        : QStringLiteral("<b>%1</b><br>%2")
                                              .arg(QFileInfo(path).fileName().toHtmlEscaped(),
                                                   summary.toHtmlEscaped()));
  currentAudio_->setToolTip(QDir::toNativeSeparators(path));
}

void SpeechPanel::setRecentAudio(const QStringList& paths) {
  recent_->clear();
  for (const QString& p : paths) {
    auto* item = new QListWidgetItem(QFileInfo(p).fileName(), recent_);
    item->setData(Qt::UserRole, p);
    item->setToolTip(QDir::toNativeSeparators(p));
  }
}

QString SpeechPanel::voice() const {
  return voice_->currentData().toString();
}

void SpeechPanel::setVoice(const QString& id) {
  wantedVoice_ = id;
  const int i = voice_->findData(id);
  if (i >= 0) voice_->setCurrentIndex(i);
}

int SpeechPanel::wordsPerMinute() const {
  return speed_->value();
}

void SpeechPanel::setWordsPerMinute(int wpm) {
  speed_->setValue(wpm);
}

QString SpeechPanel::text() const {
  return text_->toPlainText();
}

void SpeechPanel::setText(const QString& text) {
  text_->setPlainText(text);
}

}  // namespace studio
