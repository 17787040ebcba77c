// Shared by the `avatar-renderer nets` verbs (cli_nets.cpp) and the per-net
// eval files (cli_nets_fomm.cpp, ...).
#pragma once

#include <string>
#include <vector>

#include "avatar_nets/nets.h"
#include "avatar_nets/safetensors.h"
#include "cli_args.h"

namespace app {

// Which file a NetStatus concerns decides the exit code.
enum class NetRole { Weights, Inputs, Output, Run };

// Prints the error and returns its exit code.
int netsFail(const avatar::nets::NetStatus& s, NetRole role);

// Reads a float tensor and checks its shape after the batch dimension.
avatar::nets::NetStatus netsReadInput(const avatar::nets::SafetensorsFile& f,
                                      const std::string& name, const std::vector<int64_t>& tail,
                                      std::vector<int64_t>* shape, std::vector<float>* values);

// `nets eval --net fomm`: inputs source, driving -> prediction, keypoints, jacobians.
int runFommEval(const ArgParser& p, const avatar::nets::NetOptions& o,
                const avatar::nets::SafetensorsFile& in, const std::string& device);

}  // namespace app
