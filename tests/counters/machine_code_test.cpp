// The honesty check on the hot paths' machine code: plain's increment and
// decrement carry no `lock` prefix (an unlocked RMW, as Py_INCREF with the GIL),
// atomic's do, and biased counting's owner path stays unlocked: its incref has
// exactly one locked instruction (the non-owner branch) and its decref none (both
// slow paths are out-of-line calls, as in CPython). The probe object is
// disassembled with objdump at test time.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "counters/atomic.hpp"
#include "counters/biased.hpp"
#include "counters/plain.hpp"
#include "workloads/workload.hpp"

using rcbench::counters::Drop;

extern "C" {
void rcbench_probe_plain_block(rcbench::counters::Plain::Object*, rcbench::counters::Plain::Thread*);
void rcbench_probe_plain_incref(rcbench::counters::Plain::Object*, rcbench::counters::Plain::Thread*);
Drop rcbench_probe_plain_decref(rcbench::counters::Plain::Object*, rcbench::counters::Plain::Thread*);
}

namespace {

// function name -> its instructions, from `objdump -d` of the probe object.
std::map<std::string, std::vector<std::string>> disassemble(const std::string& objdump,
                                                            const std::string& object) {
  const std::string command = "'" + objdump + "' -d --no-show-raw-insn '" + object + "' 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("cannot run: " + command);
  std::map<std::string, std::vector<std::string>> functions;
  std::vector<std::string>* current = nullptr;
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()) != nullptr) {
    const std::string line(buffer.data());
    const auto open = line.find(" <");
    const auto close = line.find(">:");
    if (open != std::string::npos && close != std::string::npos && close > open) {
      current = &functions[line.substr(open + 2, close - open - 2)];
    } else if (current != nullptr && line.find(':') != std::string::npos && line.size() > 1) {
      // "   4:	lock addq $0x1,(%rdi)": the instruction follows the first tab after ':'.
      const auto tab = line.find('\t', line.find(':'));
      if (tab != std::string::npos) current->push_back(line.substr(tab + 1));
    }
  }
  return functions;
}

std::string mnemonic(const std::string& insn) {
  std::istringstream words(insn);
  std::string first;
  words >> first;
  return first;
}

// The straight-line path a block runs when every branch goes the expected way: the
// instructions from the entry up to the first `ret` (cold paths are laid out after it).
std::vector<std::string> hot_path(const std::vector<std::string>& code) {
  std::vector<std::string> hot;
  for (const std::string& insn : code) {
    if (mnemonic(insn) == "ret") return hot;
    hot.push_back(insn);
  }
  throw std::runtime_error("no ret in the block");
}

// How many instructions of `code` have each mnemonic.
std::map<std::string, int> mnemonics(const std::vector<std::string>& code) {
  std::map<std::string, int> counts;
  for (const std::string& insn : code) ++counts[mnemonic(insn)];
  return counts;
}

int locked_instructions(const std::vector<std::string>& code) {
  int locked = 0;
  for (const std::string& insn : code) {
    std::istringstream words(insn);
    std::string first;
    words >> first;
    if (first == "lock") ++locked;
  }
  return locked;
}

class MachineCodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
#if !defined(__x86_64__)
    GTEST_SKIP() << "the lock-prefix check is written for x86-64";
#endif
    const std::string objdump = RCBENCH_OBJDUMP;
    if (objdump.empty() || !std::filesystem::exists(objdump)) {
      GTEST_SKIP() << "objdump not found (CMake's CMAKE_OBJDUMP is '" << objdump << "')";
    }
    functions_ = disassemble(objdump, RCBENCH_PROBE_OBJECT);
  }
  const std::vector<std::string>& code(const std::string& name) {
    const auto it = functions_.find(name);
    if (it == functions_.end()) throw std::runtime_error(name + " not found in the probe object");
    if (it->second.empty()) throw std::runtime_error(name + " has no instructions");
    return it->second;
  }
  static std::string listing(const std::vector<std::string>& insns) {
    std::string out;
    for (const auto& i : insns) out += i;
    return out;
  }
  std::map<std::string, std::vector<std::string>> functions_;
};

TEST_F(MachineCodeTest, PlainHasNoLockPrefix) {
  for (const char* fn : {"rcbench_probe_plain_incref", "rcbench_probe_plain_decref"}) {
    EXPECT_EQ(locked_instructions(code(fn)), 0) << fn << ":\n" << listing(code(fn));
  }
}

TEST_F(MachineCodeTest, AtomicHasALockPrefix) {
  for (const char* fn : {"rcbench_probe_atomic_incref", "rcbench_probe_atomic_decref"}) {
    EXPECT_GE(locked_instructions(code(fn)), 1) << fn << ":\n" << listing(code(fn));
  }
}

TEST_F(MachineCodeTest, BiasedOwnerPathHasNoLockPrefix) {
  const auto& incref = code("rcbench_probe_biased_incref");
  EXPECT_EQ(locked_instructions(incref), 1)
      << "one locked add for non-owners, none for the owner:\n" << listing(incref);
  const auto& decref = code("rcbench_probe_biased_decref");
  EXPECT_EQ(locked_instructions(decref), 0)
      << "the slow paths must stay out of line:\n" << listing(decref);
}

constexpr int kOps = static_cast<int>(rcbench::workloads::kOpsPerTimedBlock);

