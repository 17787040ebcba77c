// The settings panel: every RenderOptions field, generated from the engine's
// schema and grouped (lip sync, motion, enhancement, output, encoding,
// device). A change emits optionsChanged() at once; the preview re-renders.
#pragma once

#include <QHash>
#include <QLabel>
#include <QWidget>
#include <vector>

#include "Availability.h"
#include "SettingsFields.h"
#include "avatar/options.h"
#include "avatar/status.h"

namespace studio {

class SettingsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit SettingsPanel(QWidget* parent = nullptr);

  // The options the panel shows. Fields it has no editor for (transcript)
  // keep the value last given to setOptions().
  avatar::RenderOptions options() const;
  void setOptions(const avatar::RenderOptions& options);
  // Disables unavailable choices and explains why.
  void setAvailability(const std::vector<ChoiceAvailability>& availability);
  // The editor of a field (tests, focus).
  QWidget* editor(const QString& field) const;

 Q_SIGNALS:
  void optionsChanged(const avatar::RenderOptions& options);

 private:
  void changed();
  // The editors' values merged onto base_; false when one is not valid.
  bool readEditors(avatar::RenderOptions* out) const;

  QHash<QString, FieldEditor> editors_;
  QStringList order_;
  avatar::RenderOptions base_;
  QLabel* availabilityNote_ = nullptr;
};

}  // namespace studio
