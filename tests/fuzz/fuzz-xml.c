/* libFuzzer: bytes as a config-auth document and as an AnyConnect client profile. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "ikescope/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xprofile_host hosts[8];
	struct xdoc_info x;
	bool wf;
	long at;

	xdoc_info_init(&x);
	xdoc_parse((const char *)data, size, &x);
	xdoc_info_finish(&x);
	xprofile_parse((const char *)data, size, hosts, 8, &wf, &at);
	xdoc_forget();
	return 0;
}
