// SPDX-License-Identifier: GPL-2.0
/*
 * slicebus core: the slice bus, parents and backend drivers.
 *
 * DOC: Locking and lifetimes
 *
 * Three kinds of lock, none of them held while waiting for userspace
 * except a parent's lock of one backend:
 *
 * - sb_mutex (this file) protects the parent list (sb_parents, and with it
 *   the parent names) and the backend table (sb_backends[] and each
 *   driver's @published).  It is held only to look up, add or remove an
 *   entry (registration adds the management device under it, so that the
 *   name check and the listing are one step) and to size and fill a
 *   device message (dev get and dump, events: the set of backend names
 *   stays meanwhile) or to change a backend's policy by its name (dev set:
 *   the name's slot stays meanwhile); never while calling a backend, its framework (mdev,
 *   vdpa, dmaengine) or a provider, never while waiting.
 * - sb_slices_lock (slice.c) protects the slice table and names and every
 *   slice's state; held only for those.
 * - Per parent: parent->lock protects its accountant and state (@dying,
 *   @nr_slices) and is held only for a few instructions.  Readers take
 *   nothing else (available_instances), only sb_mutex and it (dev get and
 *   dump) or only sb_slices_lock (slice get and dump), so they never wait
 *   behind a removal; netlink runs without genl_mutex for the same reason.
 *   parent->backend_lock[b] serialises
 *   what backend b does on that parent: its @parent_add and @parent_remove,
 *   and the netlink @slice_add and @slice_del it serves there.  It is held
 *   across those calls, which may wait for the framework's users (a VM
 *   holding an mdev); that holds up backend b on that parent only.
 *
 * Lock order (a lock may be taken with the ones left of it held):
 *
 *   parent->backend_lock[b] -> framework locks (mdev, vdpa, device locks)
 *     -> sb_slices_lock -> parent->lock
 *   sb_mutex -> parent->lock
 *
 * No path holds two parents' locks, or two backends' locks of one parent.
 * The framework paths that come back into slicebus (mdev probe and remove,
 * vdpa dev_add and dev_del) create and destroy slices, which takes only
 * sb_slices_lock and parent->lock.
 *
 * Parent and backend (un)registration against each other: a backend is
 * added to a parent (@parent_add, bit b of @added set) under the parent's
 * backend_lock[b], and only while the driver is @published and the parent
 * not @dying; it is removed under the same lock by whichever comes first,
 * the parent's unregistration or the driver's.  A parent is listed before
 * it adds backends and stays listed until its unregistration is complete,
 * and a driver is unpublished before it walks the parents, so every added
 * pair is removed exactly once, and a backend's module stays until every
 * call into it on every parent has returned: its unregistration takes each
 * parent's backend_lock[b] in turn.
 *
 * A parent is its management device; the core holds the registration
 * reference until slicebus_parent_unregister(), every slice and every
 * request working on the parent (netlink, slicebus_slice_new()) holds a
 * reference too, the last put frees it.  Unregistration marks the parent
 * dying (no new slices, no new backends), asks every backend to remove
 * what its framework created, destroys the slices that are left, waits for
 * every teardown to finish, and only then unlists the parent and removes
 * the device.  Meanwhile the parent is still shown, with nothing available.
 *
 * What the provider registered is copied (names, descriptions, costs, the
 * ops tables): slices and their parent outlive the provider when a kernel
 * holder keeps a slice, and must not point into a gone module or device.
 * The provider's device @info.dev is the management device's parent (the
 * driver core holds it); every slice holds its &slicebus_slice.dma_dev.
 * A slice's teardown has its class stop the slice's data path before the
 * provider's @slice_release (&slicebus_class.slice_kill), so once
 * unregistration has torn every slice down no provider code is called any
 * more, even by the entry points of slices a kernel holder still keeps.
 * The parent holds its class's module (class.c).
 *
 * A backend driver that unregisters takes all of its slices with it: the
 * driver is unpublished first (no new slices, no new parents), its
 * @parent_remove runs for every parent, the slices still bound to it are
 * destroyed, then it leaves the bus and its name's slot is let go
 * (backend.c).
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sb.h"

/* The parent list and the backend table; see the DOC above. */
DEFINE_MUTEX(sb_mutex);
LIST_HEAD(sb_parents);
static u32 sb_next_parent_id;

