#include "FileDrops.h"

#include <QMimeData>
#include <QUrl>

namespace studio {

void acceptLocalFileDrag(QDragEnterEvent* event) {
  const QMimeData* mime = event->mimeData();
  if (!mime->hasUrls()) return;
  for (const QUrl& url : mime->urls()) {
    if (url.isLocalFile()) {
      event->acceptProposedAction();
      return;
    }
  }
}

}  // namespace studio
