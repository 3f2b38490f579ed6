/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slicebus: register a device's hardware queue slices once, hand them to
 * VFIO (mdev), vDPA or in-kernel users, with one accountant deciding every
 * allocation.
 *
 * Providers (a device driver) describe a parent: named resource pools and
 * slice types that cost an amount of each pool, then call
 * slicebus_parent_register().  Backends (slicebus_vfio, slicebus_vdpa,
 * slicebus_dma, or any other module) register a &struct slicebus_driver
 * under a name; every slice is a &struct device on the slice bus, bound to
 * the driver of its backend.
 *
 * The core moves no data: a parent's slices have a class (&struct
 * slicebus_class, e.g. "dsa" in <linux/slicebus_dsa.h>) whose layer owns
 * the data path between the provider and the backends serving that class.
 *
 * See Documentation/slicebus/provider-api.rst.
 */
#ifndef _LINUX_SLICEBUS_H
#define _LINUX_SLICEBUS_H

#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/netlink.h>
#include <uapi/linux/slicebus.h>

#define SLICEBUS_MAX_RESOURCES	8
#define SLICEBUS_MAX_TYPES	16
/* backend names known at once: vfio, vdpa, dma and the registered ones */
#define SLICEBUS_MAX_BACKENDS	16

struct slicebus_parent;
struct slicebus_slice;
struct module;

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
 * struct slicebus_default_type - the type a backend gets when it names none
 * @backend: backend name, e.g. "vdpa"; need not be loaded (or known) yet
 * @type: one of the parent's type names
 */
struct slicebus_default_type {
	const char *backend;
	const char *type;
};

/**
 * struct slicebus_parent_ops - provider callbacks
 * @slice_init: give a new slice its hardware (e.g. pick a queue).  Called
 *	after the accountant debited the slice, before the slice is bound to
 *	its backend, in process context, with no slicebus lock held but
 *	perhaps the parent's lock of the slice's backend (a netlink request):
 *	a provider must not hold a lock of its own that it also takes here
 *	while it registers, resizes or unregisters the parent.  May be NULL.
 * @slice_release: take the hardware back; called after the backend let go
 *	of the slice and its class stopped the slice's data path
 *	(&slicebus_class.slice_kill).  May be NULL.
 *
 * The data path of a slice is not here: it belongs to the slice's class
 * (&slicebus_parent_info.class_ops).
 */
struct slicebus_parent_ops {
	int (*slice_init)(struct slicebus_slice *slice);
	void (*slice_release)(struct slicebus_slice *slice);
};

/* Most counters a class reports per slice, see &slicebus_class.slice_stats */
#define SLICEBUS_MAX_STATS	16

/**
 * struct slicebus_stat - one named counter of a slice
 * @name: the counter's name, a static string
 * @value: its value
 */
struct slicebus_stat {
	const char *name;
	u64 value;
};

/**
 * struct slicebus_class - a class of slices and the layer that owns its
 *	data path
 * @name: the class name providers register their parents with, e.g. "dsa"
 *	([A-Za-z0-9._:-], < %SLICEBUS_NAME_LEN), and that backends list in
 *	&slicebus_driver.classes
 * @owner: the module of the class layer; held by every parent of the class
 *	until the parent's last reference is gone
 * @ops_size: size of the class's provider ops table
 *	(&slicebus_parent_info.class_ops), which the core copies
 * @slice_priv_size: bytes of per-slice state the core allocates with every
 *	slice of the class (zeroed), its &slicebus_slice.class_priv
 * @slice_init: a slice was allocated: set up its class state.  Called
 *	before anything else can reach the slice.  May be NULL.
 * @slice_kill: the slice is being torn down (its backend gone) or revoked
 *	(slicebus_slice_revoke()): stop its data path so that it calls the
 *	provider no more, and make every later data-path call on it fail.
 *	Called once for a slice the provider gave hardware (its
 *	&slicebus_parent_ops.slice_init succeeded), before the provider's
 *	&slicebus_parent_ops.slice_release; may sleep.  A slice refused
 *	before that is freed without it, its class state with it.  Kernel
 *	holders may keep the slice (and its class state) after this.
 *	May be NULL.
 * @slice_groups: sysfs attribute groups of every slice of the class, or
 *	NULL
 * @slice_stats: fill @stats with at most %SLICEBUS_MAX_STATS counters of
 *	the slice's data path and return how many; the names are the class's
 *	(static strings, [a-z0-9-]).  Reported by slice-get (``slicectl -s
 *	slice show``).  Called without any core lock held, on a slice the
 *	caller holds a reference of, possibly after @slice_kill (counters of
 *	a killed slice may read as zero).  May sleep.  May be NULL.
 * @node: entry in the core's class list
 *
 * A class layer registers its class at load time with
 * slicebus_class_register(); parents of the class can be registered from
 * then on.  See Documentation/slicebus/provider-api.rst.
 */
