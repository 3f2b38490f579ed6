/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slicebus in-kernel client API (slicebus_dma.ko): take a slice for your own
 * use through the accountant (backend "dma"), submit DSA descriptors to it,
 * be told of their completion, give it back.
 *
 * See Documentation/slicebus/client-api.rst.
 */
#ifndef _LINUX_SLICEBUS_DMA_H
#define _LINUX_SLICEBUS_DMA_H

#include <linux/slicebus_dsa.h>

struct slicebus_client;

/**
 * typedef slicebus_done_t - a descriptor completed
 * @ctx: what was given to slicebus_client_submit()
 * @cr: its completion record (status, result, bytes_completed, crc_val...)
 *
 * Runs in any context, possibly atomic, with no slicebus lock held; it may
 * submit more descriptors.
 */
typedef void (*slicebus_done_t)(void *ctx,
				const struct dsa_completion_record *cr);

struct slicebus_client *slicebus_client_get(const char *dev, const char *type,
					    const char *name,
					    struct netlink_ext_ack *extack);
void slicebus_client_put(struct slicebus_client *client);
struct device *slicebus_client_dma_device(struct slicebus_client *client);
struct slicebus_slice *slicebus_client_slice(struct slicebus_client *client);
int slicebus_client_submit(struct slicebus_client *client,
			   struct dsa_hw_desc *desc, slicebus_done_t done,
			   void *ctx);
unsigned int slicebus_client_poll(struct slicebus_client *client);

#endif /* _LINUX_SLICEBUS_DMA_H */
