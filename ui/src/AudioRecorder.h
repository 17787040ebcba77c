// Records speech from the microphone to a WAV file (Qt Multimedia:
// QMediaCaptureSession + QAudioInput + QMediaRecorder, GStreamer on Linux).
// The capture objects are created on the first recording.
#pragma once

#include <QObject>
#include <QString>
#include <memory>

class QAudioInput;
class QMediaCaptureSession;
class QMediaRecorder;

namespace studio {

class AudioRecorder : public QObject {
  Q_OBJECT

 public:
  explicit AudioRecorder(QObject* parent = nullptr);
  ~AudioRecorder() override;

  static bool hasInputDevice();
  static QString inputDeviceName();
  bool isRecording() const { return recording_; }

  void start(const QString& wavPath);
  void stop();

 Q_SIGNALS:
  void started();
  void durationChanged(qint64 ms);
  void finished(const QString& path);
  void failed(const QString& reason);

 private:
  void ensureSession();

  QMediaCaptureSession* session_ = nullptr;
  QAudioInput* input_ = nullptr;
  QMediaRecorder* recorder_ = nullptr;
  bool recording_ = false;
  QString path_;
};

}  // namespace studio
