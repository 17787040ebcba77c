// Files dropped on a widget: what the studio's drop targets share.
#pragma once

#include <QDragEnterEvent>

namespace studio {

// Accepts a drag that carries at least one local file.
void acceptLocalFileDrag(QDragEnterEvent* event);

}  // namespace studio
