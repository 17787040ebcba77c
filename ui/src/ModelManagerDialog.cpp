#include "ModelManagerDialog.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include "EngineTypes.h"
#include "Icons.h"

namespace studio {

QString formatBytes(qint64 bytes) {
  if (bytes < 1024) return QObject::tr("%1 B").arg(bytes);
  const double kb = double(bytes) / 1024;
  if (kb < 1024) return QObject::tr("%1 KiB").arg(kb, 0, 'f', 1);
  const double mb = kb / 1024;
  if (mb < 1024) return QObject::tr("%1 MiB").arg(mb, 0, 'f', 1);
  return QObject::tr("%1 GiB").arg(mb / 1024, 0, 'f', 2);
}

ModelManagerDialog::ModelManagerDialog(std::shared_ptr<const avatar::Engine> engine,
                                       QWidget* parent)
    : QDialog(parent), engine_(std::move(engine)) {
  setObjectName(QStringLiteral("modelManager"));
  setWindowTitle(tr("Model Manager"));
  resize(980, 600);
  auto* layout = new QVBoxLayout(this);
  auto* where = new QLabel(this);
  where->setTextInteractionFlags(Qt::TextSelectableByMouse);
  where->setText(
      tr("Models directory: <b>%1</b>")
          .arg(QDir::toNativeSeparators(fromEnginePath(engine_->modelsDir())).toHtmlEscaped()));
  layout->addWidget(where);
  auto* split = new QSplitter(Qt::Vertical, this);
  backendTree_ = new QTreeWidget(split);
  backendTree_->setObjectName(QStringLiteral("backendTree"));
  backendTree_->setHeaderLabels({tr("Backend"), tr("Stage"), tr("Status"), tr("Licence")});
  backendTree_->setRootIsDecorated(false);
  backendTree_->setAlternatingRowColors(true);
  backendTree_->header()->setStretchLastSection(true);
  backendTree_->setColumnWidth(0, 360);
  backendTree_->setColumnWidth(1, 110);
  backendTree_->setColumnWidth(2, 240);
  tree_ = new QTreeWidget(split);
  tree_->setObjectName(QStringLiteral("modelTree"));
  tree_->setHeaderLabels({tr("Model"), tr("Role"), tr("Status"), tr("Size"), tr("Licence")});
  tree_->setRootIsDecorated(true);
  tree_->setAlternatingRowColors(true);
  tree_->header()->setStretchLastSection(true);
  tree_->setColumnWidth(0, 360);
  tree_->setColumnWidth(1, 110);
  tree_->setColumnWidth(2, 150);
  tree_->setColumnWidth(3, 90);
  details_ = new QTextBrowser(split);
  details_->setObjectName(QStringLiteral("modelDetails"));
  details_->setOpenExternalLinks(true);
  split->addWidget(backendTree_);
  split->addWidget(tree_);
  split->addWidget(details_);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  split->setStretchFactor(2, 2);
  layout->addWidget(split, 1);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  auto* openDir = buttons->addButton(tr("Open Models Folder"), QDialogButtonBox::ActionRole);
  auto* again = buttons->addButton(tr("Check Again"), QDialogButtonBox::ActionRole);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(openDir, &QPushButton::clicked, this, [this] {
    QDesktopServices::openUrl(QUrl::fromLocalFile(fromEnginePath(engine_->modelsDir())));
  });
  connect(again, &QPushButton::clicked, this, &ModelManagerDialog::refresh);
  layout->addWidget(buttons);
  connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
    while (item && item->parent()) item = item->parent();
    if (item) showDetails(item->data(0, Qt::UserRole).toInt());
  });
  refresh();
}

