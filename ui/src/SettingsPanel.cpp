#include "SettingsPanel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include "EngineTypes.h"
#include "avatar/options_json.h"

namespace studio {

SettingsPanel::SettingsPanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("settingsPanel"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 8, 8, 8);
  layout->setSpacing(10);
  QHash<QString, QFormLayout*> forms;
  QStringList groupOrder;
  const auto fields = avatar::renderFieldInfo();
  for (const auto& info : fields) {
    if (info.requestField || info.name == "transcript") continue;  // speech panel owns it
    const QString name = fromUtf8(info.name);
    const QString group = fieldGroup(name);
    if (!forms.contains(group)) {
      auto* box = new QGroupBox(group, this);
      auto* form = new QFormLayout(box);
      form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
      form->setLabelAlignment(Qt::AlignLeft | Qt::AlignVCenter);
      forms.insert(group, form);
      groupOrder << group;
      layout->addWidget(box);
      if (name == QLatin1String("qualityMode") || name == QLatin1String("lipSync")) {
        availabilityNote_ = new QLabel(box);
        availabilityNote_->setObjectName(QStringLiteral("availabilityNote"));
        availabilityNote_->setWordWrap(true);
        availabilityNote_->setTextInteractionFlags(Qt::TextSelectableByMouse);
        availabilityNote_->setVisible(false);
        QFont small = availabilityNote_->font();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        availabilityNote_->setFont(small);
        availabilityNote_->setForegroundRole(QPalette::PlaceholderText);
      }
    }
    FieldEditor editor = makeFieldEditor(info, this, [this] { changed(); });
    forms[group]->addRow(fieldLabel(name), editor.widget);
    editors_.insert(name, editor);
    order_ << name;
  }
  if (availabilityNote_) {
    if (auto* form = forms.value(fieldGroup(QStringLiteral("lipSync")))) {
      form->addRow(availabilityNote_);
    }
  }
  layout->addStretch(1);
  setOptions(avatar::RenderOptions{});
}

bool SettingsPanel::readEditors(avatar::RenderOptions* out) const {
  QJsonObject json;
  for (const QString& name : order_) json.insert(name, editors_[name].get());
  const QByteArray text = QJsonDocument(json).toJson(QJsonDocument::Compact);
  *out = base_;
  return avatar::mergeRenderOptions(std::string_view(text.constData(), size_t(text.size())), out)
      .isOk();
}

avatar::RenderOptions SettingsPanel::options() const {
  avatar::RenderOptions out;
  return readEditors(&out) ? out : base_;
}

void SettingsPanel::setOptions(const avatar::RenderOptions& options) {
  base_ = options;
  const std::string text = avatar::renderOptionsToJson(options);
  const QJsonObject json = QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
  for (auto it = editors_.begin(); it != editors_.end(); ++it) {
    if (json.contains(it.key())) it->set(json.value(it.key()));
  }
}

void SettingsPanel::changed() {
  avatar::RenderOptions next;
  if (!readEditors(&next)) return;  // e.g. a half-typed colour; the editor keeps it
  base_ = next;
  Q_EMIT optionsChanged(next);
}

void SettingsPanel::setAvailability(const std::vector<ChoiceAvailability>& availability) {
  QStringList notes;
  QString modelsDir;
  for (const auto& a : availability) {
    auto it = editors_.find(a.field);
    if (it == editors_.end() || !it->combo) continue;
    auto* model = qobject_cast<QStandardItemModel*>(it->combo->model());
    const int row = it->combo->findData(a.choice);
    if (!model || row < 0) continue;
    QStandardItem* item = model->item(row);
    item->setEnabled(a.available);
    item->setToolTip(a.reason);
    const QString label = choiceLabel(a.field, a.choice);
    item->setText(a.available     ? label
                  : a.implemented ? tr("%1 (not installed)").arg(label)
                                  : tr("%1 (not in this build)").arg(label));
    if (!a.available && a.implemented && !a.missing.isEmpty()) {
      notes << QStringLiteral("&bull; %1: <code>%2</code>")
                   .arg(label.toHtmlEscaped(),
                        a.missing.join(QStringLiteral(", ")).toHtmlEscaped());
      modelsDir = a.modelsDir;
    }
  }
  if (availabilityNote_) {
    availabilityNote_->setText(
        tr("Not installed (disabled above):<br>%1<br>in <code>%2</code>. Tools &gt; Model Manager "
           "says how to get them.")
            .arg(notes.join(QStringLiteral("<br>")), modelsDir.toHtmlEscaped()));
    availabilityNote_->setVisible(!notes.isEmpty());
  }
}

QWidget* SettingsPanel::editor(const QString& field) const {
  auto it = editors_.find(field);
  return it == editors_.end() ? nullptr : it->widget;
}

}  // namespace studio
