/* SPDX-License-Identifier: GPL-2.0 */
/* slicebus core internals, shared by the core's files. */
#ifndef _SLICEBUS_SB_H
#define _SLICEBUS_SB_H

#include <linux/mutex.h>
#include <linux/slicebus.h>
#include <linux/wait.h>

#include "accountant.h"

/* longest type description kept (mdev "description", netlink) */
#define SB_DESC_MAX	255

/**
 * struct slicebus_parent - a registered provider device
 * @dev: management device (class "slicebus"); backends hang their framework
 *	objects (mdev parent, vdpa management device) on it
 * @node: entry in sb_parents, under sb_mutex; a parent stays listed (its
 *	name taken) until its unregistration is complete
 * @name: parent name
 * @driver: provider driver name
 * @id: registration order, for dumps to resume after
 * @info: what the provider registered, pointing at the copies below
 *	(@info.resources, @info.types, @info.ops, @info.class_ops) so that
 *	nothing of it is the provider's memory; @info.dev and @info.priv are
 *	the provider's
 * @res: copy of the resource pools, names in @res_names; their totals as
 *	registered (the current capacity is @acct's, see
 *	slicebus_parent_resize())
 * @res_names: the pool names
 * @types: copy of the slice types, names in @type_names and descriptions
 *	allocated (freed with the parent)
 * @type_names: the type names
 * @ops: copy of the provider's ops table
 * @cls: the class of the slices, its module held until the last put; or
 *	NULL
 * @class_ops: copy of the provider's class ops table (allocated)
 * @defaults: the provider's default types, by backend name
 * @nr_defaults: number of @defaults
 * @lock: protects @acct, @nr_slices and @dying; never held across a call
 *	out of the core
 * @acct: the accountant
 * @nr_slices: slices charged to the accountant (being created, live or
 *	being torn down)
 * @slices_gone: woken when @nr_slices falls; unregistration waits here for
 *	the teardowns other threads run
 * @dying: unregistration started: no new slices, no new backends.  Set
 *	under @lock; read without it where a stale value only delays a
 *	refusal that @lock or a backend lock then makes
 * @host_dev: where tools look for the parent's framework objects, see
 *	slicebus_parent_host_device(); set at registration
 * @ready: the registration is complete: every backend loaded then was
 *	offered the parent.  Set under @lock; udev sees it as
 *	SLICEBUS_STATE=ready (see sb_uevent_ready())
 * @backend_lock: per backend slot, serialises what that backend does on
 *	this parent: its @parent_add and @parent_remove, and the netlink
 *	@slice_add and @slice_del it serves here (see core.c)
 * @added: backend slots whose @parent_add succeeded; bit b changes only
 *	under @backend_lock[b]
 * @backend_data: each backend's data for this parent (its framework
 *	object), by backend slot, under @backend_lock of that slot
 */
struct slicebus_parent {
	struct device dev;
	struct list_head node;
	char name[SLICEBUS_NAME_LEN];
	char driver[SLICEBUS_NAME_LEN];
	u32 id;
	struct slicebus_parent_info info;
	struct slicebus_resource_info res[SLICEBUS_MAX_RESOURCES];
	char res_names[SLICEBUS_MAX_RESOURCES][SLICEBUS_NAME_LEN];
	struct slicebus_type_info types[SLICEBUS_MAX_TYPES];
	char type_names[SLICEBUS_MAX_TYPES][SLICEBUS_NAME_LEN];
	struct slicebus_parent_ops ops;
	struct slicebus_class *cls;
	void *class_ops;
	struct {
		char backend[SLICEBUS_NAME_LEN];
		unsigned int type;
	} defaults[SLICEBUS_MAX_BACKENDS];
	unsigned int nr_defaults;
	struct mutex lock; /* see @lock above */
	struct sb_acct acct;
	unsigned int nr_slices;
	wait_queue_head_t slices_gone;
	bool dying;
	bool ready;
	struct device *host_dev;
	struct mutex backend_lock[SLICEBUS_MAX_BACKENDS]; /* see above */
	unsigned long added;
	void *backend_data[SLICEBUS_MAX_BACKENDS];
};

/**
 * struct sb_backend - one known backend name (backend.c)
 * @name: the name; empty for a free slot
 * @drv: its registered driver, or NULL when its module is not loaded
 */
struct sb_backend {
	char name[SLICEBUS_NAME_LEN];
	struct slicebus_driver *drv;
};

extern struct mutex sb_mutex;
extern struct list_head sb_parents;
extern struct sb_backend sb_backends[SLICEBUS_MAX_BACKENDS];
extern const struct bus_type slicebus_bus_type;

/* class.c: slice classes */
struct slicebus_class *sb_class_get(const char *name);
void sb_class_put(struct slicebus_class *cls);
bool sb_driver_serves(const struct slicebus_driver *drv,
		      const struct slicebus_parent *parent);
int sb_class_check(const struct slicebus_driver *drv,
		   const struct slicebus_parent *parent,
		   struct netlink_ext_ack *extack);
int sb_class_slice_alloc(struct slicebus_slice *slice);
void sb_class_slice_kill(struct slicebus_slice *slice);

struct slicebus_parent *sb_parent_get(const char *name);
struct slicebus_parent *sb_parent_next(u32 *id);
bool sb_name_valid(const char *name);
unsigned int sb_default_type(const struct slicebus_parent *parent,
			     unsigned int backend);

/* backend.c: backends by name */
bool sb_backend_known(unsigned int b);
const char *sb_backend_name(unsigned int b);
struct slicebus_driver *sb_backend_driver(unsigned int b);
int sb_backend_find(const char *name);
int sb_backend_lookup(const char *name, const struct nlattr *nla,
		      struct netlink_ext_ack *extack);
bool sb_backend_is(unsigned int b, const char *name);
int sb_backend_lookup_again(const char *name, struct netlink_ext_ack *extack);
int sb_backend_claim(struct slicebus_driver *drv);
void sb_backend_forget(struct slicebus_driver *drv);
void sb_backend_announce_all(void);

/* slots below this hold the built-in names and are never forgotten */
#define SB_BUILTIN_BACKENDS	3

void sb_slice_table_exit(void);
struct slicebus_slice *sb_slice_get(const char *name);
struct slicebus_slice *sb_slice_create(struct slicebus_parent *parent,
				       unsigned int type, unsigned int backend,
				       const char *name, unsigned int flags,
				       struct device *dev_parent,
				       struct netlink_ext_ack *extack);
int sb_slice_del(struct slicebus_slice *slice, struct netlink_ext_ack *extack);
void sb_explain_dying(struct slicebus_parent *parent,
		      struct netlink_ext_ack *extack);
void sb_slices_destroy_all(struct slicebus_parent *parent,
			   unsigned int backend, bool any_backend);
int sb_slice_dump(struct sk_buff *skb, unsigned long *pos,
		  int (*fill)(struct sk_buff *skb, struct slicebus_slice *slice,
			      void *arg), void *arg);

int sb_netlink_init(void);
void sb_netlink_exit(void);
void sb_notify_dev(struct slicebus_parent *parent, u8 cmd);
void sb_notify_slice(struct slicebus_slice *slice, u8 cmd);

#endif /* _SLICEBUS_SB_H */
