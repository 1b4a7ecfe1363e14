// The honesty check on the hot paths' machine code, on x86-64 and aarch64 in every
// atomics mode (cmake/RcbenchAtomics.cmake): plain's increment and decrement have no
// atomic read-modify-write (an unlocked RMW, as Py_INCREF with the GIL); atomic's have
// one each, in the form the build asked for (lock; LSE; an LL/SC loop; a call to
// libgcc's outline helper), relaxed for the increment and release for the decrement
// where the instruction carries an order; biased counting's owner path has none (the
// non-owner branch has the one, both decref slow paths are out-of-line calls, as in
// CPython). The probe object is disassembled with objdump -dr at test time; a second
// object with planted regressions must fail the same checks.
#include <gtest/gtest.h>

#include "atomic_rmw.hpp"
#include "disassembly.hpp"

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "counters/atomic.hpp"
#include "counters/biased.hpp"
#include "counters/plain.hpp"
#include "workloads/workload.hpp"

using rcbench::counters::Drop;
using namespace rcbench::testing;

extern "C" {
void rcbench_probe_plain_block(rcbench::counters::Plain::Object*, rcbench::counters::Plain::Thread*);
void rcbench_probe_plain_incref(rcbench::counters::Plain::Object*, rcbench::counters::Plain::Thread*);
Drop rcbench_probe_plain_decref(rcbench::counters::Plain::Object*, rcbench::counters::Plain::Thread*);
}

namespace {

constexpr int kOps = static_cast<int>(rcbench::workloads::kOpsPerTimedBlock);
#if defined(__aarch64__)
constexpr bool kOrdersVisible = true;  // ldadd vs ldaddl, stxr vs stlxr, _relax vs _rel
#else
constexpr bool kOrdersVisible = false;  // a locked x86 instruction is a full barrier
#endif

using Failures = std::vector<std::string>;

std::string joined(const Failures& failures) {
  std::string out;
  for (const auto& f : failures) out += f + "\n";
  return out;
}

const Code& code(const Functions& functions, const std::string& name) {
  const auto it = functions.find(name);
  if (it == functions.end()) throw std::runtime_error(name + " not found in the object");
  if (it->second.empty()) throw std::runtime_error(name + " has no instructions");
  return it->second;
}

void expect_rmw_count(Failures& failures, const Functions& functions, const std::string& fn,
                      std::size_t expected, const std::string& why) {
  const Code& c = code(functions, fn);
  const auto rmws = atomic_rmws(c);
  if (rmws.size() != expected)
    failures.push_back(fn + ": " + std::to_string(rmws.size()) + " atomic RMW, expected " +
                       std::to_string(expected) + " (" + why + "):\n" + listing_of(c));
}

// The form each atomics mode must compile to.
RmwForm expected_form() {
  const std::string mode = RCBENCH_ATOMICS_MODE;
  if (mode == "lse") return RmwForm::lse;
  if (mode == "llsc") return RmwForm::llsc;
  if (mode == "outline") return RmwForm::outline;
  return RmwForm::lock;
}

Failures plain_has_no_atomic_rmw(const Functions& f) {
  Failures failures;
  for (const char* fn : {"rcbench_probe_plain_incref", "rcbench_probe_plain_decref"})
    expect_rmw_count(failures, f, fn, 0, "plain is Py_INCREF under the GIL");
  return failures;
}

Failures atomic_has_one_atomic_rmw(const Functions& f) {
  Failures failures;
  for (const char* fn : {"rcbench_probe_atomic_incref", "rcbench_probe_atomic_decref"})
    expect_rmw_count(failures, f, fn, 1, "one atomic RMW per op");
  return failures;
}

Failures atomic_rmw_has_the_builds_form(const Functions& f) {
  Failures failures;
  for (const char* fn : {"rcbench_probe_atomic_incref", "rcbench_probe_atomic_decref"}) {
    for (const AtomicRmw& rmw : atomic_rmws(code(f, fn)))
      if (rmw.form != expected_form())
        failures.push_back(std::string(fn) + ": " + rmw.instruction + " is a " + form_name(rmw.form) +
                           " RMW; this build's atomics mode is " + RCBENCH_ATOMICS_MODE);
  }
  return failures;
}

Failures atomic_orders_are_relaxed_and_release(const Functions& f) {
  Failures failures;
  const auto expect_order = [&](const char* fn, RmwOrder wanted) {
    for (const AtomicRmw& rmw : atomic_rmws(code(f, fn)))
      if (rmw.order != wanted)
        failures.push_back(std::string(fn) + ": " + rmw.instruction + " is " + order_name(rmw.order) +
                           ", expected " + order_name(wanted));
  };
  expect_order("rcbench_probe_atomic_incref", RmwOrder::relaxed);
  expect_order("rcbench_probe_atomic_decref", RmwOrder::release);
  return failures;
}

Failures biased_owner_path_has_no_atomic_rmw(const Functions& f) {
  Failures failures;
  expect_rmw_count(failures, f, "rcbench_probe_biased_incref", 1, "one for non-owners, none for the owner");
  expect_rmw_count(failures, f, "rcbench_probe_biased_decref", 0, "the slow paths stay out of line");
  return failures;
}

class MachineCodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string objdump = RCBENCH_OBJDUMP;
    if (objdump.empty() || !std::filesystem::exists(objdump)) {
      GTEST_SKIP() << "objdump not found (CMake's CMAKE_OBJDUMP is '" << objdump << "')";
    }
    probe_ = disassemble(objdump, RCBENCH_PROBE_OBJECT);
  }
  Functions planted() const { return disassemble(RCBENCH_OBJDUMP, RCBENCH_PLANTED_OBJECT); }
  Code hot(const std::string& name) const { return hot_path(code(probe_, name)); }
  Functions probe_;
};

