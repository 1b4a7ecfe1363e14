#include "independent_loops.hpp"

#include "os_thread.hpp"
#include "x86_blocks.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace rcbench::fidelity {

// RCBENCH_FIDELITY_NO_ASM compiles the fallback on x86-64 too (to check that it builds).
#if defined(__x86_64__) && !defined(RCBENCH_FIDELITY_NO_ASM)

bool loops_supported() { return true; }
std::string_view unsupported_reason() { return {}; }

namespace {

// Blocks between two clock reads: a clock_gettime (~20-50 ns) every 512 blocks is
// under 0.01 ns per op even on the empty loop.
constexpr std::uint64_t kBlocksPerCheck = 512;

template <class Block>
double time_single(Block block, double seconds) {
  const std::int64_t budget = static_cast<std::int64_t>(seconds * 1e9);
  std::uint64_t blocks = 0;
  const std::int64_t start = thread_cpu_ns();
  std::int64_t now = start;
  do {
    for (std::uint64_t i = 0; i < kBlocksPerCheck; ++i) block();
    blocks += kBlocksPerCheck;
    now = thread_cpu_ns();
  } while (now - start < budget);
  return static_cast<double>(now - start) / static_cast<double>(blocks * x86::kOpsPerBlock);
}

// Two threads, one window. Thread 0 owns the clock and the stop flag; both check
// the flag every kBlocksPerCheck blocks (a read of a line nobody writes until the end).
template <class Block>
PairWindow time_pair(std::array<unsigned, 2> pus, double seconds, Block block) {
  struct alignas(128) Slot {
    std::int64_t begin = 0, end = 0;
    std::uint64_t blocks = 0;
  };
  alignas(128) std::atomic<int> arrived{0};
  alignas(128) std::atomic<bool> stop{false};
  Slot slots[2];
  std::exception_ptr failure[2];
  const std::int64_t window = static_cast<std::int64_t>(seconds * 1e9);

  auto body = [&](int me) {
    try {
      PinHere pin(pus[static_cast<std::size_t>(me)]);
      arrived.fetch_add(1);
      // A spinning barrier: a sleeping one would let the first thread start alone.
      while (arrived.load() < 2) {
      }
      Slot& s = slots[me];
      s.begin = wall_ns();
      std::uint64_t blocks = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        for (std::uint64_t i = 0; i < kBlocksPerCheck; ++i) block(me);
        blocks += kBlocksPerCheck;
        if (me == 0 && wall_ns() - s.begin >= window) stop.store(true, std::memory_order_relaxed);
      }
      s.end = wall_ns();
      s.blocks = blocks;
    } catch (...) {
      failure[me] = std::current_exception();
      arrived.fetch_add(2);  // let the other thread past the barrier
      stop.store(true);
    }
  };
  std::thread t1(body, 1);
  body(0);
  t1.join();
  for (auto& f : failure)
    if (f) std::rethrow_exception(f);

  PairWindow w;
  double all_ops = 0;
  for (int i = 0; i < 2; ++i) {
    const double ops = static_cast<double>(slots[i].blocks * x86::kOpsPerBlock);
    w.ns_per_op[static_cast<std::size_t>(i)] = static_cast<double>(slots[i].end - slots[i].begin) / ops;
    all_ops += ops;
  }
  const std::int64_t first_begin = std::min(slots[0].begin, slots[1].begin);
  const std::int64_t last_end = std::max(slots[0].end, slots[1].end);
  w.ns_per_op_thread = (w.ns_per_op[0] + w.ns_per_op[1]) / 2;
  w.ns_per_op_total = static_cast<double>(last_end - first_begin) / all_ops;
  const double both = static_cast<double>(std::min(slots[0].end, slots[1].end) - std::max(slots[0].begin, slots[1].begin));
  w.overlap = std::clamp(both / static_cast<double>(last_end - first_begin), 0.0, 1.0);
  return w;
}

}  // namespace