bool sb_name_valid(const char *name)
{
	size_t i, len = strnlen(name, SLICEBUS_NAME_LEN);

	if (!len || len >= SLICEBUS_NAME_LEN)
		return false;
	for (i = 0; i < len; i++)
		/* the kernel's ctype takes Latin-1 letters for alphanumerics */
		if (!isascii(name[i]) ||
		    (!isalnum(name[i]) && !strchr("._:-", name[i])))
			return false;
	return true;
}

/* ---- the bus ---------------------------------------------------------- */

static int slicebus_match(struct device *dev, const struct device_driver *drv)
{
	return to_slicebus_slice(dev)->backend == to_slicebus_driver(drv)->id;
}

static int slicebus_probe(struct device *dev)
{
	struct slicebus_slice *slice = to_slicebus_slice(dev);
	struct slicebus_driver *drv = to_slicebus_driver(dev->driver);

	slice->probe_err = drv->probe ? drv->probe(slice) : 0;
	return slice->probe_err;
}

static void slicebus_remove(struct device *dev)
{
	struct slicebus_driver *drv = to_slicebus_driver(dev->driver);

	if (drv->remove)
		drv->remove(to_slicebus_slice(dev));
}

static ssize_t type_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct slicebus_slice *slice = to_slicebus_slice(dev);

	return sysfs_emit(buf, "%s\n",
			  slice->parent->info.types[slice->type].name);
}
static DEVICE_ATTR_RO(type);

static ssize_t backend_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  slicebus_slice_backend(to_slicebus_slice(dev)));
}
static DEVICE_ATTR_RO(backend);

static ssize_t handle_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", to_slicebus_slice(dev)->handle);
}
static DEVICE_ATTR_RO(handle);

static struct attribute *slicebus_slice_attrs[] = {
	&dev_attr_type.attr,
	&dev_attr_backend.attr,
	&dev_attr_handle.attr,
	NULL,
};

static const struct attribute_group slicebus_slice_group = {
	.attrs = slicebus_slice_attrs,
};

static const struct attribute_group *slicebus_slice_groups[] = {
	&slicebus_slice_group,
	NULL,
};

const struct bus_type slicebus_bus_type = {
	.name = "slicebus",
	.match = slicebus_match,
	.probe = slicebus_probe,
	.remove = slicebus_remove,
	.dev_groups = slicebus_slice_groups,
};

/*
 * Every uevent of a parent says how far it is, so that a rule applying its
 * definition (slicectl apply) matches a coldplug "add" of a ready parent
 * and not the "add" of one still being registered.
 */
static int sb_parent_uevent(const struct device *dev,
			    struct kobj_uevent_env *env)
{
	const struct slicebus_parent *parent =
		container_of_const(dev, struct slicebus_parent, dev);

	return add_uevent_var(env, "SLICEBUS_STATE=%s",
			      READ_ONCE(parent->dying) ? "removing" :
			      READ_ONCE(parent->ready) ? "ready" : "registering");
}

static const struct class slicebus_class = {
	.name = "slicebus",
	.dev_uevent = sb_parent_uevent,
};

/*
 * A "change" uevent when @parent is ready for its definition: once its
 * registration is complete (@backend NULL: SLICEBUS_EVENT=ready), and each
 * time a backend is added to it later (SLICEBUS_EVENT=backend,
 * SLICEBUS_BACKEND=<name>), so that what needs that backend can be applied
 * then.  Udev runs "slicectl apply" on them (udev/90-slicebus.rules).
 */
static void sb_uevent_ready(struct slicebus_parent *parent,
			    const char *backend)
{
	char ev[32], be[SLICEBUS_NAME_LEN + 20];
	char *envp[3];

	envp[0] = ev;
	envp[1] = backend ? be : NULL;
	envp[2] = NULL;
	snprintf(ev, sizeof(ev), "SLICEBUS_EVENT=%s", backend ? "backend" : "ready");
	if (backend)
		snprintf(be, sizeof(be), "SLICEBUS_BACKEND=%s", backend);
	kobject_uevent_env(&parent->dev.kobj, KOBJ_CHANGE, envp);
}

/* ---- parents ---------------------------------------------------------- */

static bool sb_parent_listed(const char *name)
{
	struct slicebus_parent *parent;

	lockdep_assert_held(&sb_mutex);
	list_for_each_entry(parent, &sb_parents, node)
		if (!strcmp(parent->name, name))
			return true;
	return false;
}

