/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DSA slice class (slicebus_dsa.ko): the data-path contract between
 * providers whose slices are DSA work queues (slicesim, slicebus_idxd) and
 * the backends that move data through them (dma, vfio, vdpa).
 *
 * A provider registers its parent with &slicebus_parent_info.slice_class
 * %SLICEBUS_CLASS_DSA and &slicebus_parent_info.class_ops pointing at a
 * &struct slicebus_dsa_parent_ops: the queue callbacks, and whether the
 * hardware reaches memory by DMA address only (then holders with an
 * address space of their own go through this layer's mediated path).  A
 * backend holding a slice enables its queue with a
 * &struct slicebus_dsa_queue_cfg, submits &struct dsa_hw_desc descriptors
 * and is told of completions through the records the descriptors name.
 *
 * See Documentation/slicebus/provider-api.rst.
 */
#ifndef _LINUX_SLICEBUS_DSA_H
#define _LINUX_SLICEBUS_DSA_H

#include <linux/bitmap.h>
#include <linux/slicebus.h>
#include <uapi/linux/idxd.h>

/* &slicebus_parent_info.slice_class of DSA work-queue slices */
#define SLICEBUS_CLASS_DSA	"dsa"

/* largest transfer of one descriptor on the mediated path */
#define SLICEBUS_DSA_MEDIATED_MAX_XFER	(2U << 20)

struct page;

/**
 * struct slicebus_dsa_mem_ops - how a slice's engine reaches descriptor memory
 * @rw: copy @len bytes between address @addr of the submitter's address
 *	space and the kernel buffer @buf (@write: to @addr).  Returns 0, or
 *	-EFAULT for an address the submitter does not own; the engine then
 *	completes the descriptor with a page-fault status.  May sleep.
 *
 * @pin: optional, for the mediated path's zero-copy: pin the @npages pages
 *	from the page-aligned @addr and return them in @pages; all or
 *	nothing.  0, or -errno (the mediated path then copies).  May sleep.
 * @unpin: undo a successful @pin of the same range.  May sleep.
 *
 * A VFIO user's IOVAs (through vfio_dma_rw() and vfio_pin_pages()) or a
 * vhost IOTLB are such address spaces.  Without mem ops, addresses are DMA
 * addresses of &slicebus_slice.dma_dev, as for any DMA engine.
 */
struct slicebus_dsa_mem_ops {
	int (*rw)(void *priv, u64 addr, void *buf, size_t len, bool write);
	int (*pin)(void *priv, u64 addr, unsigned int npages, bool write,
		   struct page **pages);
	void (*unpin)(void *priv, u64 addr, unsigned int npages);
};

/**
 * struct slicebus_dsa_queue_cfg - what the holder of a slice gives its queue
 * @mem: address space of descriptor addresses, or NULL for DMA addresses
 * @mem_priv: passed to @mem
 * @irq: a descriptor that asked for a completion interrupt
 *	(%IDXD_OP_FLAG_RCI) completed, its record written; @int_handle is the
 *	descriptor's.  Called from any context, possibly atomic.  May be NULL.
 * @error: a completion record could not be written (bad completion
 *	address); the descriptor's status is lost.  Any context.  May be NULL.
 * @write_record: for providers whose hardware writes completion records
 *	into memory of its own (idxd): store @cr at the holder's
 *	@completion_addr, status byte last.  Holders using DMA addresses
 *	(kernel users) provide it; any context.  May be NULL.
 * @revoked: the queue was taken from the holder while enabled: its
 *	provider's hardware went away (slicebus_slice_revoke()) or the
 *	provider was removed under a kernel holder.  The queue is disabled
 *	already (no @irq, no memory access any more) and every later queue
 *	call fails with -ENODEV; the holder should tell its user and let go
 *	of the slice.  Process context, no slicebus lock held.  May be NULL.
 * @priv: passed to @irq, @error, @write_record and @revoked
 */
struct slicebus_dsa_queue_cfg {
	const struct slicebus_dsa_mem_ops *mem;
	void *mem_priv;
	void (*irq)(void *priv, u16 int_handle);
	void (*error)(void *priv, u64 completion_addr);
	void (*write_record)(void *priv, u64 completion_addr,
			     const struct dsa_completion_record *cr);
	void (*revoked)(void *priv);
	void *priv;
};

/**
 * struct slicebus_dsa_queue_caps - what a slice's queue can do
 * @size: descriptors it holds at most (queued and executing)
 * @max_xfer: largest transfer size of one descriptor, in bytes
 * @max_batch: most descriptors in one BATCH
 * @opcodes: bit n set when DSA opcode n is supported
 */
struct slicebus_dsa_queue_caps {
	u32 size;
	u32 max_xfer;
	u32 max_batch;
	DECLARE_BITMAP(opcodes, 256);
};

/**
 * struct slicebus_dsa_queue_stats - counters of a slice's queue
 * @submitted: descriptors accepted
 * @refused: submissions refused because the queue was full
 * @completed: descriptors completed (batch members included)
 * @failed: completed with a status other than success
 * @bytes: bytes moved, filled, compared or checksummed
 * @mediated: descriptors that went through the mediated path
 *	(counted by this layer, see &slicebus_dsa_parent_ops.dma_only)
 * @pinned: operand ranges the mediated path used in place (pinned), not
 *	copied
 */
struct slicebus_dsa_queue_stats {
	u64 submitted;
	u64 refused;
	u64 completed;
	u64 failed;
	u64 bytes;
	u64 mediated;
	u64 pinned;
};

/**
 * struct slicebus_dsa_parent_ops - a DSA provider's queue callbacks
 * @queue_caps: describe the slice's queue.
 * @queue_enable: start the slice's queue for one holder.  -EBUSY if it is
 *	enabled already.
 * @queue_disable: stop accepting descriptors, discard the queued ones,
 *	wait for the executing ones; afterwards no @irq, no memory access.
 * @queue_submit: queue one DSA descriptor.  -ENOSPC when the queue is full
 *	(never blocks, never drops), -ENODEV when it is not enabled.  May be
 *	called from atomic context.
 * @queue_stats: read the queue's counters.  May be NULL.
 * @dma_only: the queues reach memory only by DMA addresses of
 *	&slicebus_slice.dma_dev, as real hardware does.  A holder with an
 *	address space of its own (&slicebus_dsa_queue_cfg.mem: a VFIO user, a
 *	vhost IOTLB) then gets the mediated path: the provider's queue is
 *	enabled by this layer as a DMA-address holder, and every descriptor
 *	is translated, its operands bounced through kernel memory.  The
 *	provider never sees @mem.
 *
 * Passed as &slicebus_parent_info.class_ops; copied at registration.  The
 * callbacks are called for a slice between the provider's
 * &slicebus_parent_ops.slice_init and its @slice_release, never after
 * slicebus_parent_unregister() returned.  A table without @queue_submit
 * registers slices without a data path: every queue call then fails with
 * -EOPNOTSUPP.
 */
struct slicebus_dsa_parent_ops {
	void (*queue_caps)(struct slicebus_slice *slice,
			   struct slicebus_dsa_queue_caps *caps);
	int (*queue_enable)(struct slicebus_slice *slice,
			    const struct slicebus_dsa_queue_cfg *cfg);
	void (*queue_disable)(struct slicebus_slice *slice);
	int (*queue_submit)(struct slicebus_slice *slice,
			    const struct dsa_hw_desc *desc);
	void (*queue_stats)(struct slicebus_slice *slice,
			    struct slicebus_dsa_queue_stats *stats);
	bool dma_only;
};

int slicebus_dsa_queue_caps(struct slicebus_slice *slice,
			    struct slicebus_dsa_queue_caps *caps);
int slicebus_dsa_queue_enable(struct slicebus_slice *slice,
			      const struct slicebus_dsa_queue_cfg *cfg);
void slicebus_dsa_queue_disable(struct slicebus_slice *slice);
int slicebus_dsa_queue_submit(struct slicebus_slice *slice,
			      const struct dsa_hw_desc *desc);
void slicebus_dsa_queue_stats(struct slicebus_slice *slice,
			      struct slicebus_dsa_queue_stats *stats);

#endif /* _LINUX_SLICEBUS_DSA_H */