double single_thread_ns_per_op(SingleLoop which, unsigned pu, double seconds) {
  PinHere pin(pu);
  // Each loop's data on its own lines, made after pinning (first touch on this PU).
  struct alignas(128) Data {
    std::uint64_t counter = 1;
    alignas(128) std::uint32_t immortal = x86::kImmortal;
    alignas(128) x86::BiasedObject object{};
  };
  auto d = std::make_unique<Data>();
  // Raw pointers captured by value: the blocks' "memory" clobber would otherwise make
  // the loop reload them from the stack every block.
  std::uint64_t* const counter = &d->counter;
  std::uint32_t* const immortal = &d->immortal;
  x86::BiasedObject* const object = &d->object;
  // The owner id: the TLS base the blocks read, as CPython's _Py_ThreadId does.
  const std::uint64_t mine = x86::thread_id();  // what the blocks' owner test reads
  object->local = 1;
  object->tid = which == SingleLoop::biased_nonowner ? mine + 1 : mine;
  double ns = 0;
  switch (which) {
    case SingleLoop::empty: ns = time_single([] { x86::empty_block(); }, seconds); break;
    case SingleLoop::plain: ns = time_single([counter] { x86::plain_block(counter); }, seconds); break;
    case SingleLoop::atomic: ns = time_single([counter] { x86::atomic_block(counter); }, seconds); break;
    case SingleLoop::cas: ns = time_single([counter] { x86::cas_block(counter); }, seconds); break;
    case SingleLoop::biased_owner:
      ns = time_single([object] { x86::biased_owner_block(object); }, seconds);
      break;
    case SingleLoop::biased_nonowner:
      ns = time_single([object] { x86::biased_nonowner_block(object); }, seconds);
      break;
    case SingleLoop::immortal: ns = time_single([immortal] { x86::immortal_block(immortal); }, seconds); break;
    case SingleLoop::immortal_fallthrough:
      ns = time_single([immortal] { x86::immortal_fallthrough_block(immortal); }, seconds);
      break;
  }
  // Every op pairs an incref with a decref: a count that moved means the asm is not
  // doing what its comment says, and its time is of something else.
  if (*counter != 1 || *immortal != x86::kImmortal || object->local != 1 || object->shared != 0)
    throw std::logic_error("independent loop did not conserve its count");
  return ns;
}

PairWindow shared_atomic(std::array<unsigned, 2> pus, double seconds) {
  struct alignas(128) Line { std::uint64_t counter = 1; };
  auto line = std::make_unique<Line>();
  const PairWindow w = time_pair(pus, seconds, [c = &line->counter](int) { x86::atomic_block(c); });
  if (line->counter != 1) throw std::logic_error("shared atomic counter not conserved");
  return w;
}

PairWindow false_sharing(std::array<unsigned, 2> pus, unsigned distance, double seconds) {
  if (distance % 8 != 0 || distance == 0 || distance > 4096)
    throw std::invalid_argument("false_sharing: distance must be a multiple of 8 in 8..4096");
  // Counter 0 at the start of a 128-byte-aligned buffer, counter 1 `distance` bytes on.
  struct alignas(128) Buffer { std::uint64_t words[4096 / 8 + 1]{}; };
  auto buf = std::make_unique<Buffer>();
  std::uint64_t* c[2] = {&buf->words[0], &buf->words[distance / 8]};
  const PairWindow w = time_pair(pus, seconds, [c](int me) { x86::atomic_block(c[me]); });
  if (*c[0] != 0 || *c[1] != 0) throw std::logic_error("false-sharing counters not conserved");
  return w;
}

#else  // not x86-64

bool loops_supported() { return false; }
std::string_view unsupported_reason() {
  return "the independent loops are x86-64 inline asm: not supported on this architecture";
}
double single_thread_ns_per_op(SingleLoop, unsigned, double) { throw std::runtime_error(std::string(unsupported_reason())); }
PairWindow shared_atomic(std::array<unsigned, 2>, double) { throw std::runtime_error(std::string(unsupported_reason())); }
PairWindow false_sharing(std::array<unsigned, 2>, unsigned, double) {
  throw std::runtime_error(std::string(unsupported_reason()));
}

#endif

}  // namespace rcbench::fidelity