/* Whether a listed parent stands on provider device @dev already. */
static bool sb_parent_on(const struct device *dev)
{
	struct slicebus_parent *parent;

	lockdep_assert_held(&sb_mutex);
	list_for_each_entry(parent, &sb_parents, node)
		if (parent->info.dev == dev)
			return true;
	return false;
}

/* Look a listed parent up by name; the caller puts the reference. */
struct slicebus_parent *sb_parent_get(const char *name)
{
	struct slicebus_parent *parent;

	guard(mutex)(&sb_mutex);
	list_for_each_entry(parent, &sb_parents, node)
		if (!strcmp(parent->name, name)) {
			get_device(&parent->dev);
			return parent;
		}
	return NULL;
}

/*
 * The first listed parent whose id is at least *@id, with a reference the
 * caller puts; *@id is moved past it.  Walks that drop sb_mutex between
 * parents resume this way: ids grow along the list.
 */
struct slicebus_parent *sb_parent_next(u32 *id)
{
	struct slicebus_parent *parent;

	guard(mutex)(&sb_mutex);
	list_for_each_entry(parent, &sb_parents, node)
		if (parent->id >= *id) {
			get_device(&parent->dev);
			*id = parent->id + 1;
			return parent;
		}
	return NULL;
}

/**
 * slicebus_slice_type_name() - name of a slice's type
 * @slice: the slice
 *
 * Return: the type name, e.g. "dwq-16".
 */
const char *slicebus_slice_type_name(const struct slicebus_slice *slice)
{
	return slice->parent->info.types[slice->type].name;
}
EXPORT_SYMBOL_GPL(slicebus_slice_type_name);

/**
 * slicebus_parent_find_type() - look a slice type up by name
 * @parent: the parent
 * @name: type name
 *
 * Return: the type index, or -ENOENT.
 */
int slicebus_parent_find_type(const struct slicebus_parent *parent,
			      const char *name)
{
	unsigned int t;

	for (t = 0; t < parent->info.nr_types; t++)
		if (!strcmp(parent->info.types[t].name, name))
			return t;
	return -ENOENT;
}
EXPORT_SYMBOL_GPL(slicebus_parent_find_type);

/* Copy what @info points to into @parent, so nothing of it is the provider's. */
static int sb_parent_copy(struct slicebus_parent *parent,
			  const struct slicebus_parent_info *info)
{
	unsigned int r, t;

	parent->info = *info;
	for (r = 0; r < info->nr_resources; r++) {
		strscpy(parent->res_names[r], info->resources[r].name);
		parent->res[r].name = parent->res_names[r];
		parent->res[r].total = info->resources[r].total;
	}
	parent->info.resources = parent->res;
	for (t = 0; t < info->nr_types; t++) {
		const struct slicebus_type_info *type = &info->types[t];

		strscpy(parent->type_names[t], type->name);
		parent->types[t].name = parent->type_names[t];
		memcpy(parent->types[t].cost, type->cost, sizeof(type->cost));
		if (type->description) {
			parent->types[t].description =
				kstrndup(type->description, SB_DESC_MAX,
					 GFP_KERNEL);
			if (!parent->types[t].description)
				return -ENOMEM;
		}
	}
	parent->info.types = parent->types;
	if (info->ops) {
		parent->ops = *info->ops;
		parent->info.ops = &parent->ops;
	}
	if (parent->cls) {
		parent->class_ops = kmemdup(info->class_ops,
					    parent->cls->ops_size, GFP_KERNEL);
		if (!parent->class_ops)
			return -ENOMEM;
		parent->info.class_ops = parent->class_ops;
	}
	/* only valid during registration */
	parent->info.default_types = NULL;
	parent->info.nr_default_types = 0;
	return 0;
}

/* Resolve the provider's default types by name; 0 or -EINVAL. */
static int sb_parent_defaults(struct slicebus_parent *parent,
			      const struct slicebus_parent_info *info)
{
	unsigned int i, j;
	int t;

	for (i = 0; i < info->nr_default_types; i++) {
		const struct slicebus_default_type *d = &info->default_types[i];

		if (!d->backend || !sb_name_valid(d->backend) || !d->type)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (!strcmp(parent->defaults[j].backend, d->backend))
				return -EINVAL;
		t = slicebus_parent_find_type(parent, d->type);
		if (t < 0)
			return -EINVAL;
		strscpy(parent->defaults[i].backend, d->backend);
		parent->defaults[i].type = t;
	}
	parent->nr_defaults = info->nr_default_types;
	return 0;
}

