/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef FAKE_LAYER_H
#define FAKE_LAYER_H

/* A FAKE layer for the attempt's unit tests: an NML2tpLayer that does
 * nothing real and does what the test tells it, writing every call into a
 * shared journal ("ipsec:connect link:prepare ...") so that a test can
 * assert the order of things.  It stands in for NML2tpIpsec and NML2tpLink,
 * whose own behaviour is tested against real charon, xl2tpd and pppd in
 * tests/netns and the VM lab. */

#include "nm-l2tp-layer.h"

#define FAKE_TYPE_LAYER (fake_layer_get_type())
G_DECLARE_FINAL_TYPE(FakeLayer, fake_layer, FAKE, LAYER, GObject)

FakeLayer  *fake_layer_new(const char *name, GString *journal);
const char *fake_layer_get_name(FakeLayer *self);

/* Ends the pending connect: NULL succeeds, otherwise it fails with a
 * record of @stage and @cause. */
void fake_layer_finish_connect(FakeLayer *self, gboolean ok, NML2tpStage stage, NML2tpCause cause);
gboolean fake_layer_is_connecting(FakeLayer *self);
/* How long disconnect takes (a slow teardown, on purpose). */
void fake_layer_set_disconnect_ms(FakeLayer *self, guint ms);
/* What the test pretends happened. */
void        fake_layer_emit_stage(FakeLayer *self, NML2tpStage stage);
void        fake_layer_emit_down(FakeLayer *self, NML2tpStage stage, NML2tpCause cause);
const char *fake_layer_get_password(FakeLayer *self);
gboolean    fake_layer_is_disconnected(FakeLayer *self);

#endif /* FAKE_LAYER_H */