void ModelManagerDialog::refresh() {
  backends_ = engine_->backends();
  backendTree_->clear();
  for (const auto& a : backends_) {
    const auto& b = a.backend;
    auto* item = new QTreeWidgetItem(backendTree_);
    item->setText(0,
                  fromUtf8(b.name) + QStringLiteral(" (") + fromUtf8(b.id) + QStringLiteral(")"));
    item->setData(0, Qt::UserRole, fromUtf8(b.id));
    item->setText(1, QString::fromLatin1(avatar::toString(b.role)));
    item->setData(1, Qt::UserRole, QString::fromLatin1(avatar::toString(b.role)));
    item->setText(2, a.usable         ? tr("Ready")
                     : !b.implemented ? tr("Not in this build")
                                      : tr("Weights missing"));
    item->setData(2, Qt::UserRole, a.usable);
    item->setIcon(2, themedIcon(a.usable ? QStringLiteral("done") : QStringLiteral("warning")));
    item->setToolTip(2, fromUtf8(a.reason));
    item->setText(3, fromUtf8(b.licence) + (b.commercialUse ? QString() : tr(" (non-commercial)")));
  }
  models_ = engine_->models();
  tree_->clear();
  for (int i = 0; i < int(models_.size()); ++i) {
    const auto& m = models_[size_t(i)];
    qint64 size = 0;
    int present = 0;
    for (const auto& f : m.files) {
      size += f.sizeBytes;
      present += f.present ? 1 : 0;
    }
    auto* item = new QTreeWidgetItem(tree_);
    item->setText(0, fromUtf8(m.name));
    item->setText(1, fromUtf8(m.role));
    item->setText(2, m.available()
                         ? tr("Installed")
                         : tr("Missing (%1 of %2 files)").arg(present).arg(m.files.size()));
    item->setIcon(2,
                  themedIcon(m.available() ? QStringLiteral("done") : QStringLiteral("warning")));
    item->setText(3, size > 0 ? formatBytes(size) : QStringLiteral("—"));
    item->setText(4, fromUtf8(m.licence) + (m.commercialUse ? QString() : tr(" (non-commercial)")));
    item->setData(0, Qt::UserRole, i);
    for (const auto& f : m.files) {
      auto* child = new QTreeWidgetItem(item);
      child->setText(0, fromEnginePath(f.relativePath));
      child->setText(2, f.present ? tr("Present") : tr("Missing"));
      child->setText(3, f.present ? formatBytes(f.sizeBytes) : QStringLiteral("—"));
      child->setToolTip(0, QDir::toNativeSeparators(fromEnginePath(f.path)));
    }
  }
  tree_->expandAll();
  if (tree_->topLevelItemCount() > 0) tree_->setCurrentItem(tree_->topLevelItem(0));
}

void ModelManagerDialog::showDetails(int index) {
  if (index < 0 || index >= int(models_.size())) return;
  const auto& m = models_[size_t(index)];
  QString html = QStringLiteral("<h3>%1</h3>").arg(fromUtf8(m.name).toHtmlEscaped());
  html += tr("<p><b>Id:</b> %1 &nbsp; <b>Role:</b> %2 &nbsp; <b>Licence:</b> %3 (%4)</p>")
              .arg(fromUtf8(m.id).toHtmlEscaped(), fromUtf8(m.role).toHtmlEscaped(),
                   fromUtf8(m.licence).toHtmlEscaped(),
                   m.commercialUse ? tr("commercial use allowed") : tr("no commercial use"));
  const QString source = fromUtf8(m.source).toHtmlEscaped();
  html += tr("<p><b>Source:</b> %1</p>")
              .arg(source.startsWith(QLatin1String("http"))
                       ? QStringLiteral("<a href=\"%1\">%1</a>").arg(source)
                       : source);
  html += tr("<p><b>How to get it:</b></p><pre>%1</pre>").arg(fromUtf8(m.howToGet).toHtmlEscaped());
  html += QStringLiteral("<p><b>%1</b></p><ul>").arg(tr("Files"));
  for (const auto& f : m.files) {
    html += QStringLiteral("<li><code>%1</code> — %2</li>")
                .arg(QDir::toNativeSeparators(fromEnginePath(f.path)).toHtmlEscaped(),
                     f.present ? formatBytes(f.sizeBytes) : tr("<b>missing</b>"));
  }
  html += QStringLiteral("</ul>");
  details_->setHtml(html);
}

}  // namespace studio
