// Loading a safetensors file against a net's official key list.
#include <cstring>
#include <set>
#include <sstream>

#include "avatar_nets/safetensors.h"
#include "torch_util.h"

namespace avatar::nets::detail {
namespace {

constexpr size_t kListed = 12;  // names listed per category; the rest counted

std::string shapeText(const std::vector<int64_t>& s) {
  std::string t = "(";
  for (size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + (s.size() == 1 ? ",)" : ")");
}

void appendList(std::ostringstream& out, const char* what, const std::vector<std::string>& items) {
  if (items.empty()) return;
  if (out.tellp() > 0) out << "; ";
  out << items.size() << " " << what << ": ";
  for (size_t i = 0; i < items.size() && i < kListed; ++i) out << (i ? ", " : "") << items[i];
  if (items.size() > kListed) out << ", ... (" << items.size() - kListed << " more)";
}

torch::ScalarType torchType(DType d) {
  switch (d) {
    case DType::F64:
      return torch::kDouble;
    case DType::F32:
      return torch::kFloat;
    case DType::F16:
      return torch::kHalf;
    case DType::BF16:
      return torch::kBFloat16;
    case DType::I64:
      return torch::kLong;
    case DType::I32:
      return torch::kInt;
    case DType::I16:
      return torch::kShort;
    case DType::I8:
      return torch::kChar;
    case DType::U8:
      return torch::kByte;
    case DType::Bool:
      return torch::kBool;
  }
  return torch::kFloat;
}

bool dtypeAccepted(DType expected, DType actual) {
  if (expected == DType::I64) return actual == DType::I64 || actual == DType::I32;
  return isFloatingDType(actual);
}

}  // namespace

NetStatus loadWeights(const std::string& path, NetKind kind, TensorMap* out) {
  std::unique_ptr<SafetensorsFile> file;
  if (NetStatus s = SafetensorsFile::open(path, &file); !s) return s;
  const auto& header = file->header();
  const std::string net = netName(kind);
  if (auto it = header.metadata.find("model"); it != header.metadata.end() && it->second != net) {
    return NetStatus::error(NetError::WeightsMismatch, path,
                            "holds weights of model '" + it->second + "', not " + net);
  }
  const auto& specs = weightSpecs(kind);
  std::set<std::string> expected;
  for (const auto& s : specs) expected.insert(s.name);
  std::vector<std::string> missing, unexpected, wrongShape, wrongType;
  bool modulePrefix = false;
  for (const auto& t : header.tensors) {
    if (!expected.count(t.name)) {
      unexpected.push_back(t.name);
      modulePrefix = modulePrefix || t.name.rfind("module.", 0) == 0;
    }
  }
  for (const auto& s : specs) {
    const TensorEntry* t = header.find(s.name);
    if (!t) {
      missing.push_back(s.name);
    } else if (t->shape != s.shape) {
      wrongShape.push_back(s.name + " is " + shapeText(t->shape) + ", expected " +
                           shapeText(s.shape));
    } else if (!dtypeAccepted(s.dtype, t->dtype)) {
      wrongType.push_back(s.name + " is " + dtypeName(t->dtype) + ", expected " +
                          (s.dtype == DType::I64 ? "I64" : "F32 (or F16/BF16/F64)"));
    }
  }
  if (!missing.empty() || !unexpected.empty() || !wrongShape.empty() || !wrongType.empty()) {
    std::ostringstream msg;
    appendList(msg, "missing keys", missing);
    appendList(msg, "unexpected keys", unexpected);
    appendList(msg, "wrong shapes", wrongShape);
    appendList(msg, "wrong dtypes", wrongType);
    std::string text = "not " + net + " weights: " + msg.str();
    if (modulePrefix)
      text += " (keys start with 'module.': convert with scripts/convert_checkpoint.py)";
    return NetStatus::error(NetError::WeightsMismatch, path, text);
  }
  return guarded(path, [&] {
    TensorMap map;
    for (const auto& s : specs) {
      const TensorEntry& t = *header.find(s.name);
      torch::Tensor raw = torch::empty(t.shape, torch::TensorOptions().dtype(torchType(t.dtype)));
      if (t.end > t.begin) std::memcpy(raw.data_ptr(), file->data(t), size_t(t.end - t.begin));
      torch::Tensor v = s.dtype == DType::I64 ? raw.to(torch::kLong) : raw.to(torch::kFloat);
      if (s.dtype != DType::I64 && !torch::isfinite(v).all().item<bool>()) {
        return NetStatus::error(NetError::InvalidWeights, path,
                                "tensor '" + s.name + "' holds NaN or infinite values");
      }
      map[s.name] = v;
    }
    *out = std::move(map);
    return NetStatus::ok();
  });
}

}  // namespace avatar::nets::detail
