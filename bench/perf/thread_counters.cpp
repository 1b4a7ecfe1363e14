#include "thread_counters.hpp"

#include <stdexcept>

#include "default_events.hpp"
#include "os_thread_counters.hpp"

namespace rcbench::perf {

namespace {

// PAPI allows one running event set per thread; a second ThreadCounters on the same
// thread would fail at start() or, worse, unregister the thread under the first.
thread_local bool this_thread_has_counters = false;

std::string describe(int rc) { return Papi::error_name(rc) + " (" + Papi::error_text(rc) + ")"; }

}  // namespace

ThreadCounters::ThreadCounters(const EventSelection& selection)
    : counting_(selection.counting()), owner_(pthread_self()) {
  if (this_thread_has_counters)
    throw std::logic_error(
        "ThreadCounters: this thread already has counters (PAPI runs one event set per "
        "thread); destroy the first before making another");
  const auto& codes = counting_.papi_codes;
  if (!codes.empty()) {
    int rc = papi_.create(counting_.multiplex);
    std::string refused = rc != 0 ? "the event set" : "";
    for (std::size_t i = 0; rc == 0 && i < codes.size(); ++i) {
      rc = papi_.add(codes[i]);
      if (rc != 0) refused = counting_.papi_names[i];
    }
    if (rc != 0) {
      papi_.destroy();
      Papi::forget_this_thread();
      throw std::runtime_error("PAPI refused " + refused + " on this thread: " + describe(rc) +
                               " (the probe could count it; another program may have taken "
                               "the hardware counters)");
    }
    papi_values_.assign(codes.size(), 0);
  }
  this_thread_has_counters = true;
}

ThreadCounters::~ThreadCounters() {
  papi_.destroy();
  if (!counting_.papi_codes.empty()) Papi::forget_this_thread();
  this_thread_has_counters = false;
}

void ThreadCounters::start() noexcept {
  if (pthread_equal(owner_, pthread_self()) == 0) {
    problem_ = "start() called from a thread other than the one that made the counters";
    return;
  }
  started_ = true;
  stopped_ = false;
  // The OS reads first and PAPI last, so that PAPI's window is the tighter one.
  if (counting_.ctx_switches == SoftwareSource::getrusage)
    ctx_before_ = thread_ctx_switches_from_getrusage();
  if (counting_.migrations == SoftwareSource::proc_sched)
    migrations_before_ = thread_migrations_from_proc();
  if (!counting_.papi_codes.empty()) {
    const int rc = papi_.start();
    papi_counting_ = rc == 0;
    if (rc != 0) problem_ = "PAPI_start: " + describe(rc);
  }
}

void ThreadCounters::stop() noexcept {
  if (!started_ || stopped_) {
    problem_ = "stop() without a matching start()";
    return;
  }
  if (papi_counting_) {
    const int rc = papi_.stop(papi_values_.data());
    if (rc != 0) {
      papi_counting_ = false;
      problem_ = "PAPI_stop: " + describe(rc);
    }
  }
  if (counting_.migrations == SoftwareSource::proc_sched)
    migrations_after_ = thread_migrations_from_proc();
  if (counting_.ctx_switches == SoftwareSource::getrusage)
    ctx_after_ = thread_ctx_switches_from_getrusage();
  stopped_ = true;
}

std::vector<std::pair<std::string, long long>> ThreadCounters::values() const {
  std::vector<std::pair<std::string, long long>> out;
  if (!stopped_) return out;
  if (papi_counting_) {
    for (std::size_t i = 0; i < papi_values_.size(); ++i)
      out.emplace_back(counting_.papi_names[i], papi_values_[i]);
  }
  if (counting_.ctx_switches == SoftwareSource::getrusage)
    out.emplace_back(kCtxSwitches, ctx_after_ - ctx_before_);
  if (counting_.migrations == SoftwareSource::proc_sched && migrations_before_ && migrations_after_)
    out.emplace_back(kMigrations, *migrations_after_ - *migrations_before_);
  return out;
}

std::optional<bool> ThreadCounters::migrated() const {
  for (const auto& [name, value] : values())
    if (name == kMigrations) return value > 0;
  return std::nullopt;
}

}  // namespace rcbench::perf
