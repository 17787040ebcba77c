// Flags shared by `serve` and `mcp`: the job service's configuration.
#pragma once

#include <string>

#include "avatar_server/server.h"
#include "cli_args.h"

namespace app {

void addServiceFlags(ArgParser& p);
// Fills *config from the parsed flags; returns false with *error naming the flag.
bool serviceConfigFrom(const ArgParser& p, avatar::server::ServiceConfig* config,
                       std::string* error);
// A number flag within [min, max]; `fallback` when the flag is absent.
bool numberFlag(const ArgParser& p, const std::string& name, double min, double max,
                double fallback, double* out, std::string* error);

}  // namespace app
