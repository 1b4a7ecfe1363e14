// Raw, cache-line aligned storage for counter objects. The harness decides where
// objects live (their own line, packed on one line, a pool), so padding is an
// experimental variable of the workload rather than a property of the strategy.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

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

  // Whole pages of their own, for an object whose page is a condition of its row
  // (mem:local / mem:remote): a fresh anonymous mapping, so binding it to a NUMA node
  // moves nothing else, and no earlier allocation has already put it somewhere. Left
  // untouched: the kernel allocates each page (zeroed) where the first touch or a
  // binding puts it (topology/src/memory.cpp). Throws std::bad_alloc.
  static AlignedBuffer whole_pages(std::size_t bytes) {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    AlignedBuffer b;
    b.bytes_ = round_up(bytes == 0 ? 1 : bytes, page);
    void* p = mmap(nullptr, b.bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    b.data_ = static_cast<std::byte*>(p);
    b.mapped_ = true;
    return b;
  }

  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  AlignedBuffer(AlignedBuffer&& o) noexcept : bytes_(o.bytes_), data_(o.data_), mapped_(o.mapped_) {
    o.data_ = nullptr;
  }
  AlignedBuffer& operator=(AlignedBuffer&& o) noexcept {
    if (this != &o) {
      release();
      bytes_ = o.bytes_;
      data_ = o.data_;
      mapped_ = o.mapped_;
      o.data_ = nullptr;
    }
    return *this;
  }
  ~AlignedBuffer() { release(); }

  std::byte* data() const { return data_; }
  std::size_t size() const { return bytes_; }

 private:
  void release() {
    if (data_ == nullptr) return;
    if (mapped_)
      munmap(data_, bytes_);
    else
      ::operator delete(data_, std::align_val_t{kIsolation});
    data_ = nullptr;
  }
  std::size_t bytes_ = 0;
  std::byte* data_ = nullptr;
  bool mapped_ = false;  // whole_pages: munmap, not operator delete
};

}  // namespace rcbench::harness
