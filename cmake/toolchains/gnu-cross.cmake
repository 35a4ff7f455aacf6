# Shared by s390x.cmake and aarch64.cmake: a Debian GNU cross toolchain
# named ${SIPMSG_CROSS_TRIPLE}-gcc, static linking, qemu user mode.
set(CMAKE_C_COMPILER ${SIPMSG_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${SIPMSG_CROSS_TRIPLE}-g++)
# ar and ranlib come from the same prefix (CMake derives them from the
# compiler's name).
set(CMAKE_EXE_LINKER_FLAGS_INIT -static)

# Libraries, headers and packages of the target only (no host OpenSSL,
# cmocka ...); programs (python3, bash) of the host.
set(CMAKE_FIND_ROOT_PATH /usr/${SIPMSG_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

find_program(SIPMSG_QEMU qemu-${CMAKE_SYSTEM_PROCESSOR})
if(SIPMSG_QEMU)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${SIPMSG_QEMU})
endif()
