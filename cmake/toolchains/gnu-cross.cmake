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
# pkg-config too: the target's .pc files only (none unless libraries of
# the target architecture are installed), never the host's.
set(ENV{PKG_CONFIG_LIBDIR}
    /usr/lib/${SIPMSG_CROSS_TRIPLE}/pkgconfig:/usr/${SIPMSG_CROSS_TRIPLE}/lib/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

find_program(SIPMSG_QEMU qemu-${CMAKE_SYSTEM_PROCESSOR})
if(SIPMSG_QEMU)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${SIPMSG_QEMU})
endif()
