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

# The real interpreter as a baseline (bench/cpython): optional, on when pkg-config
# finds the embedding package. Debian's is python-3.11-embed (libpython3.11-dev);
# another build (e.g. a free-threaded 3.13t) is named with -DRCBENCH_CPYTHON_PKG=...
# pkg-config, not python3.11-config, so a pyenv interpreter first on PATH is not
# picked up by accident; the run records the library it loaded.
option(RCBENCH_WITH_CPYTHON "Rows that run the real CPython interpreter (libpython)" ON)
set(RCBENCH_CPYTHON_PKG "python-3.11-embed" CACHE STRING "pkg-config name of the libpython to embed")
set(RCBENCH_CPYTHON_MISSING_REASON "")
if(RCBENCH_WITH_CPYTHON)
  pkg_check_modules(CPYTHON IMPORTED_TARGET ${RCBENCH_CPYTHON_PKG})
  if(NOT CPYTHON_FOUND)
    set(RCBENCH_CPYTHON_MISSING_REASON
        "built without libpython: pkg-config found no ${RCBENCH_CPYTHON_PKG} (Debian: apt install libpython3.11-dev)")
    message(WARNING "${RCBENCH_CPYTHON_MISSING_REASON}: the real-interpreter rows are left out")
    set(RCBENCH_WITH_CPYTHON OFF)
  else()
    message(STATUS "real interpreter rows: ${RCBENCH_CPYTHON_PKG} ${CPYTHON_VERSION} from ${CPYTHON_LIBDIR}")
  endif()
else()
  set(RCBENCH_CPYTHON_MISSING_REASON "built without libpython: -DRCBENCH_WITH_CPYTHON=OFF")
endif()

if(BUILD_TESTING)
  find_package(GTest REQUIRED)
endif()
