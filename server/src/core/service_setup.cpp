#include "core/service_setup.h"

#include <unistd.h>
#include <QSocketNotifier>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "avatar/log.h"

namespace avatar::server {
namespace {

int gSignalPipe[2] = {-1, -1};

void onSignal(int) {
  const char byte = 1;
  [[maybe_unused]] const auto n = ::write(gSignalPipe[1], &byte, 1);
}

}  // namespace

std::unique_ptr<QCoreApplication> makeHeadlessApp() {
  static int argc = 1;
  static char name[] = "avatar-renderer";
  static char* argv[] = {name, nullptr};
  auto app = std::make_unique<QCoreApplication>(argc, argv);
  std::signal(SIGPIPE, SIG_IGN);
  if (gSignalPipe[0] < 0 && ::pipe(gSignalPipe) == 0) {
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
  }
  auto* notifier = new QSocketNotifier(gSignalPipe[0], QSocketNotifier::Read, app.get());
  QObject::connect(notifier, &QSocketNotifier::activated, app.get(), [] {
    char byte;
    [[maybe_unused]] const auto n = ::read(gSignalPipe[0], &byte, 1);
    avatar::log(avatar::LogLevel::Info, "signal received: shutting down");
    QCoreApplication::quit();
  });
  return app;
}

std::string defaultDataDir(const std::string& frontEnd) {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/avatar-renderer/" + frontEnd;
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : "/tmp") + "/.local/share/avatar-renderer/" + frontEnd;
}

std::shared_ptr<const avatar::Engine> createEngine(const avatar::EngineConfig& config) {
  std::shared_ptr<const avatar::Engine> engine;
  if (avatar::Status s = avatar::Engine::create(config, &engine); !s) {
    std::fprintf(stderr, "avatar-renderer: cannot start the engine: %s\n", s.message().c_str());
    return nullptr;
  }
  return engine;
}

}  // namespace avatar::server
