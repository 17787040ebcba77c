#include "AudioRecorder.h"

#include <QAudioDevice>
#include <QAudioInput>
#include <QFileInfo>
#include <QMediaCaptureSession>
#include <QMediaDevices>
#include <QMediaFormat>
#include <QMediaRecorder>
#include <QUrl>

namespace studio {

AudioRecorder::AudioRecorder(QObject* parent) : QObject(parent) {}
AudioRecorder::~AudioRecorder() = default;

bool AudioRecorder::hasInputDevice() {
  return !QMediaDevices::audioInputs().isEmpty();
}

QString AudioRecorder::inputDeviceName() {
  const QAudioDevice device = QMediaDevices::defaultAudioInput();
  return device.isNull() ? QString() : device.description();
}

void AudioRecorder::ensureSession() {
  if (session_) return;
  session_ = new QMediaCaptureSession(this);
  input_ = new QAudioInput(this);
  recorder_ = new QMediaRecorder(this);
  session_->setAudioInput(input_);
  session_->setRecorder(recorder_);
  QMediaFormat format;
  format.setFileFormat(QMediaFormat::Wave);
  format.setAudioCodec(QMediaFormat::AudioCodec::Wave);
  recorder_->setMediaFormat(format);
  recorder_->setQuality(QMediaRecorder::HighQuality);
  connect(recorder_, &QMediaRecorder::durationChanged, this, &AudioRecorder::durationChanged);
  connect(recorder_, &QMediaRecorder::errorOccurred, this,
          [this](QMediaRecorder::Error, const QString& message) {
            recording_ = false;
            Q_EMIT failed(message.isEmpty() ? tr("The recording failed.") : message);
          });
  connect(recorder_, &QMediaRecorder::recorderStateChanged, this,
          [this](QMediaRecorder::RecorderState state) {
            if (state == QMediaRecorder::RecordingState) {
              Q_EMIT started();
              return;
            }
            if (state != QMediaRecorder::StoppedState || !recording_) return;
            recording_ = false;
            QString path = recorder_->actualLocation().toLocalFile();
            if (path.isEmpty()) path = path_;
            if (QFileInfo(path).size() > 44) {
              Q_EMIT finished(path);
            } else {
              Q_EMIT failed(tr("Nothing was recorded from %1.").arg(inputDeviceName()));
            }
          });
}

void AudioRecorder::start(const QString& wavPath) {
  if (recording_) return;
  if (!hasInputDevice()) {
    Q_EMIT failed(tr("No microphone was found."));
    return;
  }
  ensureSession();
  input_->setDevice(QMediaDevices::defaultAudioInput());
  path_ = wavPath;
  recorder_->setOutputLocation(QUrl::fromLocalFile(wavPath));
  recording_ = true;
  recorder_->record();
}

void AudioRecorder::stop() {
  if (recorder_ && recording_) recorder_->stop();
}

}  // namespace studio
