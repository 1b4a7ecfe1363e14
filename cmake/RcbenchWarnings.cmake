# Warnings on and clean: every target of ours calls rcbench_warnings(<target>).
option(RCBENCH_WERROR "Treat warnings as errors" OFF)
function(rcbench_warnings target)
  get_target_property(kind ${target} TYPE)
  if(kind STREQUAL "INTERFACE_LIBRARY")
    return()
  endif()
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
    -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
  # GCC 12 at -O3 reports a bogus -Wrestrict inside libstdc++'s std::string
  # operator+ (GCC bug 105329, fixed in GCC 13): not our code, not a real overlap.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(RCBENCH_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