/* The default type of backend slot @backend on @parent. */
unsigned int sb_default_type(const struct slicebus_parent *parent,
			     unsigned int backend)
{
	const char *name = sb_backend_name(backend);
	unsigned int i;

	for (i = 0; i < parent->nr_defaults; i++)
		if (!strcmp(parent->defaults[i].backend, name))
			return parent->defaults[i].type;
	return 0;
}

static int sb_parent_check(const struct slicebus_parent_info *info)
{
	unsigned int r, t, u;

	/* leave room for generated slice names "<parent>.<id>" */
	if (!info->name || !sb_name_valid(info->name) ||
	    strlen(info->name) > SLICEBUS_NAME_LEN - 12 || !info->dev ||
	    !info->nr_resources || info->nr_resources > SLICEBUS_MAX_RESOURCES ||
	    !info->nr_types || info->nr_types > SLICEBUS_MAX_TYPES ||
	    info->nr_default_types > SLICEBUS_MAX_BACKENDS ||
	    (info->nr_default_types && !info->default_types) ||
	    !info->slice_class != !info->class_ops)
		return -EINVAL;
	for (r = 0; r < info->nr_resources; r++) {
		if (!sb_name_valid(info->resources[r].name))
			return -EINVAL;
		for (u = 0; u < r; u++)
			if (!strcmp(info->resources[u].name,
				    info->resources[r].name))
				return -EINVAL;
	}
	for (t = 0; t < info->nr_types; t++) {
		u64 sum = 0;

		if (!sb_name_valid(info->types[t].name))
			return -EINVAL;
		for (u = 0; u < t; u++)
			if (!strcmp(info->types[u].name, info->types[t].name))
				return -EINVAL;
		for (r = 0; r < info->nr_resources; r++)
			sum |= info->types[t].cost[r];
		for (; r < SLICEBUS_MAX_RESOURCES; r++)
			if (info->types[t].cost[r])
				return -EINVAL;
		if (!sum)
			return -EINVAL;
	}
	return 0;
}

/* Free what sb_parent_copy() allocated, and @parent. */
static void sb_parent_free(struct slicebus_parent *parent)
{
	unsigned int t;

	for (t = 0; t < parent->info.nr_types; t++)
		kfree(parent->types[t].description);
	kfree(parent->class_ops);
	sb_class_put(parent->cls);
	kfree(parent);
}

static void sb_parent_release(struct device *dev)
{
	struct slicebus_parent *parent =
		container_of(dev, struct slicebus_parent, dev);
	unsigned int b;

	for (b = 0; b < SLICEBUS_MAX_BACKENDS; b++)
		mutex_destroy(&parent->backend_lock[b]);
	mutex_destroy(&parent->lock);
	sb_parent_free(parent);
}

/*
 * Add the published driver of backend slot @b to @parent unless it is
 * there already, the parent is dying or the driver does not serve the
 * parent's class.  Whoever calls this for a pair first (the parent's
 * registration or the driver's) does it.
 */
static void sb_parent_add_backend(struct slicebus_parent *parent,
				  unsigned int b)
{
	struct slicebus_driver *drv;
	bool ready;
	int ret;

	guard(mutex)(&parent->backend_lock[b]);
	drv = sb_backend_driver(b);
	if (!drv || READ_ONCE(parent->dying) || test_bit(b, &parent->added) ||
	    !sb_driver_serves(drv, parent))
		return;
	ret = drv->parent_add ? drv->parent_add(parent) : 0;
	if (ret) {
		dev_warn(&parent->dev, "backend %s unavailable here: %d\n",
			 drv->name, ret);
		return;
	}
	set_bit(b, &parent->added);
	/* before the registration completes, its own event covers this */
	scoped_guard(mutex, &parent->lock)
		ready = parent->ready;
	if (ready)
		sb_uevent_ready(parent, drv->name);
}

/*
 * Remove backend @b from @parent if it was added; whoever comes first (the
 * parent's unregistration or the driver's) does it.  The driver is still
 * in sb_backends[] while its bit is set anywhere: its unregistration frees
 * the slot only after it passed every parent.
 */
static void sb_parent_remove_backend(struct slicebus_parent *parent,
				     unsigned int b)
{
	struct slicebus_driver *drv;

	guard(mutex)(&parent->backend_lock[b]);
	if (!test_bit(b, &parent->added))
		return;
	drv = READ_ONCE(sb_backends[b].drv);
	if (drv->parent_remove)
		drv->parent_remove(parent);
	clear_bit(b, &parent->added);
}

