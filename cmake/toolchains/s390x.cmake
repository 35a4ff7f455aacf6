# Cross build for big-endian 64-bit s390x (Debian: gcc-s390x-linux-gnu
# libc6-dev-s390x-cross qemu-user). Programs are linked -static, so
# qemu-s390x runs them without a target sysroot, and ctest runs every test
# through it (CMAKE_CROSSCOMPILING_EMULATOR):
#   cmake -S . -B build-s390x -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/s390x.cmake
#   cmake --build build-s390x && ctest --test-dir build-s390x
# tools/cross.sh does this for every target.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR s390x)
set(SIPMSG_CROSS_TRIPLE s390x-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/gnu-cross.cmake)
