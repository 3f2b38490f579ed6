/* SPDX-License-Identifier: GPL-2.0 */
/* slicebus core internals, shared by core.c, slice.c and netlink.c. */
#ifndef _SLICEBUS_SB_H
#define _SLICEBUS_SB_H

#include <linux/mutex.h>
#include <linux/slicebus.h>
#include <linux/wait.h>

#include "accountant.h"

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
 *	(@info.resources, @info.types, @info.ops) so that nothing of it is
 *	the provider's memory; @info.dev and @info.priv are the provider's
 * @res: copy of the resource pools, names in @res_names
 * @res_names: the pool names
 * @types: copy of the slice types, names in @type_names and descriptions
 *	allocated (freed with the parent)
 * @type_names: the type names
 * @ops: copy of the provider's ops table; its functions are called only
 *	until @dead is set (see queue.c)
 * @default_type: per backend, index of the default type
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
 * @dead: unregistration finished every slice's teardown: no provider
 *	callback is made any more
 * @backend_lock: per backend, serialises what that backend does on this
 *	parent: its @parent_add and @parent_remove, and the netlink
 *	@slice_add and @slice_del it serves here (see core.c)
 * @added: backends whose @parent_add succeeded; bit b changes only under
 *	@backend_lock[b]
 * @backend_data: each backend's data for this parent (its framework
 *	object), under @backend_lock of that backend
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
	int default_type[__SLICEBUS_BACKEND_CNT];
	struct mutex lock; /* see @lock above */
	struct sb_acct acct;
	unsigned int nr_slices;
	wait_queue_head_t slices_gone;
	bool dying;
	bool dead;
	struct mutex backend_lock[__SLICEBUS_BACKEND_CNT]; /* see above */
	unsigned long added;
	void *backend_data[__SLICEBUS_BACKEND_CNT];
};

extern struct mutex sb_mutex;
extern struct list_head sb_parents;
extern struct slicebus_driver *sb_drivers[__SLICEBUS_BACKEND_CNT];
extern const struct bus_type slicebus_bus_type;
extern const struct attribute_group sb_queue_group;

/* mediate.c: the mediated path for DMA-only parents */
struct sb_med;
struct sb_med *sb_med_create(struct slicebus_slice *slice,
			     const struct slicebus_queue_cfg *hcfg);
void sb_med_destroy(struct sb_med *m);
const struct slicebus_queue_cfg *sb_med_cfg(struct sb_med *m);
int sb_med_submit(struct sb_med *m, const struct dsa_hw_desc *d);
void sb_med_stats(struct slicebus_slice *slice,
		  struct slicebus_queue_stats *stats);

/* queue.c: a slice's queue entry points against its teardown */
void sb_queue_init(struct slicebus_slice *slice);
void sb_queue_kill(struct slicebus_slice *slice);

struct slicebus_parent *sb_parent_get(const char *name);
struct slicebus_parent *sb_parent_next(u32 *id);
struct slicebus_driver *sb_driver(enum slicebus_backend backend);
bool sb_name_valid(const char *name);
int sb_backend_parse(const char *name);

void sb_slice_table_exit(void);
struct slicebus_slice *sb_slice_get(const char *name);
int sb_slice_del(struct slicebus_slice *slice, struct netlink_ext_ack *extack);
void sb_explain_dying(struct slicebus_parent *parent,
		      struct netlink_ext_ack *extack);
void sb_slices_destroy_all(struct slicebus_parent *parent,
			   enum slicebus_backend backend, bool any_backend);
int sb_slice_dump(struct sk_buff *skb, unsigned long *pos,
		  int (*fill)(struct sk_buff *skb, struct slicebus_slice *slice,
			      void *arg), void *arg);

int sb_netlink_init(void);
void sb_netlink_exit(void);
void sb_notify_dev(struct slicebus_parent *parent, u8 cmd);
void sb_notify_slice(struct slicebus_slice *slice, u8 cmd);

#endif /* _SLICEBUS_SB_H */
