# Finds every dependency the Debian way and exposes imported targets:
#   benchmark::benchmark, GTest::gtest_main, nlohmann_json::nlohmann_json,
#   CLI11::CLI11, fmt::fmt, Boost::math (header only), PkgConfig::HWLOC, PkgConfig::PAPI
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(benchmark REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(Boost 1.74 REQUIRED)
pkg_check_modules(HWLOC REQUIRED IMPORTED_TARGET hwloc>=2.0)

# PAPI is optional at build time: without it the perf counters compile to a stub
# that reports "built without PAPI" (the same shape as google/benchmark's libpfm).
option(RCBENCH_WITH_PAPI "Read hardware counters through PAPI" ON)
if(RCBENCH_WITH_PAPI)
  pkg_check_modules(PAPI IMPORTED_TARGET papi)
  if(NOT PAPI_FOUND)
    message(WARNING "PAPI not found: counters will be reported as unavailable")
    set(RCBENCH_WITH_PAPI OFF)
  endif()
endif()

if(BUILD_TESTING)
  find_package(GTest REQUIRED)
endif()
