/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slicebus: register a device's hardware queue slices once, hand them to
 * VFIO (mdev), vDPA or in-kernel users, with one accountant deciding every
 * allocation.
 *
 * Providers (a device driver) describe a parent: named resource pools and
 * slice types that cost an amount of each pool, then call
 * slicebus_parent_register().  Backends (slicebus_vfio, slicebus_vdpa,
 * slicebus_dma) register a &struct slicebus_driver; every slice is a
 * &struct device on the slice bus, bound to the driver of its backend.
 *
 * See Documentation/slicebus/provider-api.rst.
 */
#ifndef _LINUX_SLICEBUS_H
#define _LINUX_SLICEBUS_H

#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/netlink.h>
#include <uapi/linux/idxd.h>
#include <uapi/linux/slicebus.h>

#define SLICEBUS_MAX_RESOURCES	8
#define SLICEBUS_MAX_TYPES	16

struct slicebus_parent;
struct slicebus_slice;
struct sb_med;
struct page;

/* largest transfer of one descriptor on the mediated path */
#define SLICEBUS_MEDIATED_MAX_XFER	(2U << 20)

/**
 * struct slicebus_resource_info - one resource pool of a parent
 * @name: pool name, e.g. "wq" ([A-Za-z0-9._:-], < %SLICEBUS_NAME_LEN)
 * @total: capacity
 */
struct slicebus_resource_info {
	const char *name;
	u64 total;
};

/**
 * struct slicebus_type_info - one slice type of a parent
 * @name: type name, e.g. "dwq-16"; also the mdev type name
 * @description: one line for users (mdev "description")
 * @cost: amount of each pool (indexed as the parent's resources) one slice
 *	takes; at least one must be non-zero
 */
struct slicebus_type_info {
	const char *name;
	const char *description;
	u64 cost[SLICEBUS_MAX_RESOURCES];
};

/**
 * struct slicebus_mem_ops - how a slice's engine reaches descriptor memory
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
struct slicebus_mem_ops {
	int (*rw)(void *priv, u64 addr, void *buf, size_t len, bool write);
	int (*pin)(void *priv, u64 addr, unsigned int npages, bool write,
		   struct page **pages);
	void (*unpin)(void *priv, u64 addr, unsigned int npages);
};

/**
 * struct slicebus_queue_cfg - what the holder of a slice gives its queue
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
 * @priv: passed to @irq, @error and @write_record
 */
struct slicebus_queue_cfg {
	const struct slicebus_mem_ops *mem;
	void *mem_priv;
	void (*irq)(void *priv, u16 int_handle);
	void (*error)(void *priv, u64 completion_addr);
	void (*write_record)(void *priv, u64 completion_addr,
			     const struct dsa_completion_record *cr);
	void *priv;
};

/**
 * struct slicebus_queue_caps - what a slice's queue can do
 * @size: descriptors it holds at most (queued and executing)
 * @max_xfer: largest transfer size of one descriptor, in bytes
 * @max_batch: most descriptors in one BATCH
 * @opcodes: bit n set when DSA opcode n is supported
 */
struct slicebus_queue_caps {
	u32 size;
	u32 max_xfer;
	u32 max_batch;
	DECLARE_BITMAP(opcodes, 256);
};

/**
 * struct slicebus_queue_stats - counters of a slice's queue
 * @submitted: descriptors accepted
 * @refused: submissions refused because the queue was full
 * @completed: descriptors completed (batch members included)
 * @failed: completed with a status other than success
 * @bytes: bytes moved, filled, compared or checksummed
 * @mediated: descriptors that went through the core's mediated path
 *	(counted by the core, see &slicebus_parent_info.dma_only)
 * @pinned: operand ranges the mediated path used in place (pinned), not
 *	copied
 */
struct slicebus_queue_stats {
	u64 submitted;
	u64 refused;
	u64 completed;
	u64 failed;
	u64 bytes;
	u64 mediated;
	u64 pinned;
};

/**
 * struct slicebus_parent_ops - provider callbacks
 * @slice_init: give a new slice its hardware (e.g. pick a queue).  Called
 *	after the accountant debited the slice, before the slice is bound to
 *	its backend, in process context without slicebus locks.  May be NULL.
 * @slice_release: take the hardware back; called after the backend let go
 *	of the slice (its queue disabled).  May be NULL.
 * @queue_caps: describe the slice's queue.
 * @queue_enable: start the slice's queue for one holder.  -EBUSY if it is
 *	enabled already.
 * @queue_disable: stop accepting descriptors, discard the queued ones,
 *	wait for the executing ones; afterwards no @irq, no memory access.
 * @queue_submit: queue one DSA descriptor.  -ENOSPC when the queue is full
 *	(never blocks, never drops), -ENODEV when it is not enabled.  May be
 *	called from atomic context.
 * @queue_stats: read the queue's counters.
 *
 * The queue callbacks are optional as a set: a provider without them has
 * slices that backends needing a data path (dma, vfio, vdpa) refuse.
 */
