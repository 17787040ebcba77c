// Engine error codes in the user's words. The engine produces no translated
// text (status.h); every ErrorCode has a tr() headline here.
#pragma once

#include <QCoreApplication>
#include <QString>

#include "avatar/status.h"

namespace studio {

class ErrorText {
  Q_DECLARE_TR_FUNCTIONS(ErrorText)

 public:
  // One sentence saying what went wrong and what to do.
  static QString headline(avatar::ErrorCode code);
  // The engine's technical detail: "<subject>: <detail>" with context.
  static QString detail(const avatar::Status& status);
  // headline + detail on two lines.
  static QString describe(const avatar::Status& status);
};

}  // namespace studio
