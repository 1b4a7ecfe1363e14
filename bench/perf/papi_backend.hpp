// The one class that knows PAPI. Everything else in perf/ talks to PAPI through it,
// so the rest compiles unchanged without PAPI: papi_backend_stub.cpp implements the
// same class (kBuiltIn == false, every lookup fails with "built without PAPI"), the
// shape google/benchmark uses for libpfm in src/perf_counters.h.
//
// PAPI error codes travel as plain negative ints (0 = success) so that no PAPI
// header leaks out of papi_backend.cpp.
#pragma once

#include <string>
#include <vector>

namespace rcbench::perf {

class Papi {
 public:
  static const bool kBuiltIn;

  // The error every stub function returns; not a PAPI code (PAPI's are -1..-27).
  static constexpr int kNotBuiltIn = -1000;

  // What initialising the library once per process found out.
  struct Library {
    bool usable = false;           // PAPI_library_init and PAPI_thread_init succeeded
    std::string problem;           // why not usable
    std::string version;           // "7.0.0.0"
    bool domain_all = false;       // PAPI_set_domain(PAPI_DOM_ALL) accepted
    std::string domain_problem;    // why not (software events then read 0)
    bool multiplex_ready = false;  // PAPI_multiplex_init succeeded
    // The perf_event component (CPU counters and perf software events).
    bool cpu_component_enabled = false;
    std::string cpu_component_problem;  // PAPI's disabled_reason
    int hardware_counters = 0;          // per thread, as PAPI reports them
    std::vector<std::string> pmus;      // libpfm PMU names, e.g. "amd64_fam19h_zen4"
    bool virtualized = false;           // PAPI's own virtual-machine detection
    std::string vm_vendor;
  };
  // Thread-safe; initialises PAPI once per process (std::call_once).
  static const Library& library();

  // Name -> PAPI event code. Returns 0, or the PAPI error when no component knows
  // the name. Codes are process-wide and may be used from any thread.
  static int lookup(const std::string& name, int& code);
  static bool is_preset(int code);
  // A preset that this PAPI version maps to no native event on this CPU.
  static bool preset_unmapped(int code);

  static std::string error_name(int error);  // "PAPI_ENOEVNT"
  static std::string error_text(int error);  // PAPI's own sentence

  // PAPI keeps per-thread state; a thread that is about to end hands it back.
  static void forget_this_thread() noexcept;

  // One thread's event set. Every call must come from the thread that created it.
  class EventSet {
   public:
    EventSet() = default;
    ~EventSet();
    EventSet(const EventSet&) = delete;
    EventSet& operator=(const EventSet&) = delete;

    // Each returns 0 or a PAPI error.
    int create(bool multiplex);
    int add(int code);
    int start();
    int stop(long long* values);  // one value per added event, in order of adding
    void destroy() noexcept;
    int size() const { return size_; }

   private:
    int handle_ = -1;  // PAPI_NULL
    int size_ = 0;
    bool running_ = false;
  };
};

}  // namespace rcbench::perf