/**
 * slicebus_parent_register() - register a provider device with slicebus
 * @info: name, pools, types and callbacks; copied, so it and what it points
 *	to may go away when this returns (the ops' functions may not, see
 *	&struct slicebus_parent_info)
 *
 * Creates the management device (class "slicebus", child of @info->dev),
 * tells every loaded backend about it, announces it on netlink and sends
 * the "change" uevent SLICEBUS_EVENT=ready.
 * Context: process context; takes sb_mutex and the parent's backend locks
 * (not across each other).
 *
 * Return: the parent, or an ERR_PTR(): -EINVAL for an inconsistent @info,
 * -ENOENT when the slice class is not registered (and its module,
 * "slicebus-class-<name>", could not be loaded), -EEXIST if the name is
 * taken, -ENOMEM.
 */
struct slicebus_parent *
slicebus_parent_register(const struct slicebus_parent_info *info)
{
	struct slicebus_parent *parent;
	u64 total[SLICEBUS_MAX_RESOURCES];
	unsigned int r, b;
	int ret;

	ret = sb_parent_check(info);
	if (ret)
		return ERR_PTR(ret);

	parent = kzalloc(sizeof(*parent), GFP_KERNEL);
	if (!parent)
		return ERR_PTR(-ENOMEM);
	if (info->slice_class) {
		parent->cls = sb_class_get(info->slice_class);
		if (!parent->cls) {
			dev_err(info->dev, "%s: slice class %s is not registered (module slicebus_%s not loaded?)\n",
				info->name, info->slice_class,
				info->slice_class);
			kfree(parent);
			return ERR_PTR(-ENOENT);
		}
	}
	ret = sb_parent_copy(parent, info);
	if (ret)
		goto err_free;
	strscpy(parent->name, info->name);
	strscpy(parent->driver, info->dev->driver ? info->dev->driver->name :
		dev_driver_string(info->dev));
	ret = sb_parent_defaults(parent, info);
	if (ret)
		goto err_free;
	for (r = 0; r < info->nr_resources; r++)
		total[r] = info->resources[r].total;
	sb_acct_init(&parent->acct, info->nr_resources, total);
	mutex_init(&parent->lock);
	for (b = 0; b < SLICEBUS_MAX_BACKENDS; b++)
		mutex_init(&parent->backend_lock[b]);
	init_waitqueue_head(&parent->slices_gone);
	INIT_LIST_HEAD(&parent->node);

	device_initialize(&parent->dev);
	parent->dev.class = &slicebus_class;
	parent->dev.parent = info->dev;
	parent->dev.release = sb_parent_release;
	ret = dev_set_name(&parent->dev, "%s", info->name);
	if (ret)
		goto err_put;

	mutex_lock(&sb_mutex);
	ret = sb_parent_listed(info->name) ? -EEXIST : device_add(&parent->dev);
	if (ret) {
		mutex_unlock(&sb_mutex);
		goto err_put;
	}
	/*
	 * libvirt (and so Nova) looks for mdev types on PCI functions only:
	 * the first parent on a PCI function has its framework objects
	 * there, as a hardware driver's own would be.
	 */
	parent->host_dev = dev_is_pci(info->dev) && !sb_parent_on(info->dev) ?
			   info->dev : &parent->dev;
	/* ids grow along the list: walks and dumps resume after an id */
	parent->id = sb_next_parent_id++;
	list_add_tail(&parent->node, &sb_parents);
	mutex_unlock(&sb_mutex);

	/* a driver registering meanwhile may add itself first: either is fine */
	for (b = 0; b < SLICEBUS_MAX_BACKENDS; b++)
		sb_parent_add_backend(parent, b);
	scoped_guard(mutex, &parent->lock)
		parent->ready = true;
	sb_notify_dev(parent, SLICEBUS_CMD_DEV_NEW_NTF);
	sb_uevent_ready(parent, NULL);
	return parent;

err_put:
	put_device(&parent->dev);
	return ERR_PTR(ret);

err_free:
	sb_parent_free(parent);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(slicebus_parent_register);

/**
 * slicebus_parent_unregister() - remove a parent and every slice on it
 * @parent: what slicebus_parent_register() returned
 *
 * Refuses new slices, lets every backend remove what its framework created
 * (mdevs, vdpa devices), destroys the remaining slices (their backends'
 * @remove runs first, then the provider's @slice_release), waits for every
 * teardown to finish, announces the removal and deletes the management
 * device.  When it returns the provider may free its hardware.
 *
 * This may wait for the backends' users (a VM holding an mdev ignores the
 * request to release it): meanwhile the parent is listed as being removed,
 * with nothing available, and nothing else waits for it but what concerns
 * this parent's backends.
 * Context: process context; takes the parent's locks and sb_mutex.
 */
void slicebus_parent_unregister(struct slicebus_parent *parent)
{
	int b;

	mutex_lock(&parent->lock);
	WRITE_ONCE(parent->dying, true);
	mutex_unlock(&parent->lock);

	for (b = SLICEBUS_MAX_BACKENDS - 1; b >= 0; b--)
		sb_parent_remove_backend(parent, b);
	sb_slices_destroy_all(parent, 0, true);
	/*
	 * Slices whose teardown another thread runs (a netlink delete, an
	 * in-kernel client giving it back, a backend's unregistration) and
	 * creations that started before @dying was set and now unwind are
	 * still charged: wait until each released its hardware.
	 */
	wait_event(parent->slices_gone, !READ_ONCE(parent->nr_slices));
	WARN_ON(!sb_acct_idle(&parent->acct));
	/*
	 * Every slice's data path was killed in its teardown: the provider's
	 * module may go next.
	 */
	mutex_lock(&sb_mutex);
	list_del(&parent->node);
	mutex_unlock(&sb_mutex);
	sb_notify_dev(parent, SLICEBUS_CMD_DEV_DEL_NTF);

	device_unregister(&parent->dev);
}
EXPORT_SYMBOL_GPL(slicebus_parent_unregister);

/**
 * slicebus_parent_resize() - change a live parent's capacity
 * @parent: what slicebus_parent_register() returned
 * @total: the new capacity of each resource, in registration order
 * @nr: number of @total, the parent's number of resources
 *
 * For hardware that comes and goes while the parent stays (work queues
 * enabled or disabled one by one): the slices that are not on it keep
 * working.  Capacity that goes away must be free: the provider revokes the
 * slices on it first (slicebus_slice_revoke()).  Reservations that the
 * smaller capacity cannot honour are lowered (logged); limits stay.
 * Either all of @total applies or none.  Announced on netlink.
 * Context: process context; takes the parent's lock and sb_mutex.
 *
 * Return: 0, -EINVAL for a wrong @nr, -EBUSY when a resource would be
 * below what the slices on it hold.
 */
int slicebus_parent_resize(struct slicebus_parent *parent, const u64 *total,
			   unsigned int nr)
{
	unsigned long clipped[SLICEBUS_MAX_RESOURCES] = {};
	unsigned int r, b;

	if (nr != parent->info.nr_resources)
		return -EINVAL;
	scoped_guard(mutex, &parent->lock) {
		for (r = 0; r < nr; r++)
			if (total[r] < sb_acct_used(&parent->acct, r))
				return -EBUSY;
		for (r = 0; r < nr; r++)
			sb_acct_resize(&parent->acct, r, total[r], &clipped[r]);
	}
	for (r = 0; r < nr; r++)
		for_each_set_bit(b, &clipped[r], SLICEBUS_MAX_BACKENDS)
			dev_warn(&parent->dev,
				 "%s shrank to %llu: backend %s's reservation of it lowered to %llu\n",
				 parent->res[r].name, total[r], sb_backend_name(b),
				 READ_ONCE(parent->acct.reserve[b][r]));
	sb_notify_dev(parent, SLICEBUS_CMD_DEV_CHANGE_NTF);
	return 0;
}
EXPORT_SYMBOL_GPL(slicebus_parent_resize);

/**
 * slicebus_parent_name() - name of a parent
 * @parent: the parent
 *
 * Return: the name given at registration.
 */
const char *slicebus_parent_name(const struct slicebus_parent *parent)
{
	return parent->name;
}
EXPORT_SYMBOL_GPL(slicebus_parent_name);

/**
 * slicebus_parent_device() - the management device of a parent
 * @parent: the parent
 *
 * Backends register their framework objects (mdev parent, vdpa management
 * device) on it.
 *
 * Return: the device; valid until slicebus_parent_unregister().
 */
struct device *slicebus_parent_device(struct slicebus_parent *parent)
{
	return &parent->dev;
}
EXPORT_SYMBOL_GPL(slicebus_parent_device);

/**
 * slicebus_parent_host_device() - where management tools look for a parent
 * @parent: the parent
 *
 * The device that tools above the kernel expect a framework's objects on:
 * libvirt and Nova find mdev types only on PCI functions, so this is the
 * provider's PCI function when it is one (and no other parent stands on
 * it), else the management device.  The VFIO backend registers its mdev
 * parent here; ``slicectl``'s ``sysfs`` is its directory.
 *
 * Return: the device; valid until slicebus_parent_unregister().
 */
struct device *slicebus_parent_host_device(struct slicebus_parent *parent)
{
	return parent->host_dev;
}
EXPORT_SYMBOL_GPL(slicebus_parent_host_device);

/**
 * slicebus_parent_priv() - the provider's data of a parent
 * @parent: the parent
 *
 * Return: &slicebus_parent_info.priv as registered.
 */
void *slicebus_parent_priv(const struct slicebus_parent *parent)
{
	return parent->info.priv;
}
EXPORT_SYMBOL_GPL(slicebus_parent_priv);

/**
 * slicebus_parent_backend_data() - a backend's data for a parent
 * @parent: the parent
 * @drv: the backend, registered
 *
 * Return: what the backend stored with slicebus_parent_set_backend_data().
 */
void *slicebus_parent_backend_data(const struct slicebus_parent *parent,
				   const struct slicebus_driver *drv)
{
	return parent->backend_data[drv->id];
}
EXPORT_SYMBOL_GPL(slicebus_parent_backend_data);

/**
 * slicebus_parent_set_backend_data() - store a backend's data for a parent
 * @parent: the parent
 * @drv: the backend, from its @parent_add or @parent_remove
 * @data: e.g. its mdev parent or vdpa management device
 */
void slicebus_parent_set_backend_data(struct slicebus_parent *parent,
				      const struct slicebus_driver *drv,
				      void *data)
{
	parent->backend_data[drv->id] = data;
}
EXPORT_SYMBOL_GPL(slicebus_parent_set_backend_data);

/**
 * slicebus_parent_nr_types() - number of slice types of a parent
 * @parent: the parent
 *
 * Return: the number of types, at least 1.
 */
unsigned int slicebus_parent_nr_types(const struct slicebus_parent *parent)
{
	return parent->info.nr_types;
}
EXPORT_SYMBOL_GPL(slicebus_parent_nr_types);

/**
 * slicebus_parent_type() - one slice type of a parent
 * @parent: the parent
 * @type: type index, below slicebus_parent_nr_types()
 *
 * Return: the type as the provider registered it.
 */
const struct slicebus_type_info *
slicebus_parent_type(const struct slicebus_parent *parent, unsigned int type)
{
	return &parent->info.types[type];
}
EXPORT_SYMBOL_GPL(slicebus_parent_type);

/**
 * slicebus_parent_default_type() - the type used when a request names none
 * @parent: the parent
 * @drv: the backend asking, registered
 *
 * Return: a type index: the provider's default for the backend's name, or
 * the first type.
 */
int slicebus_parent_default_type(const struct slicebus_parent *parent,
				 const struct slicebus_driver *drv)
{
	return sb_default_type(parent, drv->id);
}
EXPORT_SYMBOL_GPL(slicebus_parent_default_type);

/**
 * slicebus_available() - how many slices of a type a backend could take now
 * @parent: the parent
 * @type: type index
 * @drv: the backend, registered
 *
 * This is what mdev's available_instances and every other view report; it
 * may change as soon as the parent's lock is dropped.
 * Context: process context; takes the parent's lock.
 *
 * Return: the count (0 once the parent is being removed, or when the
 * backend does not serve the parent's slice class).
 */
u64 slicebus_available(struct slicebus_parent *parent, unsigned int type,
		       const struct slicebus_driver *drv)
{
	u64 n;

	mutex_lock(&parent->lock);
	n = parent->dying || !sb_driver_serves(drv, parent) ? 0 :
	    sb_acct_available(&parent->acct, drv->id,
			      parent->info.types[type].cost);
	mutex_unlock(&parent->lock);
	return n;
}
EXPORT_SYMBOL_GPL(slicebus_available);

/* ---- backend drivers -------------------------------------------------- */

/**
 * __slicebus_driver_register() - register a backend
 * @drv: the backend; at most one per &slicebus_driver.name
 * @owner: its module
 * @mod_name: its module name
 *
 * Makes the backend's name known (if it is not one of vfio, vdpa and dma),
 * puts the driver on the slice bus, publishes it (slices of its backend may
 * be created from now on) and calls @parent_add for every parent.  A new
 * name is announced as a change of every parent.
 * Use the slicebus_driver_register() macro.
 * Context: process context; takes sb_mutex and every parent's lock for
 * this backend (not across each other).
 *
 * Return: 0; -EINVAL for an invalid name, -EBUSY when that name already
 * has a driver (or one that is still unregistering), -ENOSPC when
 * %SLICEBUS_MAX_BACKENDS names are known (each said in the kernel log); or
 * a driver core error.
 */
int __slicebus_driver_register(struct slicebus_driver *drv,
			       struct module *owner, const char *mod_name)
{
	struct slicebus_parent *parent;
	u32 id = 0;
	int ret;

	drv->driver.bus = &slicebus_bus_type;
	drv->driver.owner = owner;
	drv->driver.mod_name = mod_name;
	drv->driver.suppress_bind_attrs = true;
	drv->published = false;

	/* take the slot; nothing binds to the driver before it is published */
	scoped_guard(mutex, &sb_mutex) {
		ret = sb_backend_claim(drv);
		if (ret)
			return ret;
		WRITE_ONCE(sb_backends[drv->id].drv, drv);
	}
	ret = driver_register(&drv->driver);
	if (ret) {
		sb_backend_forget(drv);
		return ret;
	}
	scoped_guard(mutex, &sb_mutex)
		WRITE_ONCE(drv->published, true);

	/* a parent registering meanwhile may add us first: either is fine */
	while ((parent = sb_parent_next(&id))) {
		sb_parent_add_backend(parent, drv->id);
		put_device(&parent->dev);
	}
	/* a name the core did not know is new on every parent */
	if (drv->id >= SB_BUILTIN_BACKENDS)
		sb_backend_announce_all();
	return 0;
}
EXPORT_SYMBOL_GPL(__slicebus_driver_register);

/**
 * slicebus_driver_unregister() - unregister a backend and all its slices
 * @drv: the backend
 *
 * Unpublishes the driver (no new slices or parents for it), calls its
 * @parent_remove for every parent it was added to, destroys the slices
 * still bound to it and takes it off the bus.  When this returns, no
 * slicebus path calls into the driver any more.  A name other than vfio,
 * vdpa and dma is then forgotten, with the reservations and limits set for
 * it, and that is announced as a change of every parent.
 * Context: process context; takes sb_mutex and every parent's lock for
 * this backend (not across each other); may sleep until the backend's users
 * let go of its slices.
 */
void slicebus_driver_unregister(struct slicebus_driver *drv)
{
	struct slicebus_parent *parent;
	u32 id = 0;

	scoped_guard(mutex, &sb_mutex)
		WRITE_ONCE(drv->published, false);
	/*
	 * Every parent that added us is listed (it is unlisted only after
	 * removing its backends): visit each under its lock for us, after
	 * any @parent_add, @slice_add or @slice_del in progress there.
	 */
	while ((parent = sb_parent_next(&id))) {
		sb_parent_remove_backend(parent, drv->id);
		put_device(&parent->dev);
	}
	sb_slices_destroy_all(NULL, drv->id, false);
	driver_unregister(&drv->driver);
	sb_backend_forget(drv);
}
EXPORT_SYMBOL_GPL(slicebus_driver_unregister);

/* ---- module ----------------------------------------------------------- */

static int __init slicebus_init(void)
{
	int ret;

	ret = bus_register(&slicebus_bus_type);
	if (ret)
		return ret;
	ret = class_register(&slicebus_class);
	if (ret)
		goto err_bus;
	ret = sb_netlink_init();
	if (ret)
		goto err_class;
	return 0;

err_class:
	class_unregister(&slicebus_class);
err_bus:
	bus_unregister(&slicebus_bus_type);
	return ret;
}

static void __exit slicebus_exit(void)
{
	sb_netlink_exit();
	sb_slice_table_exit();
	class_unregister(&slicebus_class);
	bus_unregister(&slicebus_bus_type);
}

module_init(slicebus_init);
module_exit(slicebus_exit);
MODULE_DESCRIPTION("slicebus: hardware queue slices for VFIO, vDPA and dmaengine");
MODULE_LICENSE("GPL");
