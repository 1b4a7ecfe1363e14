// Which sanitizer this translation unit is built with, for the few places where
// a strategy's code must differ under it.
#pragma once

// ThreadSanitizer does not model std::atomic_thread_fence (GCC rejects it with
// -Werror=tsan; Clang would report false races). Where a strategy releases on a
// decrement and acquires with a fence only at zero (shared_ptr, Arc), a TSan
// build uses acq_rel on the decrement instead: the same guarantee in a form TSan
// understands, as Rust's Arc does under TSan. Benchmarks never run such builds.
#if defined(__SANITIZE_THREAD__)
#define RCBENCH_THREAD_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RCBENCH_THREAD_SANITIZER 1
#endif
#endif
