// gil_cpython: any strategy serialized by CPython's GIL (cpython_gil.hpp): a
// thread takes the GIL at its first operation and keeps it across operations
// until it is asked to drop it (checked at poll(), the eval breaker), blocks
// (before_blocking(), Py_BEGIN_ALLOW_THREADS) or detaches. `GilCpython` = this
// around `plain`: the baseline row `gil_cpython`, what CPython's refcounting costs
// with the GIL in a multi-threaded program.
//
// A thread holding the GIL must reach poll() (or before_blocking(), or detach())
// regularly, and before it waits for another thread: otherwise the others wait
// for ever. Constructing objects and attach() do not take the GIL.
#pragma once

#include "config_checks.hpp"
#include "cpython_gil.hpp"
#include "decorated_name.hpp"
#include "layout.hpp"
#include "plain.hpp"
#include "refcounter.hpp"
#include "stateless_domain.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace rcbench::counters {

inline constexpr std::string_view kGilCpythonName = "gil_cpython";

template <RefCountStrategy Inner>
class GilCpythonT {
 public:
  static constexpr std::string_view name = decorated_name<kGilCpythonName, Inner>;
  static constexpr bool race_free = true;  // every inner op runs with the GIL held
  static constexpr LastReference last_reference = last_reference_of<Inner>;
  using InnerStrategy = Inner;

  class Domain;
  class Object;

  struct Thread {
    typename Inner::Thread inner;
    Domain* domain = nullptr;
    CpythonGil::HolderId id = CpythonGil::kNobody;
    bool holds_gil = false;  // only this thread reads or writes it
  };

  class Object : private Inner::Object {
   public:
    Object(Domain& domain, Thread& creator) : Inner::Object(domain.inner_, creator.inner) {}
    Object(const Object&) = delete;
    Object& operator=(const Object&) = delete;

    void incref(Thread& t) noexcept {
      t.domain->ensure_held(t);
      Inner::Object::incref(t.inner);
    }
    Drop decref(Thread& t) noexcept {
      t.domain->ensure_held(t);
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
    explicit Domain(DomainConfig config)
        : gil_(std::chrono::microseconds{validated(config).switch_interval_us}), inner_(config) {}
    Domain(const Domain&) = delete;
    Domain& operator=(const Domain&) = delete;

    Thread attach(std::size_t index) {
      return Thread{inner_.attach(index), this, CpythonGil::HolderId{index} + 1, false};
    }

    // The eval breaker. Only a thread that holds the GIL is "running"; one that
    // does not has nothing to hand over.
    template <class F>
    void poll(Thread& t, F&& dropped) {
      if (!t.holds_gil) return;
      if (gil_.drop_requested()) [[unlikely]] gil_.yield_on_request(t.id);
      if constexpr (!kInnerIsStateless) {
        // With the GIL held, as CPython runs destructors.
        inner_.poll(t.inner, [&dropped](typename Inner::Object& o) {
          dropped(static_cast<Object&>(o));
        });
      }
    }

    // Py_BEGIN_ALLOW_THREADS: about to wait for another thread, so let it run.
    void before_blocking(Thread& t) {
      if (!t.holds_gil) return;
      gil_.drop(t.id, /*final=*/false);
      t.holds_gil = false;
    }

    template <class F>
    void detach(Thread& t, F&& dropped) {
      if constexpr (!kInnerIsStateless) {
        ensure_held(t);
        detach_reporting(inner_, t.inner, [&dropped](typename Inner::Object& o) {
          dropped(static_cast<Object&>(o));
        });
      }
      if (t.holds_gil) {
        gil_.drop(t.id, /*final=*/true);  // no handover wait: this thread is done
        t.holds_gil = false;
      }
    }
    void detach(Thread& t) {
      detach(t, [](Object&) {});
    }

    CpythonGil& gil() noexcept { return gil_; }
    typename Inner::Domain& inner() noexcept { return inner_; }

   private:
    friend class Object;
    // A stateless inner domain's poll and detach do nothing: no GIL needed for them.
    static constexpr bool kInnerIsStateless = std::is_same_v<typename Inner::Domain, StatelessDomain>;

    void ensure_held(Thread& t) noexcept {
      if (t.holds_gil) [[likely]] return;
      gil_.take(t.id);
      t.holds_gil = true;
    }

    alignas(kFalseSharingRange) CpythonGil gil_;
    alignas(kFalseSharingRange) typename Inner::Domain inner_;
  };
};

using GilCpython = GilCpythonT<Plain>;

static_assert(sizeof(GilCpython::Object) == sizeof(Plain::Object),
              "the GIL adds nothing to an object: it is one lock for all of them");

}  // namespace rcbench::counters
