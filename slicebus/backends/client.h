/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SLICEBUS_CLIENT_H
#define _SLICEBUS_CLIENT_H

#include <linux/slicebus_dsa.h>

int sb_client_probe(struct slicebus_slice *slice);
void sb_client_remove(struct slicebus_slice *slice);

#endif /* _SLICEBUS_CLIENT_H */