TEST_F(MachineCodeTest, PlainHasNoAtomicRmw) {
  const Failures f = plain_has_no_atomic_rmw(probe_);
  EXPECT_TRUE(f.empty()) << joined(f);
}

TEST_F(MachineCodeTest, AtomicHasOneAtomicRmwPerOp) {
  const Failures f = atomic_has_one_atomic_rmw(probe_);
  EXPECT_TRUE(f.empty()) << joined(f);
}

TEST_F(MachineCodeTest, AtomicRmwHasTheBuildsAtomicsMode) {
  const Failures f = atomic_rmw_has_the_builds_form(probe_);
  EXPECT_TRUE(f.empty()) << joined(f);
}

// Only where the instruction carries the order: a locked x86-64 instruction is a full
// barrier whatever the source asked for, so there is nothing to read there.
#if defined(__aarch64__)
TEST_F(MachineCodeTest, AtomicIncrementIsRelaxedAndDecrementRelease) {
  const Failures f = atomic_orders_are_relaxed_and_release(probe_);
  EXPECT_TRUE(f.empty()) << joined(f);
}
#endif

TEST_F(MachineCodeTest, BiasedOwnerPathHasNoAtomicRmw) {
  const Failures f = biased_owner_path_has_no_atomic_rmw(probe_);
  EXPECT_TRUE(f.empty()) << joined(f);
}

// The same checks on machine code that is wrong on purpose: each must fail there.
TEST_F(MachineCodeTest, PlantedRegressionsFailTheChecks) {
  const Functions p = planted();
  EXPECT_FALSE(plain_has_no_atomic_rmw(p).empty()) << "an atomic plain passed";
  EXPECT_FALSE(atomic_has_one_atomic_rmw(p).empty()) << "a non-atomic increment passed";
  EXPECT_FALSE(biased_owner_path_has_no_atomic_rmw(p).empty()) << "an atomic owner path passed";
  if (expected_form() != RmwForm::lock) {  // x86-64 has one form: nothing to get wrong
    EXPECT_FALSE(atomic_rmw_has_the_builds_form(p).empty()) << "another mode's atomics passed";
  }
  if (kOrdersVisible) {
    EXPECT_FALSE(atomic_orders_are_relaxed_and_release(p).empty()) << "a relaxed decrement passed";
  }
}

#if defined(__x86_64__)
// The timed block is the op and nothing else: kOps of plain's load/add/store +
// load/sub/store, no counter, no check of the decrement's answer, no call.
TEST_F(MachineCodeTest, PlainBlockIsItsOpsAndNothingElse) {
  const Code h = hot("rcbench_probe_plain_block");
  EXPECT_EQ(mnemonic_counts(h), (std::map<std::string, int>{{"mov", 4 * kOps}, {"add", kOps}, {"sub", kOps}}))
      << listing_of(h);
}

