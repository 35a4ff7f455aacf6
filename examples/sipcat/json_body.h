/*
 * json_body.h - the --json keys for message bodies (json_body.c).
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPCAT_JSON_BODY_H
#define SIPCAT_JSON_BODY_H

#include "sipcat.h"

/* Writes `,"parts":...,"cpim":...,"sdp":...` (no comma before the first
 * key when *n is 0; *n counts the keys written, as in json.c). Each is null
 * unless the Content-Type names that kind and the body parses; a body that
 * does not parse gives a warning on stderr. */
void json_body_views(int *n, const sipmsg_msg *m, const struct origin *o);

#endif
