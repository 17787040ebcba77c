// Entry points of the Qt front-ends. Each is compiled only when its module is
// built (AVATAR_BUILD_UI / AVATAR_BUILD_SERVER); otherwise a stand-in says so.
#pragma once

namespace app {

int runStudio(int argc, char** argv);  // no arguments: the desktop studio
int runServe(int argc, char** argv);   // REST server
int runMcp(int argc, char** argv);     // MCP stdio server
int runWorker(int argc, char** argv);  // render worker on a Redis stream

}  // namespace app
