// Tools > Model Manager: the engine's backend table (each stage's backends,
// whether this build has them and this installation can run them), then the
// model files: installed or missing, sizes, licences and how to get each one.
#pragma once

#include <QDialog>
#include <memory>
#include <vector>

#include "avatar/engine.h"

class QTextBrowser;
class QTreeWidget;

namespace studio {

class ModelManagerDialog : public QDialog {
  Q_OBJECT

 public:
  ModelManagerDialog(std::shared_ptr<const avatar::Engine> engine, QWidget* parent = nullptr);

  void refresh();
  int modelCount() const { return int(models_.size()); }
  int backendCount() const { return int(backends_.size()); }

 private:
  void showDetails(int index);

  std::shared_ptr<const avatar::Engine> engine_;
  std::vector<avatar::ModelInfo> models_;
  std::vector<avatar::BackendAvailability> backends_;
  QTreeWidget* backendTree_;
  QTreeWidget* tree_;
  QTextBrowser* details_;
};

QString formatBytes(qint64 bytes);

}  // namespace studio
