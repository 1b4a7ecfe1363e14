# Cross-compiling for aarch64 from a Debian x86-64 machine, against Debian's arm64
# packages installed side by side (dpkg --add-architecture arm64; scripts/ci-aarch64.sh).
#   cmake -S . -B build/aarch64 -G Ninja \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake -DRCBENCH_ATOMICS=lse
# On an aarch64 machine nothing of this is needed: the README's native commands build it.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(_triplet aarch64-linux-gnu)

set(CMAKE_C_COMPILER ${_triplet}-gcc)
set(CMAKE_CXX_COMPILER ${_triplet}-g++)
# Otherwise CMake keeps the host's objdump, which cannot read an aarch64 object (the
# machine-code test disassembles one with it).
find_program(CMAKE_OBJDUMP ${_triplet}-objdump REQUIRED)

# Debian's multiarch layout: the arm64 -dev packages put their libraries, pkg-config
# files and CMake configs under <prefix>/lib/aarch64-linux-gnu, beside the amd64 ones.
set(CMAKE_LIBRARY_ARCHITECTURE ${_triplet})
set(CMAKE_FIND_ROOT_PATH /usr/${_triplet})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE BOTH)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE BOTH)
# pkg-config must not fall back to the amd64 folders: an amd64 libhwloc would link-fail late.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${_triplet}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# ctest runs the test executables through qemu-user (no binfmt_misc needed); tests that
# start rcbench from a script use RCBENCH_UNDER_TEST (tests/CMakeLists.txt), which
# goes through the same emulator. The arm64 libc6 package put the loader in /lib.
find_program(_qemu qemu-aarch64-static qemu-aarch64 REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${_qemu})
