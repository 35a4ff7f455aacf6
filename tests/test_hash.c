/* Built-in hashes: RFC 1321 (MD5) and FIPS 180-4 / NIST example vectors
 * (SHA-256, SHA-512/256), padding boundaries and incremental feeding.
 * Expected values come from the RFC / NIST examples and were checked with
 * python3 hashlib. */
#include "testutil.h"
#include "hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hex(const unsigned char *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    out[2 * n] = '\0';
}

static void check(sipmsg_hash_alg alg, const void *data, size_t n,
                  const char *expect)
{
    unsigned char d[SIPMSG_HASH_MAX];
    char h[2 * SIPMSG_HASH_MAX + 1];
    hex(d, sipmsg_hash_(alg, data, n, d), h);
    assert_string_equal(h, expect);
}

static void check_str(sipmsg_hash_alg alg, const char *s, const char *expect)
{
    check(alg, s, strlen(s), expect);
}

/* RFC 1321 A.5 test suite. */
static void test_md5_rfc1321(void **state)
{
    (void)state;
    check_str(SIPMSG_HASH_MD5, "", "d41d8cd98f00b204e9800998ecf8427e");
    check_str(SIPMSG_HASH_MD5, "a", "0cc175b9c0f1b6a831c399e269772661");
    check_str(SIPMSG_HASH_MD5, "abc", "900150983cd24fb0d6963f7d28e17f72");
    check_str(SIPMSG_HASH_MD5, "message digest",
              "f96b697d7cb7938d525a2f31aaf161d0");
    check_str(SIPMSG_HASH_MD5, "abcdefghijklmnopqrstuvwxyz",
              "c3fcd3d76192e4007dfb496cca67e13b");
    check_str(SIPMSG_HASH_MD5,
              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
              "d174ab98d277d9f5a5611c2c9f419d9f");
    check_str(SIPMSG_HASH_MD5,
              "1234567890123456789012345678901234567890"
              "1234567890123456789012345678901234567890",
              "57edf4a22be3c955ac49da2e2107b67a");
}

static const char two_block[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char four_block[] =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

/* FIPS 180-4 examples (NIST CSRC "SHA256.pdf"). */
static void test_sha256_fips(void **state)
{
    (void)state;
    check_str(SIPMSG_HASH_SHA256, "",
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_str(SIPMSG_HASH_SHA256, "abc",
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check_str(SIPMSG_HASH_SHA256, two_block,
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check_str(SIPMSG_HASH_SHA256, four_block,
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* FIPS 180-4 examples (NIST CSRC "SHA512_256.pdf"). */
static void test_sha512_256_fips(void **state)
{
    (void)state;
    check_str(SIPMSG_HASH_SHA512_256, "",
              "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a");
    check_str(SIPMSG_HASH_SHA512_256, "abc",
              "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23");
    check_str(SIPMSG_HASH_SHA512_256, two_block,
              "bde8e1f9f19bb9fd3406c90ec6bc47bd36d8ada9f11880dbc8a22a7078b6a461");
    check_str(SIPMSG_HASH_SHA512_256, four_block,
              "3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a");
}

/* One million 'a', fed in uneven chunks (exercises buffering). */
static void million_a(sipmsg_hash_alg alg, const char *expect)
{
    static char chunk[997];
    memset(chunk, 'a', sizeof chunk);
    sipmsg_hash_ctx h;
    sipmsg_hash_init_(&h, alg);
    size_t left = 1000000, step = 1;
    while (left > 0) {
        size_t n = step < left ? step : left;
        if (n > sizeof chunk)
            n = sizeof chunk;
        sipmsg_hash_update_(&h, chunk, n);
        left -= n;
        step = step % sizeof chunk + 13;
    }
    unsigned char d[SIPMSG_HASH_MAX];
    char s[2 * SIPMSG_HASH_MAX + 1];
    hex(d, sipmsg_hash_final_(&h, d), s);
    assert_string_equal(s, expect);
}

static void test_million_a(void **state)
{
    (void)state;
    million_a(SIPMSG_HASH_MD5, "7707d6ae4e027c70eea2a935c2296f21");
    million_a(SIPMSG_HASH_SHA256,
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    million_a(SIPMSG_HASH_SHA512_256,
              "9a59a052930187a97038cae692f30708aa6491923ef5194394dc68d56c74fb21");
}

/* Every length 0-299 (all padding boundaries of both block sizes): the
 * digests of bytes (i*7+n)&0xff, fed into an outer hash. The outer values
 * were computed with python3 hashlib. */
static void boundaries(sipmsg_hash_alg alg, const char *expect)
{
    unsigned char msg[300], d[SIPMSG_HASH_MAX];
    char s[2 * SIPMSG_HASH_MAX + 1];
    sipmsg_hash_ctx outer;
    sipmsg_hash_init_(&outer, alg);
    for (size_t n = 0; n < 300; n++) {
        for (size_t i = 0; i < n; i++)
            msg[i] = (unsigned char)((i * 7 + n) & 0xff);
        sipmsg_hash_update_(&outer, d, sipmsg_hash_(alg, msg, n, d));
    }
    hex(d, sipmsg_hash_final_(&outer, d), s);
    assert_string_equal(s, expect);
}

static void test_padding_boundaries(void **state)
{
    (void)state;
    boundaries(SIPMSG_HASH_MD5, "07078cab541bc45f0a66e2c0213a32f4");
    boundaries(SIPMSG_HASH_SHA256,
               "d5238871a46ac4a1a75ac3fb19d645b0b3b9e5f35f5f720e2b240d605c6b694e");
    boundaries(SIPMSG_HASH_SHA512_256,
               "7284103825cd2449d0eb4ce53139220bf85b3c859a7e28c87b494f2602b801c7");
}

/* Splitting a message at every point gives the one-shot digest. */
static void test_split_feeding(void **state)
{
    (void)state;
    unsigned char msg[260];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (unsigned char)(i * 31 + 5);
    for (int a = 0; a < SIPMSG_HASH_COUNT_; a++) {
        unsigned char whole[SIPMSG_HASH_MAX], part[SIPMSG_HASH_MAX];
        const size_t n = sipmsg_hash_((sipmsg_hash_alg)a, msg, sizeof msg, whole);
        for (size_t cut = 0; cut <= sizeof msg; cut++) {
            sipmsg_hash_ctx h;
            sipmsg_hash_init_(&h, (sipmsg_hash_alg)a);
            sipmsg_hash_update_(&h, msg, cut);
            sipmsg_hash_update_(&h, msg + cut, sizeof msg - cut);
            assert_int_equal(sipmsg_hash_final_(&h, part), n);
            assert_memory_equal(whole, part, n);
        }
    }
}

static void test_sizes(void **state)
{
    (void)state;
    assert_int_equal(sipmsg_md5_desc_.size, 16);
    assert_int_equal(sipmsg_sha256_desc_.size, 32);
    assert_int_equal(sipmsg_sha512_256_desc_.size, 32);
    assert_int_equal(sipmsg_sha512_256_desc_.block, 128);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md5_rfc1321),
        cmocka_unit_test(test_sha256_fips),
        cmocka_unit_test(test_sha512_256_fips),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_split_feeding),
        cmocka_unit_test(test_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
