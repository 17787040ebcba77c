// The render queue panel: where videos go, and one row per job with its
// progress bar, stage, time left, cancel, and open / show-in-folder when done.
#pragma once

#include <QHash>
#include <QWidget>

#include "RenderJob.h"

class QLabel;
class QLineEdit;
class QProgressBar;
class QToolButton;
class QVBoxLayout;

namespace studio {

class RenderQueue;

class RenderJobRow : public QWidget {
  Q_OBJECT

 public:
  RenderJobRow(RenderJob* job, QWidget* parent = nullptr);
  RenderJob* job() const { return job_; }
  void refresh();

 protected:
  void changeEvent(QEvent* event) override;

 Q_SIGNALS:
  void removeRequested(studio::RenderJob* job);

 private:
  RenderJob* job_;
  QLabel* icon_;
  QLabel* title_;
  QLabel* status_;
  QProgressBar* bar_;
  QToolButton* cancel_;
  QToolButton* open_;
  QToolButton* folder_;
  QToolButton* remove_;
};

class RenderQueueWidget : public QWidget {
  Q_OBJECT

 public:
  RenderQueueWidget(RenderQueue* queue, QWidget* parent = nullptr);

  QString outputFolder() const;
  void setOutputFolder(const QString& folder);
  RenderJobRow* rowFor(RenderJob* job) const { return rows_.value(job); }

 Q_SIGNALS:
  void outputFolderChanged(const QString& folder);

 private:
  void addRow(RenderJob* job);
  void removeRow(RenderJob* job);
  void updateEmptyHint();

  RenderQueue* queue_;
  QLineEdit* folder_;
  QVBoxLayout* list_;
  QLabel* emptyHint_;
  QHash<RenderJob*, RenderJobRow*> rows_;
};

}  // namespace studio
