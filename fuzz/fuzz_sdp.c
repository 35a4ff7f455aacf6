/*
 * fuzz_sdp.c - the SDP view and line writer (sipmsg/body.h).
 *
 * Input: an SDP body. Checked: the same result with tables and without
 * (counting pass), every slice inside, line media indices rising by one at
 * each m= line and the media table's line ranges matching them, formats
 * iterating inside the m= line, and a valid body written back from its
 * line table parsing again to the same lines.
 */
#include "fuzz_common.h"

#include <sipmsg/body.h>

#define NL 64
#define NM 8

static int same(sipmsg_slice a, sipmsg_slice b)
{
    if (!a.ptr || !b.ptr)
        return !a.ptr && !b.ptr;
    return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

static void check_lines(const sipmsg_sdp *s, const char *b, size_t size)
{
    uint32_t media = 0;
    FZ_CHECK(s->session_end <= s->line_count);
    for (size_t i = 0; i < s->line_count; i++) {
        const sipmsg_sdp_line *l = &s->lines[i];
        FZ_CHECK(fz_inside(l->text, b, size) || (l->text.ptr == b + size && !l->text.len));
        FZ_CHECK(l->text.ptr >= b + 2 && l->text.ptr[-1] == '=' && l->text.ptr[-2] == l->type);
        if (l->type == 'm')
            media++;
        FZ_CHECK(l->media == media);
        FZ_CHECK((i < s->session_end) == (media == 0));
        if (l->type == 'a') {
            FZ_CHECK(fz_present_inside(l->name, l->text.ptr, l->text.len));
            FZ_CHECK(l->name.ptr == l->text.ptr);
            if (l->value.ptr)
                FZ_CHECK(l->value.ptr + l->value.len == l->text.ptr + l->text.len);
        } else {
            FZ_CHECK(same(l->value, l->text) && !l->name.ptr);
        }
        fz_touch(l->text);
    }
    FZ_CHECK(media == s->media_count);
    for (size_t k = 0; k < s->media_count && k < s->media_capacity; k++) {
        const sipmsg_sdp_media *m = &s->media[k];
        const sipmsg_sdp_line *l = &s->lines[m->line];
        FZ_CHECK(l->type == 'm' && l->media == k + 1);
        FZ_CHECK(m->line < m->line_end && m->line_end <= s->line_count);
        FZ_CHECK(m->port <= 65535);
        FZ_CHECK(fz_present_inside(m->formats, l->text.ptr, l->text.len));
        sipmsg_slice list = m->formats, f;
        size_t n = 0;
        while (sipmsg_sdp_format_next(&list, &f)) {
            FZ_CHECK(f.len > 0 && fz_present_inside(f, m->formats.ptr, m->formats.len));
            FZ_CHECK(++n <= m->formats.len);
        }
        FZ_CHECK(n > 0);
        if (k + 1 < s->media_count)
            FZ_CHECK(m->line_end == s->media[k + 1].line);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *b = fz_copy(data, size);
    sipmsg_sdp_line lines[NL];
    sipmsg_sdp_media media[NM];
    sipmsg_sdp s, z;
    sipmsg_error e1, e2;
    sipmsg_sdp_init(&s, lines, NL, media, NM);
    sipmsg_sdp_init(&z, NULL, 0, NULL, 0);
    sipmsg_code c1 = sipmsg_sdp_parse(&s, (sipmsg_slice){b, size}, &e1);
    sipmsg_code c2 = sipmsg_sdp_parse(&z, (sipmsg_slice){b, size}, &e2);
    if (c1 != SIPMSG_OK) {
        fz_check_error(&e1, size);
        if (c1 != SIPMSG_E_NO_SPACE)
            FZ_CHECK(c2 == c1 && e2.offset == e1.offset);
        free(b);
        return 0;
    }
    FZ_CHECK(c2 == SIPMSG_OK);
    FZ_CHECK(z.line_count == s.line_count && z.media_count == s.media_count);
    FZ_CHECK(z.session_end == s.session_end && z.start == s.start && z.stop == s.stop);
    FZ_CHECK(same(z.origin.address, s.origin.address) && same(z.name, s.name));
    FZ_CHECK(s.line_count >= 4 && s.lines[0].type == 'v');
    FZ_CHECK(fz_present_inside(s.origin.username, b, size));
    FZ_CHECK(fz_present_inside(s.time, b, size));
    check_lines(&s, b, size);

    /* written back (CRLF endings), parsed again: the same lines */
    size_t need = sipmsg_sdp_write(NULL, 0, lines, s.line_count, &e1);
    FZ_CHECK(need > 0);
    char *out = malloc(need);
    FZ_CHECK(out != NULL);
    FZ_CHECK(sipmsg_sdp_write(out, need, lines, s.line_count, &e1) == need);
    sipmsg_sdp_line again[NL];
    sipmsg_sdp_media am[NM];
    sipmsg_sdp t;
    sipmsg_sdp_init(&t, again, NL, am, NM);
    FZ_CHECK(sipmsg_sdp_parse(&t, (sipmsg_slice){out, need}, &e1) == SIPMSG_OK);
    FZ_CHECK(t.line_count == s.line_count && t.media_count == s.media_count);
    for (size_t i = 0; i < s.line_count; i++)
        FZ_CHECK(again[i].type == lines[i].type && same(again[i].text, lines[i].text) &&
                 again[i].media == lines[i].media);
    free(out);
    free(b);
    return 0;
}
