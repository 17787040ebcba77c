#include "SettingsFields.h"

#include <QColorDialog>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <cmath>

#include "EngineTypes.h"

namespace studio {
namespace {

QString tr(const char* text) {
  return QCoreApplication::translate("studio::SettingsPanel", text);
}

constexpr int kSliderSteps = 1000;

FieldEditor choiceEditor(const avatar::RenderFieldInfo& info, QWidget* parent,
                         const std::function<void()>& onChange) {
  FieldEditor e;
  auto* combo = new QComboBox(parent);
  const QString name = fromUtf8(info.name);
  for (const auto& c : info.choices) {
    const QString value = fromUtf8(c);
    combo->addItem(choiceLabel(name, value), value);
  }
  QObject::connect(combo, &QComboBox::currentIndexChanged, combo, [onChange] { onChange(); });
  e.widget = combo;
  e.combo = combo;
  e.get = [combo] { return QJsonValue(combo->currentData().toString()); };
  e.set = [combo](const QJsonValue& v) {
    const QSignalBlocker block(combo);
    const int i = combo->findData(v.toString());
    if (i >= 0) combo->setCurrentIndex(i);
  };
  combo->setObjectName(QStringLiteral("field_") + name);
  return e;
}

// A slider next to a spin box; both edit one value. `scale` maps the value to
// slider steps so number fields get fine control.
FieldEditor rangeEditor(const avatar::RenderFieldInfo& info, QWidget* parent,
                        const std::function<void()>& onChange) {
  FieldEditor e;
  const QString name = fromUtf8(info.name);
  const bool integer = info.type == "integer";
  const double lo = info.minimum, hi = info.maximum;
  auto* box = new QWidget(parent);
  auto* row = new QHBoxLayout(box);
  row->setContentsMargins(0, 0, 0, 0);
  auto* slider = new QSlider(Qt::Horizontal, box);
  slider->setObjectName(QStringLiteral("slider_") + name);
  auto* spin = new QDoubleSpinBox(box);
  spin->setObjectName(QStringLiteral("field_") + name);
  spin->setRange(lo, hi);
  spin->setDecimals(integer ? 0 : 2);
  spin->setSingleStep(integer ? 1 : std::max(0.01, (hi - lo) / 100));
  spin->setKeyboardTracking(false);
  spin->setMinimumWidth(84);
  if (integer && lo == 0 && (name == QLatin1String("width") || name == QLatin1String("height"))) {
    spin->setSpecialValueText(tr("Auto"));
  }
  const bool stepped = !integer || (hi - lo) > kSliderSteps;
  slider->setRange(stepped ? 0 : int(lo), stepped ? kSliderSteps : int(hi));
  auto toSlider = [=](double v) {
    return stepped ? int(std::lround((v - lo) / (hi - lo) * kSliderSteps)) : int(std::lround(v));
  };
  auto fromSlider = [=](int s) {
    double v = stepped ? lo + (hi - lo) * s / kSliderSteps : double(s);
    return integer ? std::round(v) : v;
  };
  QObject::connect(slider, &QSlider::valueChanged, box, [=](int s) {
    const double v = fromSlider(s);
    if (std::abs(spin->value() - v) < 1e-9) return;
    {
      const QSignalBlocker block(spin);
      spin->setValue(v);
    }
    onChange();
  });
  QObject::connect(spin, &QDoubleSpinBox::valueChanged, box, [=](double v) {
    {
      const QSignalBlocker block(slider);
      slider->setValue(toSlider(v));
    }
    onChange();
  });
  row->addWidget(slider, 1);
  row->addWidget(spin);
  e.widget = box;
  e.get = [spin, integer] {
    return integer ? QJsonValue(qint64(std::llround(spin->value()))) : QJsonValue(spin->value());
  };
  e.set = [spin, slider, toSlider](const QJsonValue& v) {
    const QSignalBlocker b1(spin), b2(slider);
    spin->setValue(v.toDouble());
    slider->setValue(toSlider(spin->value()));
  };
  return e;
}

FieldEditor spinEditor(const avatar::RenderFieldInfo& info, QWidget* parent,
                       const std::function<void()>& onChange) {
  FieldEditor e;
  auto* spin = new QDoubleSpinBox(parent);  // doubles hold the whole uint32 seed range
  spin->setObjectName(QStringLiteral("field_") + fromUtf8(info.name));
  spin->setRange(info.minimum, info.maximum);
  spin->setDecimals(0);
  spin->setKeyboardTracking(false);
  if (info.name == "faceIndex") spin->setSpecialValueText(tr("Largest face"));
  QObject::connect(spin, &QDoubleSpinBox::valueChanged, spin, [onChange] { onChange(); });
  e.widget = spin;
  e.get = [spin] { return QJsonValue(qint64(std::llround(spin->value()))); };
  e.set = [spin](const QJsonValue& v) {
    const QSignalBlocker block(spin);
    spin->setValue(v.toDouble());
  };
  return e;
}

void paintSwatch(QToolButton* button, const QString& color) {
  QPixmap pm(18, 18);
  pm.fill(QColor(color));
  button->setIcon(QIcon(pm));
}

FieldEditor colourEditor(const avatar::RenderFieldInfo& info, QWidget* parent,
                         const std::function<void()>& onChange) {
  FieldEditor e;
  auto* box = new QWidget(parent);
  auto* row = new QHBoxLayout(box);
  row->setContentsMargins(0, 0, 0, 0);
  auto* swatch = new QToolButton(box);
  swatch->setToolTip(tr("Choose a colour"));
  auto* edit = new QLineEdit(box);
  edit->setObjectName(QStringLiteral("field_") + fromUtf8(info.name));
  edit->setValidator(new QRegularExpressionValidator(
      QRegularExpression(QStringLiteral("^#[0-9a-fA-F]{6}$")), edit));
  QObject::connect(edit, &QLineEdit::editingFinished, box, [=] {
    paintSwatch(swatch, edit->text());
    onChange();
  });
  QObject::connect(swatch, &QToolButton::clicked, box, [=] {
    const QColor c = QColorDialog::getColor(QColor(edit->text()), box, tr("Background colour"));
    if (!c.isValid()) return;
    edit->setText(c.name());
    paintSwatch(swatch, c.name());
    onChange();
  });
  row->addWidget(swatch);
  row->addWidget(edit, 1);
  e.widget = box;
  e.get = [edit] { return QJsonValue(edit->text().toLower()); };
  e.set = [edit, swatch](const QJsonValue& v) {
    const QSignalBlocker block(edit);
    edit->setText(v.toString());
    paintSwatch(swatch, v.toString());
  };
  return e;
}

FieldEditor textEditor(const avatar::RenderFieldInfo& info, QWidget* parent,
                       const std::function<void()>& onChange) {
  FieldEditor e;
  auto* edit = new QLineEdit(parent);
  edit->setObjectName(QStringLiteral("field_") + fromUtf8(info.name));
  QObject::connect(edit, &QLineEdit::editingFinished, edit, [onChange] { onChange(); });
  e.widget = edit;
  e.get = [edit] { return QJsonValue(edit->text()); };
  e.set = [edit](const QJsonValue& v) {
    const QSignalBlocker block(edit);
    edit->setText(v.toString());
  };
  return e;
}

}  // namespace

FieldEditor makeFieldEditor(const avatar::RenderFieldInfo& info, QWidget* parent,
                            const std::function<void()>& onChange) {
  FieldEditor e;
  if (!info.choices.empty()) {
    e = choiceEditor(info, parent, onChange);
  } else if (info.name == "background") {
    e = colourEditor(info, parent, onChange);
  } else if ((info.type == "integer" || info.type == "number") && info.maximum > info.minimum) {
    const bool wide = info.maximum - info.minimum > 100000 || info.name == "faceIndex";
    e = wide ? spinEditor(info, parent, onChange) : rangeEditor(info, parent, onChange);
  } else {
    e = textEditor(info, parent, onChange);
  }
  e.info = info;
  e.widget->setToolTip(fromUtf8(info.description));
  return e;
}

QString fieldLabel(const QString& name) {
  static const QHash<QString, const char*> labels = {
      {QStringLiteral("qualityMode"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Quality")},
      {QStringLiteral("lipSync"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Lip-sync backend")},
      {QStringLiteral("mouthGain"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Mouth gain")},
      {QStringLiteral("smoothingMs"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Smoothing (ms)")},
      {QStringLiteral("headMotion"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Head motion")},
      {QStringLiteral("motionScale"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Motion scale")},
      {QStringLiteral("blinksPerMinute"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "Blinks per minute")},
      {QStringLiteral("motionBackend"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "Motion backend")},
      {QStringLiteral("driverLoop"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "Driver shorter than speech")},
      {QStringLiteral("driverMouth"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Mouth follows")},
      {QStringLiteral("driverReference"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "Driver reference frame")},
      {QStringLiteral("fommMovement"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "FOMM movement")},
      {QStringLiteral("fommScale"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "FOMM scale")},
      {QStringLiteral("seed"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Random seed")},
      {QStringLiteral("faceIndex"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Face")},
      {QStringLiteral("enhancer"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Enhancer")},
      {QStringLiteral("enhancerStrength"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Strength")},
      {QStringLiteral("fps"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Frames per second")},
      {QStringLiteral("width"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Width")},
      {QStringLiteral("height"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Height")},
      {QStringLiteral("maxSidePx"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Longest side")},
      {QStringLiteral("fit"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Fit")},
      {QStringLiteral("background"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Background")},
      {QStringLiteral("encoder"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Codec")},
      {QStringLiteral("crf"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Quality (CRF)")},
      {QStringLiteral("preset"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Encoder speed")},
      {QStringLiteral("audioBitrateKbps"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "Audio bitrate (kb/s)")},
      {QStringLiteral("device"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Compute device")},
      {QStringLiteral("licence"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Licences allowed")},
  };
  if (auto it = labels.find(name); it != labels.end()) return tr(*it);
  QString out;  // camelCase -> "Camel case" for fields added later
  for (QChar c : name) {
    if (c.isUpper() && !out.isEmpty()) out += QLatin1Char(' ');
    out += out.isEmpty() ? c.toUpper() : c.toLower();
  }
  return out;
}

QString choiceLabel(const QString& field, const QString& choice) {
  static const QHash<QString, const char*> labels = {
      {QStringLiteral("auto"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Auto")},
      {QStringLiteral("real_time"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Real time")},
      {QStringLiteral("high_quality"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "High quality")},
      {QStringLiteral("builtin"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Built-in")},
      {QStringLiteral("wav2lip"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Wav2Lip")},
      {QStringLiteral("diff2lip"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Diff2Lip")},
      {QStringLiteral("fomm"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "FOMM (First-Order Motion)")},
      {QStringLiteral("pingpong"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "Ping-pong (back and forth)")},
      {QStringLiteral("loop"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Loop from the start")},
      {QStringLiteral("hold"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Hold the last frame")},
      {QStringLiteral("audio"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "The speech (lip sync)")},
      {QStringLiteral("video"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "The driver's mouth")},
      {QStringLiteral("first"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "First frame with a face")},
      {QStringLiteral("best"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "Best match to the photo")},
      {QStringLiteral("relative"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "Relative to the reference")},
      {QStringLiteral("absolute"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Absolute")},
      {QStringLiteral("adapt"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "Adapt to the face size")},
      {QStringLiteral("none"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "None")},
      {QStringLiteral("gfpgan"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "GFPGAN")},
      {QStringLiteral("natural"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Natural")},
      {QStringLiteral("still"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Still")},
      {QStringLiteral("cover"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Cover (crop)")},
      {QStringLiteral("contain"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Contain (pad)")},
      {QStringLiteral("libx264"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "H.264, libx264 (CPU)")},
      {QStringLiteral("h264_nvenc"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "H.264, NVENC (NVIDIA)")},
      {QStringLiteral("cpu"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "CPU")},
      {QStringLiteral("cuda"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "CUDA (NVIDIA GPU)")},
      {QStringLiteral("any"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Any (incl. research)")},
      {QStringLiteral("commercial"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "Commercial use only")},
  };
  if (field == QLatin1String("preset")) return choice;
  if (auto it = labels.find(choice); it != labels.end()) return tr(*it);
  return choice;
}

QString fieldGroup(const QString& name) {
  static const QHash<QString, const char*> groups = {
      {QStringLiteral("qualityMode"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Lip sync")},
      {QStringLiteral("lipSync"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Lip sync")},
      {QStringLiteral("mouthGain"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Lip sync")},
      {QStringLiteral("smoothingMs"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Lip sync")},
      {QStringLiteral("headMotion"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Motion")},
      {QStringLiteral("motionScale"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Motion")},
      {QStringLiteral("blinksPerMinute"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Motion")},
      {QStringLiteral("seed"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Motion")},
      {QStringLiteral("faceIndex"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Motion")},
      {QStringLiteral("motionBackend"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Motion")},
      {QStringLiteral("driverLoop"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Driver video")},
      {QStringLiteral("driverMouth"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Driver video")},
      {QStringLiteral("driverReference"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "Driver video")},
      {QStringLiteral("fommMovement"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Driver video")},
      {QStringLiteral("fommScale"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Driver video")},
      {QStringLiteral("enhancer"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Enhancement")},
      {QStringLiteral("enhancerStrength"),
       QT_TRANSLATE_NOOP("studio::SettingsPanel", "Enhancement")},
      {QStringLiteral("fps"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Output")},
      {QStringLiteral("width"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Output")},
      {QStringLiteral("height"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Output")},
      {QStringLiteral("maxSidePx"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Output")},
      {QStringLiteral("fit"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Output")},
      {QStringLiteral("background"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Output")},
      {QStringLiteral("encoder"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Encoding")},
      {QStringLiteral("crf"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Encoding")},
      {QStringLiteral("preset"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Encoding")},
      {QStringLiteral("audioBitrateKbps"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Encoding")},
      {QStringLiteral("device"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Device")},
      {QStringLiteral("licence"), QT_TRANSLATE_NOOP("studio::SettingsPanel", "Lip sync")},
  };
  if (auto it = groups.find(name); it != groups.end()) return tr(*it);
  return tr("Other");
}

}  // namespace studio