struct slicebus_parent_ops {
	int (*slice_init)(struct slicebus_slice *slice);
	void (*slice_release)(struct slicebus_slice *slice);
	void (*queue_caps)(struct slicebus_slice *slice,
			   struct slicebus_queue_caps *caps);
	int (*queue_enable)(struct slicebus_slice *slice,
			    const struct slicebus_queue_cfg *cfg);
	void (*queue_disable)(struct slicebus_slice *slice);
	int (*queue_submit)(struct slicebus_slice *slice,
			    const struct dsa_hw_desc *desc);
	void (*queue_stats)(struct slicebus_slice *slice,
			    struct slicebus_queue_stats *stats);
};

/**
 * struct slicebus_parent_info - what a provider registers
 * @name: parent name, unique system-wide, e.g. "sim0"
 * @dev: the provider's device; the parent's management device is its child
 *	and @dev's driver name is shown as the parent's driver
 * @resources: resource pools
 * @nr_resources: number of @resources, 1..%SLICEBUS_MAX_RESOURCES
 * @types: slice types
 * @nr_types: number of @types, 1..%SLICEBUS_MAX_TYPES
 * @default_type: per backend, the type used when a request names none
 *	(e.g. ``vdpa dev add``); NULL means @types[0]
 * @ops: provider callbacks, may be NULL
 * @dma_only: the queues reach memory only by DMA addresses of
 *	&slicebus_slice.dma_dev, as real hardware does.  A holder with an
 *	address space of its own (&slicebus_queue_cfg.mem: a VFIO user, a
 *	vhost IOTLB) then gets the core's mediated path: the provider's queue
 *	is enabled by the core as a DMA-address holder, and every descriptor
 *	is translated, its operands bounced through kernel memory.  The
 *	provider never sees @mem.
 * @priv: provider data, see slicebus_parent_priv()
 *
 * The core copies what it needs (names, descriptions, costs, the ops
 * table); @info and the arrays and strings it points to may go away once
 * slicebus_parent_register() returns.  The ops' functions (the provider's
 * code) must stay until slicebus_parent_unregister() returns: the core
 * calls none of them afterwards, even for slices and queues a kernel holder
 * still keeps (their entry points then fail with -ENODEV).
 */
struct slicebus_parent_info {
	const char *name;
	struct device *dev;
	const struct slicebus_resource_info *resources;
	unsigned int nr_resources;
	const struct slicebus_type_info *types;
	unsigned int nr_types;
	const char *default_type[__SLICEBUS_BACKEND_CNT];
	const struct slicebus_parent_ops *ops;
	bool dma_only;
	void *priv;
};

/*
 * Where a slice is in its life; private to the core (slice.c says which
 * transitions there are and who makes them).
 */
enum slicebus_slice_state {
	SLICEBUS_SLICE_CREATING,
	SLICEBUS_SLICE_LIVE,
	SLICEBUS_SLICE_DYING,
	SLICEBUS_SLICE_DEAD,
};

/**
 * struct slicebus_slice - one slice, a device on the slice bus
 * @dev: the device; its name is the slice name
 * @parent: the parent it was cut from (alive as long as the slice)
 * @type: index into the parent's types
 * @backend: the backend that holds it
 * @handle: what the backend calls it (mdev UUID, vdpa device, dma channel);
 *	set by the backend's probe, shown to users
 * @dma_dev: the device to map memory against for this slice's queue (set
 *	by the provider's @slice_init; the parent's provider device if unset).
 *	The core holds a reference on it from then until the slice's last
 *	put, so holders that outlive the provider may still unmap against it.
 * @provider_priv: for the provider's @slice_init / @slice_release
 * @backend_priv: for the backend
 *
 * The remaining fields belong to the core.
 */
struct slicebus_slice {
	struct device dev;
	struct slicebus_parent *parent;
	unsigned int type;
	enum slicebus_backend backend;
	char handle[SLICEBUS_NAME_LEN];
	struct device *dma_dev;
	void *provider_priv;
	void *backend_priv;

	/* private: */
	u32 id;
	unsigned int flags;
	int probe_err;
	enum slicebus_slice_state state;
	atomic_t qusers;
	struct device *dma_held;
	struct hlist_node name_node;
	struct sb_med *med;
	atomic64_t med_count, med_local, med_failed, med_refused, med_pinned;
};

#define to_slicebus_slice(d) container_of_const(d, struct slicebus_slice, dev)

