// Tools > Model Manager: which models are installed or missing, their files,
// sizes and licences, and how to get each one.
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

 private:
  void showDetails(int index);

  std::shared_ptr<const avatar::Engine> engine_;
  std::vector<avatar::ModelInfo> models_;
  QTreeWidget* tree_;
  QTextBrowser* details_;
};

QString formatBytes(qint64 bytes);

}  // namespace studio
