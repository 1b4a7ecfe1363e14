// Papi with the real library (RCBENCH_WITH_PAPI=ON). See papi_backend.hpp.
#include "papi_backend.hpp"

#include <papi.h>
#include <pthread.h>

#include <array>
#include <mutex>
#include <utility>

namespace rcbench::perf {

const bool Papi::kBuiltIn = true;

namespace {

// PAPI_thread_init wants a function that names the calling thread.
unsigned long this_thread_id() { return static_cast<unsigned long>(pthread_self()); }

std::string version_string(int v) {
  return std::to_string(PAPI_VERSION_MAJOR(v)) + "." + std::to_string(PAPI_VERSION_MINOR(v)) + "." +
         std::to_string(PAPI_VERSION_REVISION(v)) + "." + std::to_string(PAPI_VERSION_INCREMENT(v));
}

Papi::Library initialise() {
  Papi::Library lib;
  const int init = PAPI_library_init(PAPI_VER_CURRENT);
  if (init != PAPI_VER_CURRENT) {
    lib.problem =
        init < 0
            ? "PAPI_library_init: " + Papi::error_name(init) + " (" + Papi::error_text(init) + ")"
            : "PAPI_library_init: the shared library is version " + version_string(init) +
                  ", rcbench was built against " + version_string(PAPI_VER_CURRENT);
    return lib;
  }
  lib.version = version_string(PAPI_get_opt(PAPI_LIB_VERSION, nullptr));
  if (const int rc = PAPI_thread_init(this_thread_id); rc != PAPI_OK) {
    lib.problem = "PAPI_thread_init: " + Papi::error_name(rc);
    return lib;
  }
  lib.usable = true;

  // Software events (context switches, migrations) happen in the kernel: in PAPI's
  // default user domain they read 0. The default domain applies to event sets made
  // afterwards, so it is set here, before any.
  if (const int rc = PAPI_set_domain(PAPI_DOM_ALL); rc == PAPI_OK) {
    lib.domain_all = true;
  } else {
    lib.domain_problem = "PAPI_set_domain(PAPI_DOM_ALL): " + Papi::error_name(rc) + " (" +
                         Papi::error_text(rc) +
                         "); needs root or /proc/sys/kernel/perf_event_paranoid <= 1";
  }
  lib.multiplex_ready = PAPI_multiplex_init() == PAPI_OK;

  const int cidx = PAPI_get_component_index("perf_event");
  if (const PAPI_component_info_t* info = cidx >= 0 ? PAPI_get_component_info(cidx) : nullptr) {
    lib.cpu_component_enabled = info->disabled == 0;
    lib.cpu_component_problem = info->disabled != 0 ? info->disabled_reason : "";
    lib.hardware_counters = info->num_cntrs;
    for (const char* pmu : info->pmu_names) {
      if (pmu != nullptr) lib.pmus.emplace_back(pmu);
    }
  } else {
    lib.cpu_component_problem = "PAPI has no perf_event component";
  }
  if (const PAPI_hw_info_t* hw = PAPI_get_hardware_info()) {
    lib.virtualized = hw->virtualized != 0;
    lib.vm_vendor = hw->virtual_vendor_string;
  }
  return lib;
}

// PAPI 7.0.0 crashes (SIGSEGV in PAPI_event_name_to_code) when a thread it has not
// seen yet looks up a name; registering first avoids it. Registering twice is harmless.
bool register_this_thread() { return PAPI_register_thread() == PAPI_OK; }

}  // namespace

const Papi::Library& Papi::library() {
  static std::once_flag once;
  static Library lib;
  std::call_once(once, [] { lib = initialise(); });
  return lib;
}

int Papi::lookup(const std::string& name, int& code) {
  if (!library().usable) return PAPI_ENOINIT;
  code = 0;
  if (!register_this_thread()) return PAPI_ENOINIT;
  return PAPI_event_name_to_code(name.c_str(), &code);
}

bool Papi::is_preset(int code) { return IS_PRESET(code); }

bool Papi::preset_unmapped(int code) {
  PAPI_event_info_t info{};
  return is_preset(code) && register_this_thread() && PAPI_get_event_info(code, &info) == PAPI_OK &&
         info.count == 0;
}

std::string Papi::error_name(int error) {
  // PAPI has PAPI_strerror (a sentence) but no symbolic names; people search for these.
  static constexpr std::array<std::pair<int, const char*>, 28> kNames{{
      {PAPI_OK, "PAPI_OK"},
      {PAPI_EINVAL, "PAPI_EINVAL"},
      {PAPI_ENOMEM, "PAPI_ENOMEM"},
      {PAPI_ESYS, "PAPI_ESYS"},
      {PAPI_ECMP, "PAPI_ECMP"},
      {PAPI_ECLOST, "PAPI_ECLOST"},
      {PAPI_EBUG, "PAPI_EBUG"},
      {PAPI_ENOEVNT, "PAPI_ENOEVNT"},
      {PAPI_ECNFLCT, "PAPI_ECNFLCT"},
      {PAPI_ENOTRUN, "PAPI_ENOTRUN"},
      {PAPI_EISRUN, "PAPI_EISRUN"},
      {PAPI_ENOEVST, "PAPI_ENOEVST"},
      {PAPI_ENOTPRESET, "PAPI_ENOTPRESET"},
      {PAPI_ENOCNTR, "PAPI_ENOCNTR"},
      {PAPI_EMISC, "PAPI_EMISC"},
      {PAPI_EPERM, "PAPI_EPERM"},
      {PAPI_ENOINIT, "PAPI_ENOINIT"},
      {PAPI_ENOCMP, "PAPI_ENOCMP"},
      {PAPI_ENOSUPP, "PAPI_ENOSUPP"},
      {PAPI_ENOIMPL, "PAPI_ENOIMPL"},
      {PAPI_EBUF, "PAPI_EBUF"},
      {PAPI_EINVAL_DOM, "PAPI_EINVAL_DOM"},
      {PAPI_EATTR, "PAPI_EATTR"},
      {PAPI_ECOUNT, "PAPI_ECOUNT"},
      {PAPI_ECOMBO, "PAPI_ECOMBO"},
      {PAPI_ECMP_DISABLED, "PAPI_ECMP_DISABLED"},
      {PAPI_EDELAY_INIT, "PAPI_EDELAY_INIT"},
      {PAPI_EMULPASS, "PAPI_EMULPASS"},
  }};
  for (const auto& [code, name] : kNames) {
    if (code == error) return name;
  }
  return "PAPI error " + std::to_string(error);
}

std::string Papi::error_text(int error) {
  const char* text = PAPI_strerror(error);
  return text != nullptr ? text : "unknown PAPI error";
}

void Papi::forget_this_thread() noexcept {
  if (library().usable) PAPI_unregister_thread();
}

Papi::EventSet::~EventSet() { destroy(); }

int Papi::EventSet::create(bool multiplex) {
  destroy();
  if (!library().usable) return PAPI_ENOINIT;
  if (!register_this_thread()) return PAPI_ENOINIT;
  int handle = PAPI_NULL;
  if (const int rc = PAPI_create_eventset(&handle); rc != PAPI_OK) return rc;
  handle_ = handle;
  if (multiplex) {
    // A multiplexed set must know its component before PAPI_set_multiplex.
    const int cidx = PAPI_get_component_index("perf_event");
    int rc = PAPI_assign_eventset_component(handle_, cidx < 0 ? 0 : cidx);
    if (rc == PAPI_OK) rc = PAPI_set_multiplex(handle_);
    if (rc != PAPI_OK) {
      destroy();
      return rc;
    }
  }
  return PAPI_OK;
}

int Papi::EventSet::add(int code) {
  if (handle_ == PAPI_NULL) return PAPI_ENOEVST;
  const int rc = PAPI_add_event(handle_, code);
  if (rc == PAPI_OK) ++size_;
  return rc;
}

int Papi::EventSet::start() {
  if (handle_ == PAPI_NULL) return PAPI_ENOEVST;
  const int rc = PAPI_start(handle_);
  running_ = rc == PAPI_OK;
  return rc;
}

int Papi::EventSet::stop(long long* values) {
  if (!running_) return PAPI_ENOTRUN;
  running_ = false;
  return PAPI_stop(handle_, values);
}

void Papi::EventSet::destroy() noexcept {
  if (handle_ == PAPI_NULL) return;
  if (running_) {
    PAPI_stop(handle_, nullptr);  // PAPI accepts no buffer when the values are unwanted
    running_ = false;
  }
  PAPI_cleanup_eventset(handle_);
  PAPI_destroy_eventset(&handle_);
  handle_ = PAPI_NULL;
  size_ = 0;
}

}  // namespace rcbench::perf
