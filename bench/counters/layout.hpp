// Layout constants shared by the strategies.
#pragma once

#include <cstddef>

namespace rcbench::counters {

// Per-thread state that other threads must not false-share with is padded to 128
// bytes, not 64: Intel's adjacent-line prefetcher pulls cache lines in 128-byte
// pairs (folly/lang/Align.h explains). std::hardware_destructive_interference_size
// is not used because GCC warns that its value may differ between translation
// units compiled for different -mtune, which would make the layout an ABI hazard.
inline constexpr std::size_t kFalseSharingRange = 128;

}  // namespace rcbench::counters
