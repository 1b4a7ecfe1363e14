// Papi without the library (RCBENCH_WITH_PAPI=OFF or PAPI not found): the same class,
// every PAPI event unavailable for one stated reason. Context switches and migrations
// still come from the OS (os_thread_counters.cpp).
#include "papi_backend.hpp"

namespace rcbench::perf {

const bool Papi::kBuiltIn = false;

const Papi::Library& Papi::library() {
  static const Library lib = [] {
    Library l;
    l.problem =
        "built without PAPI: rcbench was configured with RCBENCH_WITH_PAPI=OFF or without "
        "libpapi-dev, so no hardware or PAPI event can be counted";
    l.domain_problem = l.problem;
    l.cpu_component_problem = l.problem;
    return l;
  }();
  return lib;
}

int Papi::lookup(const std::string&, int& code) {
  code = 0;
  return kNotBuiltIn;
}
bool Papi::is_preset(int) { return false; }
bool Papi::preset_unmapped(int) { return false; }
std::string Papi::error_name(int error) {
  return error == kNotBuiltIn ? "built without PAPI" : "PAPI error " + std::to_string(error);
}
std::string Papi::error_text(int) { return library().problem; }
void Papi::forget_this_thread() noexcept {}

Papi::EventSet::~EventSet() = default;
int Papi::EventSet::create(bool) { return kNotBuiltIn; }
int Papi::EventSet::add(int) { return kNotBuiltIn; }
int Papi::EventSet::start() { return kNotBuiltIn; }
int Papi::EventSet::stop(long long*) { return kNotBuiltIn; }
void Papi::EventSet::destroy() noexcept {}

}  // namespace rcbench::perf
