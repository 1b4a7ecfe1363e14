// Raw, cache-line aligned storage for counter objects. The harness decides where
// objects live (their own line, packed on one line, a pool), so padding is an
// experimental variable of the workload rather than a property of the strategy.
#pragma once

#include <cstddef>
#include <cstring>
#include <new>

namespace rcbench::harness {

inline constexpr std::size_t kCacheLine = 64;
// Two lines: the adjacent-line prefetcher pairs lines, so "own line" means 128 bytes
// (folly/lang/Align.h explains the same choice).
inline constexpr std::size_t kIsolation = 128;

constexpr std::size_t round_up(std::size_t n, std::size_t to) { return (n + to - 1) / to * to; }

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(std::size_t bytes)
      : bytes_(round_up(bytes, kIsolation)),
        data_(static_cast<std::byte*>(::operator new(bytes_, std::align_val_t{kIsolation}))) {
    // Written by the constructing thread: that thread's NUMA node gets the pages.
    std::memset(data_, 0, bytes_);
  }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  AlignedBuffer(AlignedBuffer&& o) noexcept : bytes_(o.bytes_), data_(o.data_) { o.data_ = nullptr; }
  AlignedBuffer& operator=(AlignedBuffer&& o) noexcept {
    if (this != &o) {
      release();
      bytes_ = o.bytes_;
      data_ = o.data_;
      o.data_ = nullptr;
    }
    return *this;
  }
  ~AlignedBuffer() { release(); }

  std::byte* data() const { return data_; }
  std::size_t size() const { return bytes_; }

 private:
  void release() {
    if (data_ != nullptr) ::operator delete(data_, std::align_val_t{kIsolation});
    data_ = nullptr;
  }
  std::size_t bytes_ = 0;
  std::byte* data_ = nullptr;
};

}  // namespace rcbench::harness
