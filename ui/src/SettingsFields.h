// One editor widget per RenderOptions field, generated from the engine's
// schema (avatar::renderFieldInfo()): combo boxes for choices, a slider with
// a spin box for bounded numbers, a colour field for the background. Values
// travel as JSON, the same form the CLI, REST and MCP use.
#pragma once

#include <QJsonValue>
#include <QString>
#include <QWidget>
#include <functional>

#include "avatar/options_json.h"

class QComboBox;

namespace studio {

struct FieldEditor {
  avatar::RenderFieldInfo info;
  QWidget* widget = nullptr;                   // goes into the form
  QComboBox* combo = nullptr;                  // set for choice fields
  std::function<QJsonValue()> get;             // the current value as JSON
  std::function<void(const QJsonValue&)> set;  // sets without emitting a change
};

// `onChange` runs when the user changes the value.
FieldEditor makeFieldEditor(const avatar::RenderFieldInfo& info, QWidget* parent,
                            const std::function<void()>& onChange);

// Readable names for fields and choices ("mouthGain" -> "Mouth gain").
QString fieldLabel(const QString& name);
QString choiceLabel(const QString& field, const QString& choice);
// The settings group a field belongs to ("Lip sync", "Motion", ...).
QString fieldGroup(const QString& name);

}  // namespace studio
