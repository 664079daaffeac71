#ifndef IKESCOPE_DIALECT_H
#define IKESCOPE_DIALECT_H

/*
 * What a vendor's words mean in protocol terms (proto.h). This module is
 * where a dialect's spelling of IKEv2 values lives; the first piece here
 * is the Cisco (ASA, IOS, IOS-XE) spelling of transforms.
 */

#include <stdbool.h>

/*
 * The IANA value of a transform of type type (1 encryption, 2 PRF, 3
 * integrity, 4 D-H group, 5 ESN) as a Cisco device names it ("AES-CBC",
 * "AES-GCM-256", "SHA96", "SHA256", "DH_GROUP_2048_MODP/Group 14", "Don't
 * use ESN"). False if the name is not known for that type.
 */
bool dialect_cisco_transform(unsigned type, const char *name, unsigned *iana);

#endif
