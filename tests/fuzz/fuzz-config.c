/* libFuzzer: bytes as an ASA running config, then the checks that read it. */
#include <stdint.h>
#include <stdlib.h>

#include "ikescope/config.h"
#include "ikescope/model.h"
#include "ikescope/verify.h"
#include "ikescope/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xprofile_host h = { .name = "h",
				   .address = "10.0.0.1",
				   .user_group = "G",
				   .protocol = "IPsec",
				   .line = 1 };
	struct session *s = session_create("fuzz.log", 0);
	struct config c;

	config_parse("fuzz.cfg", (const char *)data, size, &c);
	s->tunnel_group = "G";
	s->assigned_ip = "10.2.2.1";
	s->crypto_map = "M";
	s->crypto_map_seq = 1;
	s->trustpoint = "TP";
	s->peer = "192.0.2.1";
	verify_with_config(s, &c);
	verify_profile(s, "p.xml", true, 0, &h, 1, &c);
	config_free(&c);
	session_destroy(s);
	return 0;
}
