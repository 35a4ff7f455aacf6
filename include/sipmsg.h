/*
 * sipmsg.h - umbrella header: includes every sipmsg module.
 *
 * Copyright (c) 2026 the sipmsg authors. MIT licensed, see LICENSE.
 */
#ifndef SIPMSG_H
#define SIPMSG_H

#include "sipmsg/common.h"
#include "sipmsg/parse.h"
#include "sipmsg/uri.h"
#include "sipmsg/header.h"
#include "sipmsg/validate.h"
#include "sipmsg/digest.h"
#include "sipmsg/write.h"
#include "sipmsg/body.h"
#include "sipmsg/route.h"

#endif /* SIPMSG_H */
