/* Cross-checks the built-in hashes against OpenSSL's libcrypto on random
 * inputs of random lengths, fed in random pieces. Built only when OpenSSL
 * is found (see the end of tests/CMakeLists.txt). */
#include "testutil.h"
#include "hash.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

/* A small deterministic generator (xorshift64*), so failures reproduce. */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545f4914f6cdd1dull;
}

static const EVP_MD *openssl_md(sipmsg_hash_alg alg)
{
    switch (alg) {
    case SIPMSG_HASH_SHA256:
        return EVP_sha256();
    case SIPMSG_HASH_SHA512_256:
        return EVP_sha512_256();
    default:
        return EVP_md5();
    }
}

static void cross_check(sipmsg_hash_alg alg, uint64_t *seed)
{
    static unsigned char msg[4096];
    const size_t n = (size_t)(next_rand(seed) % sizeof msg);
    for (size_t i = 0; i < n; i++)
        msg[i] = (unsigned char)next_rand(seed);

    unsigned char want[EVP_MAX_MD_SIZE];
    unsigned int want_len = 0;
    assert_int_equal(EVP_Digest(msg, n, want, &want_len, openssl_md(alg), NULL), 1);

    sipmsg_hash_ctx h;
    sipmsg_hash_init_(&h, alg);
    for (size_t done = 0; done < n;) {
        size_t piece = (size_t)(next_rand(seed) % 200);
        if (piece > n - done)
            piece = n - done;
        sipmsg_hash_update_(&h, msg + done, piece);
        done += piece;
    }
    unsigned char got[SIPMSG_HASH_MAX];
    assert_int_equal(sipmsg_hash_final_(&h, got), want_len);
    assert_memory_equal(got, want, want_len);
}

static void test_openssl_random(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (int round = 0; round < 2000; round++)
        for (int a = 0; a < SIPMSG_HASH_COUNT_; a++)
            cross_check((sipmsg_hash_alg)a, &seed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openssl_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
