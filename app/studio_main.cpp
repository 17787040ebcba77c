// `avatar-renderer` with no arguments: the desktop studio (ui/).
#include <QApplication>
#include <QMessageBox>

#include "ErrorText.h"
#include "MainWindow.h"
#include "StudioApp.h"
#include "exit_codes.h"
#include "frontends.h"

namespace app {

int runStudio(int argc, char** argv) {
  studio::prepareApplication();
  QApplication qapp(argc, argv);
  studio::configureApplication();
  std::shared_ptr<const avatar::Engine> engine;
  if (avatar::Status s = studio::createEngine(&engine); !s) {
    QMessageBox::critical(nullptr, QObject::tr("Avatar Studio"), studio::ErrorText::describe(s));
    return kExitInternal;
  }
  studio::MainWindow window(engine);
  window.show();
  return qapp.exec();
}

}  // namespace app
