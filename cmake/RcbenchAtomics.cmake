# How an atomic refcount is compiled. On x86-64 there is one form (a lock-prefixed
# read-modify-write), so the mode is "lock". On aarch64 there are three, and which one a
# runtime ships with changes what an atomic or biased refcount costs:
#   outline  GCC's default (and Debian's packages'): each atomic is a call to a libgcc
#            helper (__aarch64_ldadd8_relax, ...) that tests a flag set at start-up and
#            runs an LSE instruction or an LL/SC loop;
#   llsc     ARMv8.0: inline load-/store-exclusive loops (ldxr/stxr);
#   lse      ARMv8.1 Large System Extensions: inline ldadd/cas. Such a binary dies with
#            SIGILL on a CPU without LSE, so rcbench refuses to start there.
# The mode applies to every target (the counters are header templates, inlined
# everywhere) and is recorded in each run (rcbench.build.atomics_mode).
set(RCBENCH_ATOMICS "" CACHE STRING "aarch64 atomics: outline (default), llsc or lse; empty elsewhere")
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(RCBENCH_ISA aarch64)
  if(RCBENCH_ATOMICS STREQUAL "")
    set(RCBENCH_ATOMICS outline)
  endif()
  if(RCBENCH_ATOMICS STREQUAL "outline")
    set(RCBENCH_ATOMICS_FLAGS -moutline-atomics)
  elseif(RCBENCH_ATOMICS STREQUAL "llsc")
    set(RCBENCH_ATOMICS_FLAGS -march=armv8-a -mno-outline-atomics)
  elseif(RCBENCH_ATOMICS STREQUAL "lse")
    set(RCBENCH_ATOMICS_FLAGS -march=armv8.1-a -mno-outline-atomics)
  else()
    message(FATAL_ERROR "RCBENCH_ATOMICS=${RCBENCH_ATOMICS}: expected outline, llsc or lse")
  endif()
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(RCBENCH_ISA x86_64)
  if(NOT RCBENCH_ATOMICS STREQUAL "" AND NOT RCBENCH_ATOMICS STREQUAL "lock")
    message(FATAL_ERROR "RCBENCH_ATOMICS=${RCBENCH_ATOMICS}: the atomics modes are aarch64's; "
                        "x86-64 has one form (lock), leave it empty")
  endif()
  set(RCBENCH_ATOMICS lock)
  set(RCBENCH_ATOMICS_FLAGS "")
else()
  set(RCBENCH_ISA ${CMAKE_SYSTEM_PROCESSOR})
  set(RCBENCH_ATOMICS compiler-default)
  set(RCBENCH_ATOMICS_FLAGS "")
endif()
add_compile_options(${RCBENCH_ATOMICS_FLAGS})
list(JOIN RCBENCH_ATOMICS_FLAGS " " RCBENCH_ATOMICS_FLAGS_TEXT)
message(STATUS "atomics: ${RCBENCH_ISA}, mode ${RCBENCH_ATOMICS} (${RCBENCH_ATOMICS_FLAGS_TEXT})")
