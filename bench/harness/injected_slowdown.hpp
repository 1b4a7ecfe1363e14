// Test-only: a decorator strategy that does `percent`% extra real ops per counted
// op, so the gate's self-test can check that it sees a slowdown of known size
// (RCBENCH_INJECT_SLOWDOWN=<strategy>:<percent>). A decorator like the GIL ones, so
// the timed block of every other row stays the strategy's own instructions.
#pragma once

#include "counters/refcounter.hpp"

#include <cstdint>
#include <string_view>

namespace rcbench::harness {

template <counters::RefCountStrategy Inner>
struct InjectedSlowdownT {
  static constexpr std::string_view name = Inner::name;  // the row keeps its name
  static constexpr bool race_free = Inner::race_free;
  static constexpr counters::LastReference last_reference = counters::last_reference_of<Inner>;

  struct Thread {
    typename Inner::Thread inner;
    unsigned percent = 0;
    unsigned owed = 0;  // hundredths of an extra op not yet done
  };

  class Object;
  class Domain {
   public:
    explicit Domain(counters::DomainConfig c) : inner_(c) {}
    void set_extra_percent(unsigned p) { percent_ = p; }
    Thread attach(std::size_t i) { return Thread{inner_.attach(i), percent_, 0}; }
    template <class F>
    void poll(Thread& t, F&& dropped) {
      inner_.poll(t.inner, [&dropped](typename Inner::Object& o) { dropped(static_cast<Object&>(o)); });
    }
    void detach(Thread& t) {
      detach(t, [](Object&) {});
    }
    template <class F>
    void detach(Thread& t, F&& dropped) {
      counters::detach_reporting(inner_, t.inner,
                                 [&dropped](typename Inner::Object& o) { dropped(static_cast<Object&>(o)); });
    }
    void before_blocking(Thread& t) { counters::before_blocking(inner_, t.inner); }
    void after_blocking(Thread& t) { counters::after_blocking(inner_, t.inner); }
    typename Inner::Domain& inner() { return inner_; }

   private:
    typename Inner::Domain inner_;
    unsigned percent_ = 0;
  };

  class Object : private Inner::Object {
   public:
    Object(Domain& d, Thread& t) : Inner::Object(d.inner(), t.inner) {}
    void incref(Thread& t) noexcept { Inner::Object::incref(t.inner); }
    counters::Drop decref(Thread& t) noexcept {
      const counters::Drop d = Inner::Object::decref(t.inner);
      for (t.owed += t.percent; t.owed >= 100; t.owed -= 100) {
        Inner::Object::incref(t.inner);
        static_cast<void>(Inner::Object::decref(t.inner));
      }
      return d;
    }
    std::int64_t read_exact_quiescent() const noexcept { return Inner::Object::read_exact_quiescent(); }

   private:
    friend class Domain;
  };
};

}  // namespace rcbench::harness
