# The body views (bench/body.c): SDP against sofia-sip's sdp_parse, and the
# CPIM and multipart views. Included from bench/CMakeLists.txt after the
# peers are found; bench/body.sh runs it (table, callgrind).
add_executable(sipmsg_bench_body body.c clock.c alloc_count.c)
target_link_libraries(sipmsg_bench_body PRIVATE sipmsg_static)
target_compile_options(sipmsg_bench_body PRIVATE -Wall -Wextra -Werror)
target_compile_definitions(sipmsg_bench_body PRIVATE
  BENCH_BODIES_DIR="${PROJECT_SOURCE_DIR}/tests/bodies"
  BENCH_RFC4475_DIR="${PROJECT_SOURCE_DIR}/tests/rfc4475")
set_target_properties(sipmsg_bench_body PROPERTIES OUTPUT_NAME bench_body)
if(TARGET PkgConfig::BENCH_SOFIA)
  target_link_libraries(sipmsg_bench_body PRIVATE PkgConfig::BENCH_SOFIA)
  target_compile_definitions(sipmsg_bench_body PRIVATE BENCH_HAVE_SOFIA)
  # sofia-sip's headers are not warning-clean
  target_compile_options(sipmsg_bench_body PRIVATE -Wno-unused-parameter
    -Wno-sign-compare -Wno-missing-field-initializers)
endif()
