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
 * @node: entry in sb_parents, under sb_mutex
 * @name: parent name
 * @driver: provider driver name
 * @id: registration order, for dumps to resume after
 * @info: what the provider registered, pointing at the copies below
 *	(@info.resources, @info.types, @info.ops, @info.class_ops) so that
 *	nothing of it is the provider's memory; @info.dev and @info.priv are
 *	the provider's
 * @res: copy of the resource pools, names in @res_names
 * @res_names: the pool names
 * @types: copy of the slice types, names in @type_names and descriptions
 *	allocated (freed with the parent)
 * @type_names: the type names
 * @ops: copy of the provider's ops table
 * @cls: the class of the slices, its module held until the last put; or
 *	NULL
 * @class_ops: copy of the provider's class ops table (allocated)
 * @default_type: per backend, index of the default type
 * @lock: protects @acct, @nr_slices and @dying
 * @acct: the accountant
 * @nr_slices: slices charged to the accountant (live, being created or
 *	being torn down)
 * @slices_gone: woken when @nr_slices falls; unregistration waits here for
 *	a teardown another thread started
 * @dying: unregistration started, no new slices
 * @added: backends whose @parent_add succeeded, under sb_mutex
 * @backend_data: each backend's data for this parent (its framework object)
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
	int default_type[__SLICEBUS_BACKEND_CNT];
	struct mutex lock; /* see @lock above */
	struct sb_acct acct;
	unsigned int nr_slices;
	wait_queue_head_t slices_gone;
	bool dying;
	unsigned long added;
	void *backend_data[__SLICEBUS_BACKEND_CNT];
};

extern struct mutex sb_mutex;
extern struct list_head sb_parents;
extern struct slicebus_driver *sb_drivers[__SLICEBUS_BACKEND_CNT];
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

struct slicebus_parent *sb_parent_find(const char *name);
bool sb_name_valid(const char *name);
int sb_backend_parse(const char *name);

void sb_slice_table_exit(void);
struct slicebus_slice *sb_slice_get(const char *name);
struct slicebus_slice *sb_slice_new(struct slicebus_parent *parent,
				    unsigned int type,
				    enum slicebus_backend backend,
				    const char *name,
				    struct netlink_ext_ack *extack);
int sb_slice_del(struct slicebus_slice *slice, struct netlink_ext_ack *extack);
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
