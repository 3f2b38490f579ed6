// SPDX-License-Identifier: GPL-2.0
/*
 * slicebus slice classes: the layers that own the data path of a kind of
 * slice ("dsa": slicebus_dsa.ko), as the core sees them.
 *
 * The core knows a class only by its &struct slicebus_class: a name, the
 * size of the provider's ops table (copied at registration, as the
 * generic ops are) and of the per-slice state, the hooks it calls on a
 * slice's way in and out, and sysfs groups.  It never interprets the ops
 * table or the state.
 *
 * Locking and lifetimes: the class list is under sb_mutex.  A parent holds
 * a reference on its class's module from slicebus_parent_register() until
 * the parent's last put, which comes after the last put of its last slice:
 * so the class's hooks, sysfs groups and the entry points a kernel holder
 * calls on a slice it keeps stay loaded as long as any slice of the class
 * exists, and slicebus_class_unregister() (from the class module's exit)
 * finds no parent of the class any more.
 */
#include <linux/kmod.h>
#include <linux/module.h>

#include "sb.h"

static LIST_HEAD(sb_classes);

static struct slicebus_class *sb_class_find(const char *name)
{
	struct slicebus_class *cls;

	lockdep_assert_held(&sb_mutex);
	list_for_each_entry(cls, &sb_classes, node)
		if (!strcmp(cls->name, name))
			return cls;
	return NULL;
}

static struct slicebus_class *sb_class_try_get(const char *name)
{
	struct slicebus_class *cls;

	guard(mutex)(&sb_mutex);
	cls = sb_class_find(name);
	if (cls && !try_module_get(cls->owner))
		cls = NULL;
	return cls;
}

/*
 * The class @name with a reference on its module, loading it by its alias
 * "slicebus-class-<name>" if needed; NULL when there is no such class.
 * Context: process context, sb_mutex not held.
 */
struct slicebus_class *sb_class_get(const char *name)
{
	struct slicebus_class *cls = sb_class_try_get(name);

	if (!cls && sb_name_valid(name)) {
		request_module("slicebus-class-%s", name);
		cls = sb_class_try_get(name);
	}
	return cls;
}

void sb_class_put(struct slicebus_class *cls)
{
	if (cls)
		module_put(cls->owner);
}

/* Whether backend @drv serves the slices of @parent. */
bool sb_driver_serves(const struct slicebus_driver *drv,
		      const struct slicebus_parent *parent)
{
	const char *const *c;

	if (!drv->classes)
		return true;
	if (!parent->cls)
		return false;
	for (c = drv->classes; *c; c++)
		if (!strcmp(*c, parent->cls->name))
			return true;
	return false;
}

/* Refuse, with a reason, a slice of @parent for a backend not serving it. */
int sb_class_check(const struct slicebus_driver *drv,
		   const struct slicebus_parent *parent,
		   struct netlink_ext_ack *extack)
{
	if (sb_driver_serves(drv, parent))
		return 0;
	if (parent->cls)
		NL_SET_ERR_MSG_FMT(extack,
				   "%s: backend %s does not serve slices of class %s",
				   parent->name,
				   drv->name,
				   parent->cls->name);
	else
		NL_SET_ERR_MSG_FMT(extack,
				   "%s: slices without a data path; backend %s needs one",
				   parent->name,
				   drv->name);
	return -EOPNOTSUPP;
}

/* The class's part of a new slice: its state, then its hook. */
int sb_class_slice_alloc(struct slicebus_slice *slice)
{
	const struct slicebus_class *cls = slice->parent->cls;

	if (!cls)
		return 0;
	if (cls->slice_priv_size) {
		slice->class_priv = kzalloc(cls->slice_priv_size, GFP_KERNEL);
		if (!slice->class_priv)
			return -ENOMEM;
	}
	if (cls->slice_init)
		cls->slice_init(slice);
	slice->dev.groups = cls->slice_groups;
	return 0;
}

void sb_class_slice_kill(struct slicebus_slice *slice)
{
	const struct slicebus_class *cls = slice->parent->cls;

	if (cls && cls->slice_kill)
		cls->slice_kill(slice);
}

/**
 * slicebus_class_register() - make a slice class known to the core
 * @cls: the class, with its @name, @owner and @ops_size set; it stays
 *	registered until slicebus_class_unregister()
 *
 * Parents of the class can be registered from then on.  Call it from the
 * class module's init; a class module should also have the alias
 * "slicebus-class-<name>" so that registering a parent can load it.
 * Context: process context; takes sb_mutex.
 *
 * Return: 0, -EINVAL for a bad name or a class without an ops table,
 * -EEXIST when a class of that name exists.
 */
int slicebus_class_register(struct slicebus_class *cls)
{
	if (!cls->name || !sb_name_valid(cls->name) || !cls->ops_size)
		return -EINVAL;
	guard(mutex)(&sb_mutex);
	if (sb_class_find(cls->name))
		return -EEXIST;
	list_add_tail(&cls->node, &sb_classes);
	return 0;
}
EXPORT_SYMBOL_GPL(slicebus_class_register);

/**
 * slicebus_class_unregister() - forget a slice class
 * @cls: what slicebus_class_register() took
 *
 * No parent of the class exists any more: each holds the class's module.
 * Context: process context; takes sb_mutex.
 */
void slicebus_class_unregister(struct slicebus_class *cls)
{
	guard(mutex)(&sb_mutex);
	list_del(&cls->node);
}
EXPORT_SYMBOL_GPL(slicebus_class_unregister);

/**
 * slicebus_parent_class() - the class of a parent's slices
 * @parent: the parent
 *
 * Return: the class, or NULL for slices without one.  A class layer's entry
 * points compare it with their own class before they use
 * slicebus_parent_class_ops().
 */
const struct slicebus_class *
slicebus_parent_class(const struct slicebus_parent *parent)
{
	return parent->cls;
}
EXPORT_SYMBOL_GPL(slicebus_parent_class);

/**
 * slicebus_parent_class_ops() - the class ops a provider registered
 * @parent: the parent
 *
 * Return: the core's copy of &slicebus_parent_info.class_ops (as long as the
 * parent), or NULL without a class.  Its functions are the provider's: the
 * class layer calls them only while the provider's slices are alive, see
 * &slicebus_class.slice_kill.
 */
const void *slicebus_parent_class_ops(const struct slicebus_parent *parent)
{
	return parent->info.class_ops;
}
EXPORT_SYMBOL_GPL(slicebus_parent_class_ops);