// Biased counting's owner: the straight line of the block is the owner's path (the
// tid test and an unlocked load/add/store per incref and per decref); the non-owner
// and merge paths are out of line, after the block's ret.
TEST_F(MachineCodeTest, BiasedBlockStraightLineIsTheOwnersPath) {
  const Code h = hot("rcbench_probe_biased_block");
  EXPECT_TRUE(atomic_rmws(h).empty()) << listing_of(h);
  EXPECT_EQ(mnemonic_counts(h).count("call"), 0u) << listing_of(h);
  int increments = 0, decrements = 0;
  for (const Instruction& insn : h) {
    if (insn.mnemonic == "add" && insn.operands.starts_with("$0x1,")) ++increments;
    if (insn.mnemonic == "sub" && insn.operands.starts_with("$0x1,")) ++decrements;
  }
  EXPECT_EQ(increments, kOps) << listing_of(h);
  EXPECT_EQ(decrements, kOps) << listing_of(h);
}

// Immortal: on the path every op takes, a load and a compare-and-branch per incref
// and per decref, and no store (the mortal branches are cold, after the block).
TEST_F(MachineCodeTest, ImmortalBlockLoadsAndTestsAndNeverStores) {
  const Code h = hot("rcbench_probe_immortal_block");
  int loads = 0, stores = 0, compares = 0, branches = 0, other = 0;
  for (const Instruction& insn : h) {
    const std::string& m = insn.mnemonic;
    const auto comma = insn.operands.find(',');
    const auto memory = insn.operands.find("(%");
    const bool memory_source = memory != std::string::npos && memory < comma;
    const bool memory_destination = comma != std::string::npos && insn.operands.find("(%", comma) != std::string::npos;
    if (m == "mov" && memory_destination) ++stores;
    else if (m == "mov" && memory_source) ++loads;
    else if (m == "cmp" || m == "test") ++compares;
    else if (m.size() >= 2 && m[0] == 'j') ++branches;
    else if (m != "mov") ++other;  // a register-to-register mov is allowed
  }
  EXPECT_EQ(loads, 2 * kOps) << listing_of(h);
  EXPECT_EQ(stores, 0) << listing_of(h);
  EXPECT_EQ(compares, 2 * kOps) << listing_of(h);
  EXPECT_EQ(branches, 2 * kOps) << listing_of(h);
  EXPECT_EQ(other, 0) << listing_of(h);
}

#if RCBENCH_WITH_CPYTHON
// The real interpreter's block: per op, Py_INCREF's and Py_DECREF's instructions as
// CPython 3.11 compiles them (an add to memory; a subtract from memory and a branch
// to _Py_Dealloc on zero), no lock, no call on the straight line, and nothing else
// that touches memory but the stack frame.
TEST_F(MachineCodeTest, RealInterpreterBlockIsPyIncrefAndPyDecref) {
  const Code h = hot("rcbench_probe_cpython_block");
  int increments = 0, decrements = 0, branches_on_zero = 0, other_memory = 0;
  for (const Instruction& insn : h) {
    const std::string& m = insn.mnemonic;
    const std::string& ops = insn.operands;
    if (m == "addq" && ops.find("$0x1,(%") != std::string::npos) ++increments;
    else if (m == "subq" && ops.find("$0x1,(%") != std::string::npos) ++decrements;
    else if (m == "je") ++branches_on_zero;
    // The stack frame's own saves and restores (with -fno-omit-frame-pointer, as in
    // the sanitizer builds) are not the block's.
    else if (ops.find("(%") != std::string::npos && ops.find("(%rsp") == std::string::npos &&
             ops.find("(%rbp") == std::string::npos)
      ++other_memory;
  }
  EXPECT_EQ(increments, kOps) << listing_of(h);
  EXPECT_EQ(decrements, kOps) << listing_of(h);
  EXPECT_EQ(branches_on_zero, kOps) << listing_of(h);
  EXPECT_EQ(other_memory, 0) << listing_of(h);
  EXPECT_TRUE(atomic_rmws(h).empty()) << listing_of(h);
  EXPECT_EQ(mnemonic_counts(h).count("call"), 0u) << listing_of(h);
}
#endif

#elif defined(__aarch64__)
// aarch64 is a load/store machine: an unlocked RMW is ldr, add or sub, str.
bool is_stack_access(const Instruction& insn) { return insn.operands.find("[sp") != std::string::npos; }
bool is_conditional_branch(const std::string& m) {
  return m.rfind("b.", 0) == 0 || m == "cbz" || m == "cbnz" || m == "tbz" || m == "tbnz";
}
// "add w1, w1, #0x1": a register incremented in place (sub alike).
bool steps_a_register_by_one(const Instruction& insn, const char* mnemonic) {
  static const std::regex kInPlaceByOne("([wx][0-9]+), \\1, #0x1");
  return insn.mnemonic == mnemonic && std::regex_match(insn.operands, kInPlaceByOne);
}

