// Headless subcommands of avatar-renderer. Each returns a process exit code.
#pragma once

namespace app {

int runRender(int argc, char** argv);  // avatar-renderer render ...
int runModels(int argc, char** argv);  // avatar-renderer models ...
int runSchema(int argc, char** argv);  // avatar-renderer schema ...

}  // namespace app
