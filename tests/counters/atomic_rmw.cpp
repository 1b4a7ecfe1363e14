#include "atomic_rmw.hpp"

#include <regex>

namespace rcbench::testing {
namespace {

// The acquire/release letters of an aarch64 mnemonic: "a", "l", "al" or none.
RmwOrder order_of_suffix(const std::string& suffix) {
  if (suffix == "a") return RmwOrder::acquire;
  if (suffix == "l") return RmwOrder::release;
  if (suffix == "al") return RmwOrder::acq_rel;
  return RmwOrder::relaxed;
}

// libgcc's helper names end in the order: _relax, _acq, _rel, _acq_rel, _sync.
RmwOrder order_of_helper(const std::string& order) {
  if (order == "acq") return RmwOrder::acquire;
  if (order == "rel") return RmwOrder::release;
  if (order == "acq_rel") return RmwOrder::acq_rel;
  if (order == "sync") return RmwOrder::full_barrier;
  return RmwOrder::relaxed;
}

const std::regex kLse(
    "(ldadd|ldclr|ldeor|ldset|ldsmax|ldsmin|ldumax|ldumin|swp|casp|cas|"
    "stadd|stclr|steor|stset|stsmax|stsmin|stumax|stumin)(al|a|l)?(b|h)?");
const std::regex kStoreExclusive("st(l?)x(r[bh]?|p)");
const std::regex kLoadExclusive("ld(a?)x(r[bh]?|p)");
const std::regex kOutlineHelper("__aarch64_(cas|swp|ldadd|ldclr|ldeor|ldset)(1|2|4|8|16)_(relax|acq_rel|acq|rel|sync)");

}  // namespace

std::vector<AtomicRmw> atomic_rmws(const Code& code) {
  std::vector<AtomicRmw> found;
  bool acquire_load = false;  // the last load-exclusive was ldaxr (the loop's acquire half)
  std::smatch m;
  for (const Instruction& insn : code) {
    const std::string& op = insn.mnemonic;
    if (op == "lock" || (op.rfind("xchg", 0) == 0 && insn.operands.find("(%") != std::string::npos)) {
      found.push_back({RmwForm::lock, RmwOrder::full_barrier, insn.text()});
    } else if (std::regex_match(op, m, kLse)) {
      found.push_back({RmwForm::lse, order_of_suffix(m[2]), insn.text()});
    } else if (std::regex_match(op, m, kLoadExclusive)) {
      acquire_load = m[1] == "a";
    } else if (std::regex_match(op, m, kStoreExclusive)) {
      const bool release = m[1] == "l";
      const RmwOrder order = acquire_load ? (release ? RmwOrder::acq_rel : RmwOrder::acquire)
                                          : (release ? RmwOrder::release : RmwOrder::relaxed);
      found.push_back({RmwForm::llsc, order, insn.text()});
    } else if ((op == "bl" || op == "b") && std::regex_match(insn.target, m, kOutlineHelper)) {
      found.push_back({RmwForm::outline, order_of_helper(m[3]), insn.text()});
    }
  }
  return found;
}

const char* form_name(RmwForm form) {
  switch (form) {
    case RmwForm::lock: return "lock";
    case RmwForm::lse: return "lse";
    case RmwForm::llsc: return "llsc";
    case RmwForm::outline: return "outline";
  }
  return "?";
}

const char* order_name(RmwOrder order) {
  switch (order) {
    case RmwOrder::relaxed: return "relaxed";
    case RmwOrder::acquire: return "acquire";
    case RmwOrder::release: return "release";
    case RmwOrder::acq_rel: return "acq_rel";
    case RmwOrder::full_barrier: return "full barrier";
  }
  return "?";
}

}  // namespace rcbench::testing