// The timed block is the op and nothing else: kOps of plain's ldr/add/str +
// ldr/sub/str, no counter, no check of the decrement's answer, no call.
TEST_F(MachineCodeTest, PlainBlockIsItsOpsAndNothingElse) {
  const Code h = hot("rcbench_probe_plain_block");
  EXPECT_EQ(mnemonic_counts(h),
            (std::map<std::string, int>{{"ldr", 2 * kOps}, {"str", 2 * kOps}, {"add", kOps}, {"sub", kOps}}))
      << listing_of(h);
}

// Biased counting's owner: the straight line of the block is the owner's path (the
// tid test and an unlocked ldr/add/str per incref and per decref); the non-owner and
// merge paths are out of line, after the block's ret.
TEST_F(MachineCodeTest, BiasedBlockStraightLineIsTheOwnersPath) {
  const Code h = hot("rcbench_probe_biased_block");
  EXPECT_TRUE(atomic_rmws(h).empty()) << listing_of(h);
  EXPECT_EQ(mnemonic_counts(h).count("bl"), 0u) << listing_of(h);
  int increments = 0, decrements = 0;
  for (const Instruction& insn : h) {
    increments += steps_a_register_by_one(insn, "add");
    decrements += steps_a_register_by_one(insn, "sub");
  }
  EXPECT_EQ(increments, kOps) << listing_of(h);
  EXPECT_EQ(decrements, kOps) << listing_of(h);
}

// Immortal: on the path every op takes, a load and a compare-and-branch per incref
// and per decref (cmp + b.ls, or one tbz on the sign bit), and no store.
TEST_F(MachineCodeTest, ImmortalBlockLoadsAndTestsAndNeverStores) {
  const Code h = hot("rcbench_probe_immortal_block");
  int loads = 0, stores = 0, branches = 0, other = 0;
  for (const Instruction& insn : h) {
    const std::string& m = insn.mnemonic;
    if (m.rfind("ld", 0) == 0) ++loads;
    else if (m.rfind("st", 0) == 0) ++stores;
    else if (is_conditional_branch(m)) ++branches;
    else if (m != "cmp" && m != "cmn" && m != "tst" && m != "mov") ++other;  // register work
  }
  EXPECT_EQ(loads, 2 * kOps) << listing_of(h);
  EXPECT_EQ(stores, 0) << listing_of(h);
  EXPECT_EQ(branches, 2 * kOps) << listing_of(h);
  EXPECT_EQ(other, 0) << listing_of(h);
}

#if RCBENCH_WITH_CPYTHON
// The real interpreter's block: per op, Py_INCREF's and Py_DECREF's instructions as
// CPython 3.11 compiles them (ldr/add/str; ldr/sub/str and a cbz to _Py_Dealloc), no
// atomic, no call on the straight line, and no other memory access but the frame's.
TEST_F(MachineCodeTest, RealInterpreterBlockIsPyIncrefAndPyDecref) {
  const Code h = hot("rcbench_probe_cpython_block");
  int increments = 0, decrements = 0, branches_on_zero = 0, loads = 0, stores = 0, other_memory = 0;
  for (const Instruction& insn : h) {
    const std::string& m = insn.mnemonic;
    increments += steps_a_register_by_one(insn, "add");
    decrements += steps_a_register_by_one(insn, "sub");
    if (m == "cbz") ++branches_on_zero;
    if (is_stack_access(insn)) continue;
    if (m == "ldr") ++loads;
    else if (m == "str") ++stores;
    else if (m.rfind("ld", 0) == 0 || m.rfind("st", 0) == 0) ++other_memory;
  }
  EXPECT_EQ(increments, kOps) << listing_of(h);
  EXPECT_EQ(decrements, kOps) << listing_of(h);
  EXPECT_EQ(branches_on_zero, kOps) << listing_of(h);
  EXPECT_EQ(loads, 2 * kOps) << listing_of(h);
  EXPECT_EQ(stores, 2 * kOps) << listing_of(h);
  EXPECT_EQ(other_memory, 0) << listing_of(h);
  EXPECT_TRUE(atomic_rmws(h).empty()) << listing_of(h);
  EXPECT_EQ(mnemonic_counts(h).count("bl"), 0u) << listing_of(h);
}
#endif
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
