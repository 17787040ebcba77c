// `avatar-renderer nets eval --net diff2lip|diff2lip_sample`: one Diff2Lip
// UNet evaluation, or the whole DDIM loop, on tensors from a safetensors file.
#pragma once

#include <string>

#include "avatar_nets/net_status.h"
#include "avatar_nets/nets.h"
#include "cli_args.h"

namespace app {

// Maps a NetStatus to an exit code (printing it); role: 0 weights, 1 inputs,
// 2 output, 3 run.
using NetsFail = int (*)(const avatar::nets::NetStatus&, int role);

// --net diff2lip: inputs x, t (int64), cond_img, mask, ref_img, mel -> out.
// --net diff2lip_sample: inputs noise, cond_img, mask, ref_img, mel -> sample
// (--steps N, default 25).
int runDiff2LipEval(const ArgParser& p, const avatar::nets::NetOptions& o,
                    const std::string& device, NetsFail fail);

}  // namespace app
