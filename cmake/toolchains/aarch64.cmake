# Cross build for aarch64 (plain char is unsigned; no SSE2, so the scalar
# scans). Debian: gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user.
# Programs are linked -static, so qemu-aarch64 runs them without a target
# sysroot, and ctest runs every test through it (CMAKE_CROSSCOMPILING_EMULATOR):
#   cmake -S . -B build-aarch64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64.cmake
#   cmake --build build-aarch64 && ctest --test-dir build-aarch64
# tools/cross.sh does this for every target.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(SIPMSG_CROSS_TRIPLE aarch64-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/gnu-cross.cmake)
