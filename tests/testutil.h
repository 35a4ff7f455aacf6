/* Shared helpers for the cmocka tests. */
#ifndef SIPMSG_TESTUTIL_H
#define SIPMSG_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sipmsg.h>

/* Reads SIPMSG_SOURCE_DIR/relpath into a malloc'd buffer (fails the test
 * when missing). */
char *tu_read(const char *relpath, size_t *len);

/* Copies `len` bytes into an exact-size malloc'd buffer, so that ASan
 * catches any read past the end. */
char *tu_exact(const char *data, size_t len);

/* Parses a C string (copied to an exact-size buffer) in datagram mode with a
 * 64-entry table; returns the status and fills *err. */
sipmsg_result tu_parse(const char *text, sipmsg_error *err);

/* Slice equality with a C string, case-sensitive. */
int tu_eq(sipmsg_slice s, const char *cstr);

#define assert_slice(s, cstr) tu_assert_slice((s), (cstr), __FILE__, __LINE__)
void tu_assert_slice(sipmsg_slice s, const char *cstr, const char *file, int line);

/* The challenge that starts at *pos of v, through the iterator API (the
 * cursor form the digest tests' tables of expected codes are written in):
 * SIPMSG_OK with *pos moved, SIPMSG_E_NOT_FOUND at the end, or the error's
 * code (in *err too, when not NULL). */
sipmsg_code tu_challenge_at(sipmsg_slice v, size_t *pos, sipmsg_challenge *ch,
                            sipmsg_error *err);

#endif
