// FOMM's official key list, from the layer table.
#include "fomm_arch.h"

namespace avatar::nets::detail {
namespace {

void add(std::vector<WeightSpec>& out, std::string name, std::vector<int64_t> shape,
         DType d = DType::F32) {
  out.push_back({std::move(name), std::move(shape), d});
}

void addNorm(std::vector<WeightSpec>& out, const std::string& p, int64_t c) {
  for (const char* s : {".weight", ".bias", ".running_mean", ".running_var"}) add(out, p + s, {c});
  add(out, p + ".num_batches_tracked", {}, DType::I64);
}

void addConv(std::vector<WeightSpec>& out, const FommConv& c) {
  add(out, c.conv + ".weight", {c.cout, c.cin, c.kernel, c.kernel});
  add(out, c.conv + ".bias", {c.cout});
  if (!c.norm.empty()) addNorm(out, c.norm, c.cout);
}

void addHourglass(std::vector<WeightSpec>& out, const FommHourglass& h) {
  for (const auto& c : h.down) addConv(out, c);
  for (const auto& c : h.up) addConv(out, c);
}

void addDown(std::vector<WeightSpec>& out, const std::string& name) {
  add(out, name, {kFommChannels, 1, kFommDownKernel, kFommDownKernel});
}

}  // namespace

std::vector<WeightSpec> fommSpecs() {
  const FommArch& a = fommArch();
  std::vector<WeightSpec> out;
  addHourglass(out, a.dmHourglass);
  addConv(out, a.mask);
  addConv(out, a.occlusion);
  addDown(out, a.dmDown);
  addConv(out, a.first);
  for (const auto& c : a.down) addConv(out, c);
  for (const auto& c : a.up) addConv(out, c);
  for (const auto& r : a.bottleneck) {
    addConv(out, r.conv1);
    addConv(out, r.conv2);
    addNorm(out, r.norm1, r.conv1.cin);
    addNorm(out, r.norm2, r.conv2.cin);
  }
  addConv(out, a.final);
  addHourglass(out, a.kpHourglass);
  addConv(out, a.kp);
  addConv(out, a.jacobian);
  addDown(out, a.kpDown);
  return out;
}

}  // namespace avatar::nets::detail
