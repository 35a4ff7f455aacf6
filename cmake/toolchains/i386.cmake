# 32-bit x86 with the host gcc (-m32): 32-bit size_t and pointers. Debian:
# lib32gcc-12-dev libc6-dev-i386 (with --no-install-recommends; gcc-multilib
# conflicts with the other cross compilers). Programs are linked -static.
# They run natively when the kernel runs i386 programs, otherwise under
# qemu-i386 (qemu-user); ctest runs every test through the emulator
# (CMAKE_CROSSCOMPILING_EMULATOR). For the SSE2 scans on 32 bits, configure
# with CFLAGS=-msse2 in the environment (tools/cross.sh i386-sse2).
#   cmake -S . -B build-i386 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/i386.cmake
#   cmake --build build-i386 && ctest --test-dir build-i386
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(CMAKE_C_COMPILER gcc)
set(CMAKE_CXX_COMPILER g++)
set(CMAKE_C_FLAGS_INIT -m32)
set(CMAKE_CXX_FLAGS_INIT -m32)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-m32 -static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT -m32)
set(CMAKE_MODULE_LINKER_FLAGS_INIT -m32)
# pkg-config finds the i386 .pc files only (none unless :i386 libraries
# are installed), never the host's 64-bit ones.
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/i386-linux-gnu/pkgconfig:/usr/lib32/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# The toolchain is read again for every try_compile (check_c_compiler_flag):
# the include directory and the probe below are made once, by the project.
get_property(_sipmsg_in_try GLOBAL PROPERTY IN_TRY_COMPILE)
if(_sipmsg_in_try)
  return()
endif()

# Without gcc-multilib (its /usr/include/asm symlink), -m32 finds no
# <asm/errno.h>: give it the amd64 one, as gcc-multilib does, searched last.
if(NOT EXISTS /usr/include/asm AND EXISTS /usr/include/x86_64-linux-gnu/asm)
  set(_sipmsg_inc ${CMAKE_BINARY_DIR}/i386-include)
  if(NOT EXISTS ${_sipmsg_inc}/asm)
    file(MAKE_DIRECTORY ${_sipmsg_inc})
    file(CREATE_LINK /usr/include/x86_64-linux-gnu/asm ${_sipmsg_inc}/asm SYMBOLIC)
  endif()
  string(APPEND CMAKE_C_FLAGS_INIT " -idirafter ${_sipmsg_inc}")
endif()

# Native or qemu-i386: decided once, by running a static i386 program.
if(NOT DEFINED SIPMSG_I386_EMULATOR)
  set(_sipmsg_probe ${CMAKE_BINARY_DIR}/i386-probe)
  file(WRITE ${_sipmsg_probe}.c "int main(void) { return 0; }\n")
  execute_process(COMMAND gcc -m32 -static ${_sipmsg_probe}.c -o ${_sipmsg_probe}
                  RESULT_VARIABLE _sipmsg_rc OUTPUT_QUIET ERROR_QUIET)
  if(_sipmsg_rc EQUAL 0)
    execute_process(COMMAND ${_sipmsg_probe} RESULT_VARIABLE _sipmsg_rc
                    OUTPUT_QUIET ERROR_QUIET)
  endif()
  set(_sipmsg_emu "")
  if(NOT _sipmsg_rc EQUAL 0)
    find_program(_sipmsg_qemu qemu-i386)
    if(_sipmsg_qemu)
      set(_sipmsg_emu ${_sipmsg_qemu})
    endif()
  endif()
  set(SIPMSG_I386_EMULATOR "${_sipmsg_emu}" CACHE STRING
      "Runs i386 programs (empty: natively)")
endif()
if(SIPMSG_I386_EMULATOR)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${SIPMSG_I386_EMULATOR})
endif()