struct slicebus_class {
	const char *name;
	struct module *owner;
	size_t ops_size;
	size_t slice_priv_size;
	void (*slice_init)(struct slicebus_slice *slice);
	void (*slice_kill)(struct slicebus_slice *slice);
	const struct attribute_group **slice_groups;
	unsigned int (*slice_stats)(struct slicebus_slice *slice,
				    struct slicebus_stat *stats);

	/* private: */
	struct list_head node;
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
 * @default_types: per backend name, the type used when a request names
 *	none (e.g. ``vdpa dev add``); a backend not listed gets @types[0]
 * @nr_default_types: number of @default_types, at most
 *	%SLICEBUS_MAX_BACKENDS
 * @ops: provider callbacks, may be NULL
 * @slice_class: the class of the slices (e.g. %SLICEBUS_CLASS_DSA), whose
 *	layer must be loaded; NULL for slices without a data path, which
 *	only backends that serve every class take
 * @class_ops: the class's provider ops table (e.g. a
 *	&struct slicebus_dsa_parent_ops), required with @slice_class
 * @priv: provider data, see slicebus_parent_priv()
 *
 * The core copies what it needs (names, descriptions, costs, the ops
 * tables); @info and the arrays and strings it points to may go away once
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
	const struct slicebus_default_type *default_types;
	unsigned int nr_default_types;
	const struct slicebus_parent_ops *ops;
	const char *slice_class;
	const void *class_ops;
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

/*
 * Whether a slice has its provider's hardware; private to the core (see
 * slicebus_slice_revoke() in slice.c).
 */
enum slicebus_slice_hw {
	SLICEBUS_HW_NONE,
	SLICEBUS_HW_HELD,
	SLICEBUS_HW_RELEASING,
	SLICEBUS_HW_GONE,
};

/**
 * struct slicebus_slice - one slice, a device on the slice bus
 * @dev: the device; its name is the slice name
 * @parent: the parent it was cut from (alive as long as the slice)
 * @type: index into the parent's types
 * @handle: what the backend calls it (mdev UUID, vdpa device, dma channel);
 *	set by the backend's probe, shown to users
 * @dma_dev: the device to map memory against for this slice's queue (set
 *	by the provider's @slice_init; the parent's provider device if unset).
 *	The core holds a reference on it from then until the slice's last
 *	put, so holders that outlive the provider may still unmap against it.
 * @provider_priv: for the provider's @slice_init / @slice_release
 * @backend_priv: for the backend
 * @class_priv: the class layer's state of the slice
 *	(&slicebus_class.slice_priv_size bytes), or NULL without a class
 *
 * The remaining fields belong to the core; @options is set once by the
 * backend (slicebus_slice_set_options()).
 */
struct slicebus_slice {
	struct device dev;
	struct slicebus_parent *parent;
	unsigned int type;
	char handle[SLICEBUS_NAME_LEN];
	struct device *dma_dev;
	void *provider_priv;
	void *backend_priv;
	void *class_priv;

	/* private: */
	unsigned int backend;
	u32 id;
	unsigned int flags;
	int probe_err;
	enum slicebus_slice_state state;
	enum slicebus_slice_hw hw;
	struct device *dma_held;
	struct hlist_node name_node;
	const char *options;
};

/* Most options a slice takes, see &struct slicebus_options */
#define SLICEBUS_MAX_OPTIONS	8

/**
 * struct slicebus_options - the backend options a user gave a new slice
 * @nr: how many
 * @opt: each one's name ([a-z0-9_], 1-15 characters) and value (a string
 *	of 1-63 printable characters); names are unique
 *
 * The core parses them from slice-new (``slicectl slice add ... mac M``)
 * and hands them to the backend's &slicebus_driver.slice_add, which
 * refuses those it does not know, with a message.
 */
struct slicebus_options {
	unsigned int nr;
	struct {
		char name[16];
		char value[SLICEBUS_NAME_LEN];
	} opt[SLICEBUS_MAX_OPTIONS];
};

#define to_slicebus_slice(d) container_of_const(d, struct slicebus_slice, dev)