// The timed block is the op and nothing else: kOps of plain's load/add/store +
// load/sub/store, no counter, no check of the decrement's answer, no call.
TEST_F(MachineCodeTest, PlainBlockIsItsOpsAndNothingElse) {
  const auto hot = hot_path(code("rcbench_probe_plain_block"));
  EXPECT_EQ(mnemonics(hot), (std::map<std::string, int>{{"mov", 4 * kOps}, {"add", kOps}, {"sub", kOps}}))
      << listing(hot);
}

// Biased counting's owner: the straight line of the block is the owner's path (the
// tid test and an unlocked load/add/store per incref and per decref); the non-owner
// and merge paths are out of line, after the block's ret.
TEST_F(MachineCodeTest, BiasedBlockStraightLineIsTheOwnersPath) {
  const auto hot = hot_path(code("rcbench_probe_biased_block"));
  const auto m = mnemonics(hot);
  EXPECT_EQ(locked_instructions(hot), 0) << listing(hot);
  EXPECT_EQ(m.count("call"), 0u) << listing(hot);
  int increments = 0, decrements = 0;
  for (const std::string& insn : hot) {
    if (insn.starts_with("add    $0x1,")) ++increments;
    if (insn.starts_with("sub    $0x1,")) ++decrements;
  }
  EXPECT_EQ(increments, kOps) << listing(hot);
  EXPECT_EQ(decrements, kOps) << listing(hot);
}

// Immortal: on the path every op takes, a load and a compare-and-branch per incref
// and per decref, and no store (the mortal branches are cold, after the block).
TEST_F(MachineCodeTest, ImmortalBlockLoadsAndTestsAndNeverStores) {
  const auto hot = hot_path(code("rcbench_probe_immortal_block"));
  int loads = 0, stores = 0, compares = 0, branches = 0, other = 0;
  for (const std::string& insn : hot) {
    const std::string m = mnemonic(insn);
    const auto comma = insn.find(',');
    const bool memory_source = insn.find("(%") != std::string::npos && insn.find("(%") < comma;
    const bool memory_destination = comma != std::string::npos && insn.find("(%", comma) != std::string::npos;
    if (m == "mov" && memory_destination) ++stores;
    else if (m == "mov" && memory_source) ++loads;
    else if (m == "cmp" || m == "test") ++compares;
    else if (m.size() >= 2 && m[0] == 'j') ++branches;
    else if (m != "mov") ++other;  // a register-to-register mov is allowed
  }
  EXPECT_EQ(loads, 2 * kOps) << listing(hot);
  EXPECT_EQ(stores, 0) << listing(hot);
  EXPECT_EQ(compares, 2 * kOps) << listing(hot);
  EXPECT_EQ(branches, 2 * kOps) << listing(hot);
  EXPECT_EQ(other, 0) << listing(hot);
}

#if RCBENCH_WITH_CPYTHON
// The real interpreter's block: per op, Py_INCREF's and Py_DECREF's instructions as
// CPython 3.11 compiles them (an add to memory; a subtract from memory and a branch
// to _Py_Dealloc on zero), no lock, no call on the straight line, and nothing else
// that touches memory but the stack frame.
TEST_F(MachineCodeTest, RealInterpreterBlockIsPyIncrefAndPyDecref) {
  const auto hot = hot_path(code("rcbench_probe_cpython_block"));
  int increments = 0, decrements = 0, branches_on_zero = 0, other_memory = 0;
  for (const std::string& insn : hot) {
    const std::string m = mnemonic(insn);
    if (m == "addq" && insn.find("$0x1,(%") != std::string::npos) ++increments;
    else if (m == "subq" && insn.find("$0x1,(%") != std::string::npos) ++decrements;
    else if (m == "je") ++branches_on_zero;
    // The stack frame's own saves and restores (with -fno-omit-frame-pointer, as in
    // the sanitizer builds) are not the block's.
    else if (insn.find("(%") != std::string::npos && insn.find("(%rsp") == std::string::npos &&
             insn.find("(%rbp") == std::string::npos)
      ++other_memory;
  }
  EXPECT_EQ(increments, kOps) << listing(hot);
  EXPECT_EQ(decrements, kOps) << listing(hot);
  EXPECT_EQ(branches_on_zero, kOps) << listing(hot);
  EXPECT_EQ(other_memory, 0) << listing(hot);
  EXPECT_EQ(locked_instructions(hot), 0) << listing(hot);
  EXPECT_EQ(mnemonics(hot).count("call"), 0u) << listing(hot);
}
#endif

TEST_F(MachineCodeTest, TheProbedFunctionsDoWhatTheyAreNamedFor) {
  rcbench::counters::Plain::Domain domain(rcbench::counters::DomainConfig{});
  auto t = domain.attach(0);
  rcbench::counters::Plain::Object obj(domain, t);
  rcbench_probe_plain_incref(&obj, &t);
  EXPECT_EQ(obj.read_exact_quiescent(), 2);
  EXPECT_EQ(rcbench_probe_plain_decref(&obj, &t), Drop::kept);
  EXPECT_EQ(rcbench_probe_plain_decref(&obj, &t), Drop::last);
  rcbench_probe_plain_block(&obj, &t);  // as many increments as decrements: back where it was
  EXPECT_EQ(obj.read_exact_quiescent(), 0);
}

}  // namespace