/**
 * struct slicebus_driver - a backend
 * @backend: which backend this driver is; at most one driver each
 * @probe: a slice of this backend was created: make it usable (set
 *	@slice->handle).  An error fails the creation.
 * @remove: the slice is going away: stop using it.
 * @parent_add: a parent appeared (or the driver registered while it
 *	existed): e.g. register an mdev parent or a vdpa management device.
 *	May be NULL.
 * @parent_remove: the parent is going away: remove every slice this
 *	backend's framework created on it, then unregister from the framework.
 *	May be NULL.
 * @slice_add: create a slice on behalf of a slicebus user (netlink) when the
 *	backend's framework must own it (the slice is created with
 *	%SLICEBUS_SLICE_BACKEND_OWNED).  NULL: the core creates and owns it.
 * @slice_del: delete a slice on behalf of a slicebus user (netlink), or
 *	refuse with a reason (e.g. it is in use).  NULL: the core destroys the
 *	slices it created and refuses the others.
 * @driver: the driver core's part
 *
 * @parent_add, @parent_remove, @slice_add and @slice_del are called with
 * the parent's lock for this backend held, and no other slicebus lock: they
 * may take their framework's locks (mdev, vdpa) and wait for the
 * framework's users, which holds up only this backend on this parent.
 * They may create and destroy slices; they must not register or unregister
 * parents or backends.
 */
struct slicebus_driver {
	enum slicebus_backend backend;
	int (*probe)(struct slicebus_slice *slice);
	void (*remove)(struct slicebus_slice *slice);
	int (*parent_add)(struct slicebus_parent *parent);
	void (*parent_remove)(struct slicebus_parent *parent);
	struct slicebus_slice *(*slice_add)(struct slicebus_parent *parent,
					    const char *type, const char *name,
					    struct netlink_ext_ack *extack);
	int (*slice_del)(struct slicebus_slice *slice,
			 struct netlink_ext_ack *extack);
	struct device_driver driver;

	/* private: new slices and parents may use it (core.c) */
	bool published;
};

#define to_slicebus_driver(d) container_of_const(d, struct slicebus_driver, driver)

/* The slice was created by the backend's framework, which deletes it. */
#define SLICEBUS_SLICE_BACKEND_OWNED	BIT(0)

struct slicebus_parent *
slicebus_parent_register(const struct slicebus_parent_info *info);
void slicebus_parent_unregister(struct slicebus_parent *parent);
const char *slicebus_parent_name(const struct slicebus_parent *parent);
struct device *slicebus_parent_device(struct slicebus_parent *parent);
void *slicebus_parent_priv(const struct slicebus_parent *parent);
void *slicebus_parent_backend_data(const struct slicebus_parent *parent,
				   enum slicebus_backend backend);
void slicebus_parent_set_backend_data(struct slicebus_parent *parent,
				      enum slicebus_backend backend, void *data);
unsigned int slicebus_parent_nr_types(const struct slicebus_parent *parent);
const struct slicebus_type_info *
slicebus_parent_type(const struct slicebus_parent *parent, unsigned int type);
int slicebus_parent_default_type(const struct slicebus_parent *parent,
				 enum slicebus_backend backend);
int slicebus_parent_find_type(const struct slicebus_parent *parent,
			      const char *name);
u64 slicebus_available(struct slicebus_parent *parent, unsigned int type,
		       enum slicebus_backend backend);

int __slicebus_driver_register(struct slicebus_driver *drv,
			       struct module *owner, const char *mod_name);
#define slicebus_driver_register(drv) \
	__slicebus_driver_register(drv, THIS_MODULE, KBUILD_MODNAME)
void slicebus_driver_unregister(struct slicebus_driver *drv);

struct slicebus_slice *slicebus_slice_create(struct slicebus_parent *parent,
					     unsigned int type,
					     enum slicebus_backend backend,
					     const char *name,
					     unsigned int flags,
					     struct device *dev_parent,
					     struct netlink_ext_ack *extack);
struct slicebus_slice *slicebus_slice_new(const char *dev, const char *type,
					  enum slicebus_backend backend,
					  const char *name, unsigned int flags,
					  struct netlink_ext_ack *extack);
void slicebus_slice_destroy(struct slicebus_slice *slice);
bool slicebus_slice_backend_owned(const struct slicebus_slice *slice);
const char *slicebus_slice_name(const struct slicebus_slice *slice);
const char *slicebus_slice_type_name(const struct slicebus_slice *slice);

int slicebus_queue_caps(struct slicebus_slice *slice,
			struct slicebus_queue_caps *caps);
int slicebus_queue_enable(struct slicebus_slice *slice,
			  const struct slicebus_queue_cfg *cfg);
void slicebus_queue_disable(struct slicebus_slice *slice);
int slicebus_queue_submit(struct slicebus_slice *slice,
			  const struct dsa_hw_desc *desc);
void slicebus_queue_stats(struct slicebus_slice *slice,
			  struct slicebus_queue_stats *stats);
const char *slicebus_backend_name(enum slicebus_backend backend);

#endif /* _LINUX_SLICEBUS_H */
