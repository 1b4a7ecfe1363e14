// Deliberate regressions, for the machine-code test to catch: the probe's function
// names with the wrong machine code in them. This object is only disassembled, never
// linked (its names are the real probe's). CMakeLists.txt also compiles it with the
// atomics flags of another mode, so the form check has something to catch.
#include <atomic>
#include <cstdint>

extern "C" {

// plain has become atomic: an RMW where Py_INCREF under the GIL has none.
[[gnu::noinline]] void rcbench_probe_plain_incref(std::int64_t* count) {
  std::atomic_ref<std::int64_t>(*count).fetch_add(1, std::memory_order_relaxed);
}
[[gnu::noinline]] std::int64_t rcbench_probe_plain_decref(std::int64_t* count) {
  return std::atomic_ref<std::int64_t>(*count).fetch_sub(1, std::memory_order_relaxed);
}

// atomic's increment has lost its atomicity; its decrement its release order (the
// free could then overtake another thread's last use: visible only where the
// instruction carries the order, i.e. not on x86-64).
[[gnu::noinline]] void rcbench_probe_atomic_incref(std::int64_t* count) {
  *static_cast<volatile std::int64_t*>(count) = *static_cast<volatile std::int64_t*>(count) + 1;
}
[[gnu::noinline]] std::int64_t rcbench_probe_atomic_decref(std::int64_t* count) {
  return std::atomic_ref<std::int64_t>(*count).fetch_sub(1, std::memory_order_relaxed);
}

// biased counting's owner path has become atomic.
[[gnu::noinline]] void rcbench_probe_biased_incref(std::int64_t* local, std::int64_t* shared, bool owner) {
  if (owner) std::atomic_ref<std::int64_t>(*local).fetch_add(1, std::memory_order_relaxed);
  else std::atomic_ref<std::int64_t>(*shared).fetch_add(1, std::memory_order_relaxed);
}
[[gnu::noinline]] std::int64_t rcbench_probe_biased_decref(std::int64_t* local) {
  return std::atomic_ref<std::int64_t>(*local).fetch_sub(1, std::memory_order_relaxed);
}

}  // extern "C"
