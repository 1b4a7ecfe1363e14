// gil_lock: any strategy serialized behind one global lock, taken and released
// around every single operation: the worst case of a GIL (every op pays a lock
// round trip, and under contention a handover). `GilLock` = this around `plain`,
// the baseline row `gil_lock`.
#pragma once

#include "decorated_name.hpp"
#include "layout.hpp"
#include "plain.hpp"
#include "catalog_entry.hpp"
#include "refcounter.hpp"
#include "stateless_domain.hpp"

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <type_traits>
#include <vector>

namespace rcbench::counters {

inline constexpr std::string_view kGilLockName = "gil_lock";

template <RefCountStrategy Inner>
class GilLockT {
 public:
  static constexpr std::string_view name = decorated_name<kGilLockName, Inner>;
  static constexpr StrategyEntry catalog{
      .display = "GIL as a lock (taken around every block)", .order = 800 + Inner::catalog.order,
      .summary = "the op serialized by one mutex taken around every block of ops",
      .baseline = std::is_same_v<Inner, Plain> ? BaselineRole::gil_lock : BaselineRole::none};
  static constexpr bool race_free = true;  // every inner op runs alone
  static constexpr LastReference last_reference = last_reference_of<Inner>;
  using InnerStrategy = Inner;

  class Domain;
  class Object;

  struct Thread {
    typename Inner::Thread inner;
    Domain* domain = nullptr;
    std::vector<Object*> dropped;  // drops found under the lock, reported after it
  };

  class Object : private Inner::Object {
   public:
    Object(Domain& domain, Thread& creator) : Inner::Object(domain.inner_, creator.inner) {}
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    void incref(Thread& t) noexcept {
      const std::lock_guard lock(t.domain->gil_);
      Inner::Object::incref(t.inner);
    }
    Drop decref(Thread& t) noexcept {
      const std::lock_guard lock(t.domain->gil_);
      return Inner::Object::decref(t.inner);
    }
    std::int64_t read_exact_quiescent() const noexcept {
      return Inner::Object::read_exact_quiescent();
    }
    const typename Inner::Object& inner() const noexcept { return *this; }

   private:
    friend class Domain;
  };

  class Domain {
   public:
    explicit Domain(DomainConfig config) : inner_(config) {}
    Domain(const Domain&) = delete;
    Domain& operator=(const Domain&) = delete;

    Thread attach(std::size_t index) { return Thread{inner_.attach(index), this, {}}; }

    // The inner poll runs under the lock (it may touch counts); `dropped` runs
    // after it, so it may itself incref or decref without deadlocking.
    template <class F>
    void poll(Thread& t, F&& dropped) {
      if constexpr (!kInnerIsStateless) {
        {
          const std::lock_guard lock(gil_);
          inner_.poll(t.inner, collector(t));
        }
        report(t, dropped);
      }
    }
    template <class F>
    void detach(Thread& t, F&& dropped) {
      if constexpr (!kInnerIsStateless) {
        {
          const std::lock_guard lock(gil_);
          detach_reporting(inner_, t.inner, collector(t));
        }
        report(t, dropped);
      }
    }
    void detach(Thread& t) {
      detach(t, [](Object&) {});
    }

    typename Inner::Domain& inner() noexcept { return inner_; }

   private:
    friend class Object;
    // A stateless inner domain's poll and detach do nothing: skip the lock there,
    // or the baseline would pay a lock round trip per poll that CPython does not.
    static constexpr bool kInnerIsStateless = std::is_same_v<typename Inner::Domain, StatelessDomain>;

    static auto collector(Thread& t) {
      return [&t](typename Inner::Object& o) { t.dropped.push_back(static_cast<Object*>(&o)); };
    }
    template <class F>
    static void report(Thread& t, F& dropped) {
      for (Object* o : t.dropped) dropped(*o);
      t.dropped.clear();
    }

    alignas(kFalseSharingRange) std::mutex gil_;
    alignas(kFalseSharingRange) typename Inner::Domain inner_;
  };
};

using GilLock = GilLockT<Plain>;

static_assert(sizeof(GilLock::Object) == sizeof(Plain::Object),
              "the GIL adds nothing to an object: it is one lock for all of them");

}  // namespace rcbench::counters