/**
 * struct slicebus_driver - a backend
 * @name: the backend's name, 1-63 of [A-Za-z0-9._:-], e.g. "vfio"; at most
 *	one driver per name.  Users name the backend with it (netlink,
 *	slicectl); a name other than vfio, vdpa and dma is known from the
 *	driver's registration to its unregistration.
 * @classes: the slice classes it serves (NULL-terminated names); it is not
 *	offered parents of other classes (no @parent_add) and slices of them
 *	are refused.  NULL: every class, and parents without one.
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
 *	%SLICEBUS_SLICE_BACKEND_OWNED), with the user's @opts (maybe none),
 *	refusing an option it does not know or a value it cannot honour.
 *	Returns the slice with a reference for the caller, taken before the
 *	framework made it public (and so deletable); the core puts it after
 *	its reply.  NULL: the core creates and owns it, and refuses options.
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
	const char *name;
	const char *const *classes;
	int (*probe)(struct slicebus_slice *slice);
	void (*remove)(struct slicebus_slice *slice);
	int (*parent_add)(struct slicebus_parent *parent);
	void (*parent_remove)(struct slicebus_parent *parent);
	struct slicebus_slice *(*slice_add)(struct slicebus_parent *parent,
					    const char *type, const char *name,
					    const struct slicebus_options *opts,
					    struct netlink_ext_ack *extack);
	int (*slice_del)(struct slicebus_slice *slice,
			 struct netlink_ext_ack *extack);
	struct device_driver driver;

	/* private: */
	unsigned int id;
	bool published;		/* new slices and parents may use it (core.c) */
};

#define to_slicebus_driver(d) container_of_const(d, struct slicebus_driver, driver)

/* The slice was created by the backend's framework, which deletes it. */
#define SLICEBUS_SLICE_BACKEND_OWNED	BIT(0)

struct slicebus_parent *
slicebus_parent_register(const struct slicebus_parent_info *info);
void slicebus_parent_unregister(struct slicebus_parent *parent);
const struct slicebus_class *
slicebus_parent_class(const struct slicebus_parent *parent);
const void *slicebus_parent_class_ops(const struct slicebus_parent *parent);
const char *slicebus_parent_name(const struct slicebus_parent *parent);
struct device *slicebus_parent_device(struct slicebus_parent *parent);
struct device *slicebus_parent_host_device(struct slicebus_parent *parent);
void *slicebus_parent_priv(const struct slicebus_parent *parent);
void *slicebus_parent_backend_data(const struct slicebus_parent *parent,
				   const struct slicebus_driver *drv);
void slicebus_parent_set_backend_data(struct slicebus_parent *parent,
				      const struct slicebus_driver *drv,
				      void *data);
unsigned int slicebus_parent_nr_types(const struct slicebus_parent *parent);
const struct slicebus_type_info *
slicebus_parent_type(const struct slicebus_parent *parent, unsigned int type);
int slicebus_parent_default_type(const struct slicebus_parent *parent,
				 const struct slicebus_driver *drv);
int slicebus_parent_find_type(const struct slicebus_parent *parent,
			      const char *name);
u64 slicebus_available(struct slicebus_parent *parent, unsigned int type,
		       const struct slicebus_driver *drv);

int __slicebus_driver_register(struct slicebus_driver *drv,
			       struct module *owner, const char *mod_name);
#define slicebus_driver_register(drv) \
	__slicebus_driver_register(drv, THIS_MODULE, KBUILD_MODNAME)
void slicebus_driver_unregister(struct slicebus_driver *drv);

struct slicebus_slice *slicebus_slice_create(struct slicebus_parent *parent,
					     unsigned int type,
					     const struct slicebus_driver *drv,
					     const char *name,
					     unsigned int flags,
					     struct device *dev_parent,
					     struct netlink_ext_ack *extack);
struct slicebus_slice *slicebus_slice_new(const char *dev, const char *type,
					  const char *backend,
					  const char *name, unsigned int flags,
					  struct netlink_ext_ack *extack);
void slicebus_slice_destroy(struct slicebus_slice *slice);
void slicebus_slice_revoke(struct slicebus_slice *slice);
bool slicebus_slice_revoked(const struct slicebus_slice *slice);
int slicebus_slice_set_options(struct slicebus_slice *slice, const char *fmt, ...)
	__printf(2, 3);
int slicebus_parent_resize(struct slicebus_parent *parent, const u64 *total,
			   unsigned int nr);
bool slicebus_slice_backend_owned(const struct slicebus_slice *slice);
const char *slicebus_slice_name(const struct slicebus_slice *slice);
const char *slicebus_slice_type_name(const struct slicebus_slice *slice);
const char *slicebus_slice_backend(const struct slicebus_slice *slice);

int slicebus_class_register(struct slicebus_class *cls);
void slicebus_class_unregister(struct slicebus_class *cls);

#endif /* _LINUX_SLICEBUS_H */
