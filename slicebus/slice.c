// SPDX-License-Identifier: GPL-2.0
/*
 * slicebus slices: creation through the accountant, destruction, names.
 *
 * sb_slices_lock protects the slice table (sb_slices by id, sb_names by
 * name) and every slice's state.  It is taken inside the backends'
 * framework locks and outside parent->lock, and held only for the table
 * and the state (see core.c for the whole order).
 *
 * Life of a slice, in its &slicebus_slice.state (changed only by
 * sb_slice_set_state(), which checks every transition):
 *
 *   CREATING  slicebus_slice_create() charged the accountant, took the name,
 *             had the provider's @slice_init give it hardware and bound it
 *             to its backend (whose @probe makes it usable).  Lookups and
 *             dumps skip it; only the creator and the backend have it.
 *   LIVE      the creator finished: only while its backend's driver is the
 *             published one it was bound to and its parent is not dying, so
 *             that an unregistration (which unpublishes or marks dying
 *             first, then destroys every live slice) never misses it.
 *             Otherwise the creator unwinds: CREATING -> DEAD.
 *   DYING     the one caller of slicebus_slice_destroy() that found it LIVE
 *             tears it down: backend @remove, queue killed, provider
 *             @slice_release, name and charge given back.
 *   DEAD      torn down; whoever else called slicebus_slice_destroy() was
 *             waiting for this and returns now.
 *
 * Apart from the state, &slicebus_slice.hw says whether the slice has its
 * provider's hardware: HELD from just before the provider's @slice_init
 * (which gives it) until one caller of sb_slice_put_hw() (the teardown, an
 * unwinding creation, or the provider's slicebus_slice_revoke()) moves it to
 * RELEASING, kills the data path, lets the provider have the hardware back
 * and credits the accountant, then GONE.  Exactly one of them does that;
 * the others wait for GONE.  A LIVE slice whose hardware is GONE is
 * revoked: it stays, listed as such and holding nothing of the accountant,
 * until its owner deletes it; a CREATING one whose hardware was revoked
 * does not become LIVE.
 *
 * References: the slice is its &device, counted by the driver core.
 * slicebus_slice_create() returns one reference (the creation reference,
 * the creator's); the teardown drops it.  Lookups (netlink, the core's
 * walks) take their own.  A caller of slicebus_slice_destroy() that may
 * not be the one tearing down holds a reference of its own.  The slice
 * holds a reference on its parent's management device and on its DMA
 * device (&slicebus_slice.dma_dev, when that is not the slice itself)
 * until its last put.  The teardown has the slice's class kill its data
 * path (&slicebus_class.slice_kill) after the backend let go and before
 * the provider's @slice_release, so that a kernel holder keeping the slice
 * never reaches the provider afterwards; the class's state of the slice
 * (&slicebus_slice.class_priv) is freed with the slice.
 */
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/stringhash.h>
#include <linux/xarray.h>

#include "sb.h"

static DEFINE_MUTEX(sb_slices_lock);
static DEFINE_XARRAY_ALLOC1(sb_slices);
static DEFINE_HASHTABLE(sb_names, 12);
static u32 sb_next_id;

static u32 sb_name_hash(const char *name)
{
	return full_name_hash(NULL, name, strlen(name));
}

static struct slicebus_slice *sb_name_lookup(const char *name)
{
	struct slicebus_slice *slice;

	lockdep_assert_held(&sb_slices_lock);
	hash_for_each_possible(sb_names, slice, name_node, sb_name_hash(name))
		if (!strcmp(dev_name(&slice->dev), name))
			return slice;
	return NULL;
}

/* May the creation of @slice finish?  See LIVE at the top of this file. */
static bool sb_slice_may_live(struct slicebus_slice *slice)
{
	struct device_driver *drv = slice->dev.driver;

	return drv && to_slicebus_driver(drv) == sb_backend_driver(slice->backend) &&
	       !READ_ONCE(slice->parent->dying) &&
	       slice->hw == SLICEBUS_HW_HELD;
}

/*
 * sb_slice_set_state() - move a slice to state @to if its rules allow
 * @slice: the slice
 * @to: the new state
 *
 * CREATING -> LIVE (only if sb_slice_may_live()), CREATING -> DEAD,
 * LIVE -> DYING, DYING -> DEAD; nothing else.  Entering DEAD wakes those
 * waiting for the teardown.
 *
 * Return: true if the slice moved to @to.
 */
static bool sb_slice_set_state(struct slicebus_slice *slice,
			       enum slicebus_slice_state to)
{
	enum slicebus_slice_state from;
	bool ok;

	mutex_lock(&sb_slices_lock);
	from = slice->state;
	switch (to) {
	case SLICEBUS_SLICE_LIVE:
		ok = from == SLICEBUS_SLICE_CREATING && sb_slice_may_live(slice);
		break;
	case SLICEBUS_SLICE_DYING:
		ok = from == SLICEBUS_SLICE_LIVE;
		break;
	case SLICEBUS_SLICE_DEAD:
		ok = from == SLICEBUS_SLICE_CREATING ||
		     from == SLICEBUS_SLICE_DYING;
		break;
	default:
		ok = false;
		break;
	}
	if (ok)
		WRITE_ONCE(slice->state, to);
	mutex_unlock(&sb_slices_lock);
	if (ok && to == SLICEBUS_SLICE_DEAD) {
		smp_mb();	/* the state before the check for waiters */
		wake_up_var(&slice->state);
	}
	return ok;
}

/* Look a live slice up by name; the caller puts the reference. */
struct slicebus_slice *sb_slice_get(const char *name)
{
	struct slicebus_slice *slice;

	mutex_lock(&sb_slices_lock);
	slice = sb_name_lookup(name);
	if (slice && slice->state == SLICEBUS_SLICE_LIVE)
		get_device(&slice->dev);
	else
		slice = NULL;
	mutex_unlock(&sb_slices_lock);
	return slice;
}

/**
 * slicebus_slice_name() - name of a slice
 * @slice: the slice
 *
 * Return: the name, unique system-wide.
 */
const char *slicebus_slice_name(const struct slicebus_slice *slice)
{
	return dev_name(&slice->dev);
}
EXPORT_SYMBOL_GPL(slicebus_slice_name);

static void sb_slice_release(struct device *dev)
{
	struct slicebus_slice *slice = to_slicebus_slice(dev);

	put_device(slice->dma_held);
	put_device(&slice->parent->dev);
	kfree(slice->options);
	kfree(slice->class_priv);
	kfree(slice);
}

static void sb_explain(struct slicebus_parent *parent,
		       const struct sb_acct_why *why, unsigned int backend,
		       struct netlink_ext_ack *extack)
{
	const char *res = parent->info.resources[why->res].name;

	switch (why->verdict) {
	case SB_ACCT_SHORT:
		NL_SET_ERR_MSG_FMT(extack,
				   "%s: not enough %s (%llu needed, %llu free)",
				   parent->name, res, why->need, why->have);
		break;
	case SB_ACCT_RESERVED:
		NL_SET_ERR_MSG_FMT(extack,
				   "%s: %s held by reservations (%llu needed, %llu unreserved)",
				   parent->name, res, why->need, why->have);
		break;
	case SB_ACCT_LIMIT:
		NL_SET_ERR_MSG_FMT(extack,
				   "%s: backend %s at its %s limit (%llu needed, %llu left)",
				   parent->name, sb_backend_name(backend),
				   res, why->need, why->have);
		break;
	default:
		NL_SET_ERR_MSG_FMT(extack, "%s: refused by the accountant",
				   parent->name);
		break;
	}
}

/* Debit the accountant, unless the parent is going away. */
static int sb_charge(struct slicebus_parent *parent, unsigned int type,
		     unsigned int backend,
		     struct netlink_ext_ack *extack)
{
	struct sb_acct_why why;
	int ret = 0;

	mutex_lock(&parent->lock);
	if (parent->dying) {
		sb_explain_dying(parent, extack);
		ret = -ENODEV;
	} else if (sb_acct_charge(&parent->acct, backend,
				  parent->info.types[type].cost, &why)) {
		sb_explain(parent, &why, backend, extack);
		ret = -ENOSPC;
	} else {
		parent->nr_slices++;
	}
	mutex_unlock(&parent->lock);
	return ret;
}

static void sb_uncharge(struct slicebus_slice *slice)
{
	struct slicebus_parent *parent = slice->parent;

	mutex_lock(&parent->lock);
	sb_acct_uncharge(&parent->acct, slice->backend,
			 parent->info.types[slice->type].cost);
	parent->nr_slices--;
	mutex_unlock(&parent->lock);
	/* the slice holds its parent's device: @parent outlives this */
	wake_up(&parent->slices_gone);
}

/* The provider is about to give @slice its hardware (@slice_init). */
static void sb_slice_hold_hw(struct slicebus_slice *slice)
{
	mutex_lock(&sb_slices_lock);
	slice->hw = SLICEBUS_HW_HELD;
	mutex_unlock(&sb_slices_lock);
}

/*
 * Take the provider's hardware from @slice, once: kill the slice's data
 * path (the class disables a holder's queue and tells it), let the
 * provider have the hardware back (@slice_release) and credit the
 * accountant.  A second caller waits until the first is done.
 *
 * Return: true for the caller that did it.
 */
static bool sb_slice_put_hw(struct slicebus_slice *slice)
{
	struct slicebus_parent *parent = slice->parent;
	bool mine;

	mutex_lock(&sb_slices_lock);
	mine = slice->hw == SLICEBUS_HW_HELD;
	if (mine)
		slice->hw = SLICEBUS_HW_RELEASING;
	mutex_unlock(&sb_slices_lock);
	if (!mine) {
		wait_var_event(&slice->hw,
			       READ_ONCE(slice->hw) != SLICEBUS_HW_RELEASING);
		return false;
	}
	sb_class_slice_kill(slice);
	if (parent->info.ops && parent->info.ops->slice_release)
		parent->info.ops->slice_release(slice);
	sb_uncharge(slice);
	mutex_lock(&sb_slices_lock);
	WRITE_ONCE(slice->hw, SLICEBUS_HW_GONE);
	mutex_unlock(&sb_slices_lock);
	smp_mb();	/* the state before the check for waiters */
	wake_up_var(&slice->hw);
	return true;
}

/**
 * slicebus_slice_revoke() - the provider takes a slice's hardware away
 * @slice: a slice of the caller's parent, from its @slice_init on
 *
 * For hardware that goes away under a slice while the parent stays (a
 * work queue disabled by its administrator): the slice's data path is
 * killed (a holder with its queue enabled has it disabled and is told,
 * e.g. &slicebus_dsa_queue_cfg.revoked), the provider's @slice_release
 * runs and the accountant is credited, as a teardown would, but the slice
 * stays, listed as revoked, until whoever owns it deletes it: a VM keeps
 * its mdev until it lets go.  Its data path fails from now on.  The
 * provider then lowers the parent's capacity (slicebus_parent_resize()).
 *
 * When the slice is being torn down already, this returns once its
 * hardware is back with the provider.  Announced on netlink.
 * Context: process context; may sleep (the holder's queue is drained);
 * the caller must not hold what @slice_release takes.
 */
void slicebus_slice_revoke(struct slicebus_slice *slice)
{
	if (!sb_slice_put_hw(slice))
		return;
	dev_warn(&slice->parent->dev,
		 "slice %s revoked: its hardware went away; it stays until it is deleted\n",
		 dev_name(&slice->dev));
	if (READ_ONCE(slice->state) == SLICEBUS_SLICE_LIVE)
		sb_notify_slice(slice, SLICEBUS_CMD_SLICE_CHANGE_NTF);
}
EXPORT_SYMBOL_GPL(slicebus_slice_revoke);

/**
 * slicebus_slice_revoked() - whether a slice lost its hardware
 * @slice: the slice
 *
 * Return: true once slicebus_slice_revoke() took its hardware away (or its
 * teardown started giving it back).
 */
bool slicebus_slice_revoked(const struct slicebus_slice *slice)
{
	return READ_ONCE(slice->hw) >= SLICEBUS_HW_RELEASING;
}
EXPORT_SYMBOL_GPL(slicebus_slice_revoked);

/**
 * slicebus_slice_set_options() - say what options a slice was made with
 * @slice: a slice of the caller's backend
 * @fmt: "name value" pairs separated by spaces, e.g. "mac 02:00:00:00:00:01
 *	mtu 1500": the values in effect, given or defaulted, as a user would
 *	give them again to make the same slice (``slicectl save`` does)
 *
 * Reported by slice-get.  Set once per slice, before or after it is live;
 * a second call is refused.
 * Context: process context.
 *
 * Return: 0, -EBUSY when already set, -ENOMEM.
 */
int slicebus_slice_set_options(struct slicebus_slice *slice, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (!s)
		return -ENOMEM;
	/* readers hold a reference only: publish it whole, once */
	if (cmpxchg_release(&slice->options, NULL, s)) {
		kfree(s);
		return -EBUSY;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(slicebus_slice_set_options);

void sb_explain_dying(struct slicebus_parent *parent,
		      struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG_FMT(extack, "%s is being removed", parent->name);
}

/* Take an id and a name (given, or "<parent>.<id>"). */
static int sb_name_take(struct slicebus_slice *slice, const char *name,
			struct netlink_ext_ack *extack)
{
	char gen[SLICEBUS_NAME_LEN + 16];	/* parent names leave room */
	int ret;

	mutex_lock(&sb_slices_lock);
	do {
		ret = xa_alloc_cyclic(&sb_slices, &slice->id, slice,
				      xa_limit_32b, &sb_next_id, GFP_KERNEL);
		if (ret < 0)
			goto out;
		if (!name) {
			snprintf(gen, sizeof(gen), "%s.%u", slice->parent->name,
				 slice->id);
			if (sb_name_lookup(gen)) {
				xa_erase(&sb_slices, slice->id);
				ret = -EAGAIN;
				continue;
			}
		}
		ret = 0;
	} while (ret == -EAGAIN);

	if (name && sb_name_lookup(name)) {
		NL_SET_ERR_MSG_FMT(extack, "slice %s already exists", name);
		xa_erase(&sb_slices, slice->id);
		ret = -EEXIST;
		goto out;
	}
	ret = dev_set_name(&slice->dev, "%s", name ?: gen);
	if (ret) {
		xa_erase(&sb_slices, slice->id);
		goto out;
	}
	hash_add(sb_names, &slice->name_node, sb_name_hash(dev_name(&slice->dev)));
out:
	mutex_unlock(&sb_slices_lock);
	return ret;
}

static void sb_name_drop(struct slicebus_slice *slice)
{
	mutex_lock(&sb_slices_lock);
	hash_del(&slice->name_node);
	xa_erase(&sb_slices, slice->id);
	mutex_unlock(&sb_slices_lock);
}

/*
 * Create a slice for backend slot @backend, see slicebus_slice_create().
 * Returns it with two references: the creation reference, which its
 * teardown drops, and one of the caller's own, valid even after a
 * concurrent teardown, which the caller puts.
 */
struct slicebus_slice *sb_slice_create(struct slicebus_parent *parent,
				       unsigned int type, unsigned int backend,
				       const char *name, unsigned int flags,
				       struct device *dev_parent,
				       struct netlink_ext_ack *extack)
{
	struct slicebus_driver *drv;
	struct slicebus_slice *slice;
	int ret;

	if (!sb_backend_known(backend) || type >= parent->info.nr_types) {
		NL_SET_ERR_MSG(extack, "unknown backend or slice type");
		return ERR_PTR(-EINVAL);
	}
	if (name && !sb_name_valid(name)) {
		NL_SET_ERR_MSG(extack, "slice names are 1-63 of [A-Za-z0-9._:-]");
		return ERR_PTR(-EINVAL);
	}
	drv = sb_backend_driver(backend);
	if (!drv) {
		NL_SET_ERR_MSG_FMT(extack, "backend %s: module slicebus_%s is not loaded",
				   sb_backend_name(backend),
				   sb_backend_name(backend));
		return ERR_PTR(-ENODEV);
	}
	ret = sb_class_check(drv, parent, extack);
	if (ret)
		return ERR_PTR(ret);

	slice = kzalloc(sizeof(*slice), GFP_KERNEL);
	if (!slice)
		return ERR_PTR(-ENOMEM);
	slice->parent = parent;
	slice->type = type;
	slice->backend = backend;
	slice->flags = flags;
	slice->state = SLICEBUS_SLICE_CREATING;
	get_device(&parent->dev);
	device_initialize(&slice->dev);
	slice->dev.bus = &slicebus_bus_type;
	slice->dev.parent = dev_parent ?: &parent->dev;
	slice->dev.release = sb_slice_release;
	/*
	 * A slice has no power management of its own (its provider's device
	 * and the devices its backend registers have theirs): no power/
	 * directory, ten sysfs nodes less per slice.
	 */
	device_set_pm_not_required(&slice->dev);

	ret = sb_class_slice_alloc(slice);
	if (ret)
		goto err_put;
	/* a taken name is refused before capacity: it would never succeed */
	ret = sb_name_take(slice, name, extack);
	if (ret)
		goto err_put;
	ret = sb_charge(parent, type, backend, extack);
	if (ret)
		goto err_name;
	sb_slice_hold_hw(slice);
	if (parent->info.ops && parent->info.ops->slice_init) {
		ret = parent->info.ops->slice_init(slice);
		if (ret) {
			/* nothing was given, so nothing can have been revoked */
			WRITE_ONCE(slice->hw, SLICEBUS_HW_NONE);
			NL_SET_ERR_MSG_FMT(extack, "%s: provider refused the slice (%d)",
					   parent->name, ret);
			goto err_uncharge;
		}
	}
	if (!slice->dma_dev)
		slice->dma_dev = parent->info.dev;
	/* the slice's own device is held by whoever holds the slice */
	if (slice->dma_dev != &slice->dev)
		slice->dma_held = get_device(slice->dma_dev);
	ret = device_add(&slice->dev);
	if (ret)
		goto err_provider;
	/*
	 * The caller's reference: once LIVE, the slice may be destroyed by
	 * anyone (its parent's removal, its backend's unloading) at once.
	 */
	get_device(&slice->dev);
	if (!sb_slice_set_state(slice, SLICEBUS_SLICE_LIVE)) {
		put_device(&slice->dev);
		/*
		 * Our probe failed (probe_err), the parent or the backend
		 * started going away since the checks above, or the driver
		 * core itself failed around the probe (sysfs links and
		 * groups: an allocation).
		 */
		if (READ_ONCE(parent->dying)) {
			sb_explain_dying(parent, extack);
			ret = -ENODEV;
		} else if (READ_ONCE(slice->hw) != SLICEBUS_HW_HELD) {
			NL_SET_ERR_MSG_FMT(extack, "%s: the slice's hardware went away",
					   parent->name);
			ret = -ENODEV;
		} else {
			if (slice->probe_err)
				ret = slice->probe_err;
			else if (!sb_backend_driver(backend))
				ret = -ENODEV;
			else
				ret = -ENOMEM;
			NL_SET_ERR_MSG_FMT(extack, "backend %s did not take the slice (%d)",
					   sb_backend_name(backend), ret);
		}
		device_del(&slice->dev);
		goto err_provider;
	}
	sb_notify_slice(slice, SLICEBUS_CMD_SLICE_NEW_NTF);
	return slice;

err_provider:
	sb_slice_put_hw(slice);		/* or its revocation did */
	goto err_name;
err_uncharge:
	sb_uncharge(slice);
err_name:
	sb_name_drop(slice);
err_put:
	sb_slice_set_state(slice, SLICEBUS_SLICE_DEAD);
	put_device(&slice->dev);
	return ERR_PTR(ret);
}

/**
 * slicebus_slice_create() - allocate a slice through the accountant
 * @parent: the parent; the caller keeps it registered meanwhile (backends:
 *	between their @parent_add and @parent_remove)
 * @type: type index
 * @drv: the backend that will hold it, registered
 * @name: slice name, or NULL to generate "<parent>.<id>"
 * @flags: %SLICEBUS_SLICE_BACKEND_OWNED when the backend's framework
 *	created the request (mdev create, vdpa dev add) and will delete it
 * @dev_parent: the device the slice device hangs off in sysfs, e.g. the
 *	mdev it backs (whose name it shares); NULL: the management device
 * @extack: why it failed, in words for users; may be NULL
 *
 * The accountant's check and debit are one step under the parent's lock, so
 * no entry point can over-commit.  The new slice is bound to its backend
 * before this returns; the backend's @probe may run before the caller gets
 * the pointer.  Announced on netlink.
 * Context: process context; may sleep; takes sb_slices_lock and the
 * parent's lock, never sb_mutex.
 *
 * Return: the slice, with a reference that slicebus_slice_destroy() drops,
 * or an ERR_PTR(): -EINVAL (bad name or type), -ENODEV (backend not loaded,
 * parent going away), -EOPNOTSUPP (the backend does not serve the parent's
 * slice class), -ENOSPC (refused by the accountant), -EEXIST (name
 * taken), or the backend's or provider's error.
 */
struct slicebus_slice *slicebus_slice_create(struct slicebus_parent *parent,
					     unsigned int type,
					     const struct slicebus_driver *drv,
					     const char *name,
					     unsigned int flags,
					     struct device *dev_parent,
					     struct netlink_ext_ack *extack)
{
	struct slicebus_slice *slice;

	slice = sb_slice_create(parent, type, drv->id, name, flags, dev_parent,
				extack);
	/* the backend's framework keeps it from being deleted meanwhile */
	if (!IS_ERR(slice))
		put_device(&slice->dev);
	return slice;
}
EXPORT_SYMBOL_GPL(slicebus_slice_create);

/**
 * slicebus_slice_destroy() - unbind a slice, give its cost back, free it
 * @slice: what slicebus_slice_create() returned
 *
 * The backend's @remove runs, then the provider's @slice_release, then the
 * accountant is credited (unless the slice was revoked: that was done
 * then) and the removal announced.  Calling it again, or
 * after the core destroyed the slice with its parent or its backend, tears
 * nothing down but returns only once the first caller's teardown is
 * complete, so that the caller may free what the backend's @remove used.
 * The caller must hold a reference of its own when it may not be the first
 * (the creation reference is dropped here, once, by the teardown).
 * Context: process context; may sleep; takes sb_slices_lock and the
 * parent's lock, never sb_mutex.
 */
void slicebus_slice_destroy(struct slicebus_slice *slice)
{
	if (!sb_slice_set_state(slice, SLICEBUS_SLICE_DYING)) {
		/* every slice handed out was live: another caller tears it down */
		wait_var_event(&slice->state,
			       READ_ONCE(slice->state) == SLICEBUS_SLICE_DEAD);
		return;
	}

	device_del(&slice->dev);
	sb_slice_put_hw(slice);		/* unless it was revoked */
	sb_name_drop(slice);
	sb_slice_set_state(slice, SLICEBUS_SLICE_DEAD);
	sb_notify_slice(slice, SLICEBUS_CMD_SLICE_DEL_NTF);
	put_device(&slice->dev);
}
EXPORT_SYMBOL_GPL(slicebus_slice_destroy);

/*
 * Netlink delete: through the backend when it has a say, else here.  The
 * caller holds the parent's lock for the slice's backend, so the driver
 * stays while it is called.
 */
int sb_slice_del(struct slicebus_slice *slice, struct netlink_ext_ack *extack)
{
	struct slicebus_parent *parent = slice->parent;
	struct slicebus_driver *drv = sb_backend_driver(slice->backend);

	lockdep_assert_held(&parent->backend_lock[slice->backend]);
	/*
	 * Under the backend's lock the slice stays bound to the driver it has
	 * (unbinding it takes this lock first, or clears @added first), but it
	 * may have been torn down and its slot taken by another driver since
	 * it was looked up.
	 */
	if (READ_ONCE(slice->state) != SLICEBUS_SLICE_LIVE ||
	    (drv && slice->dev.driver != &drv->driver)) {
		NL_SET_ERR_MSG_FMT(extack, "slice %s is gone", dev_name(&slice->dev));
		return -ENOENT;
	}
	if (drv && drv->slice_del && test_bit(slice->backend, &parent->added))
		return drv->slice_del(slice, extack);
	if (!(slice->flags & SLICEBUS_SLICE_BACKEND_OWNED)) {
		slicebus_slice_destroy(slice);
		return 0;
	}
	if (READ_ONCE(parent->dying)) {
		sb_explain_dying(parent, extack);
		return -ENODEV;
	}
	NL_SET_ERR_MSG_FMT(extack, "slice %s belongs to %s; delete it there",
			   dev_name(&slice->dev), slicebus_slice_backend(slice));
	return -EOPNOTSUPP;
}

/**
 * slicebus_slice_backend_owned() - whether the backend's side created a slice
 * @slice: the slice
 *
 * Return: true for slices created with %SLICEBUS_SLICE_BACKEND_OWNED.
 */
bool slicebus_slice_backend_owned(const struct slicebus_slice *slice)
{
	return slice->flags & SLICEBUS_SLICE_BACKEND_OWNED;
}
EXPORT_SYMBOL_GPL(slicebus_slice_backend_owned);

/**
 * slicebus_slice_new() - allocate a slice by device and type name
 * @dev: parent name, e.g. "sim0"
 * @type: type name, or NULL for the parent's default type of @backend
 * @backend: name of the backend that will hold it, e.g. "dma"
 * @name: slice name, or NULL to generate one
 * @flags: as for slicebus_slice_create()
 * @extack: why it failed; may be NULL
 *
 * For in-kernel users that know a device only by name: the lookup holds
 * a reference on the parent until the creation is done, which a parent
 * being removed refuses.  Context: process context; takes sb_mutex (for
 * the lookups only), the parent's lock of @backend, sb_slices_lock and
 * the parent's lock.
 *
 * Return: the slice with two references: one for slicebus_slice_destroy()
 * and one of the caller's own, which keeps the pointer valid even when
 * the slice is destroyed meanwhile (its parent going away) and which the
 * caller drops with put_device(); or an ERR_PTR() as
 * slicebus_slice_create(), -ENODEV for an unknown device and -EINVAL for
 * an unknown backend or type.
 */
struct slicebus_slice *slicebus_slice_new(const char *dev, const char *type,
					  const char *backend,
					  const char *name, unsigned int flags,
					  struct netlink_ext_ack *extack)
{
	struct slicebus_slice *slice;
	struct slicebus_parent *p;
	int b, t;

	scoped_guard(mutex, &sb_mutex)
		b = sb_backend_lookup(backend, NULL, extack);
	if (b < 0)
		return ERR_PTR(b);
	p = sb_parent_get(dev);
	if (!p) {
		NL_SET_ERR_MSG_FMT(extack, "no slicebus device %s", dev);
		return ERR_PTR(-ENODEV);
	}
	t = type ? slicebus_parent_find_type(p, type) : sb_default_type(p, b);
	if (t < 0) {
		NL_SET_ERR_MSG_FMT(extack, "%s has no slice type %s", dev, type);
		slice = ERR_PTR(-EINVAL);
		goto out;
	}
	mutex_lock(&p->backend_lock[b]);
	if (sb_backend_is(b, backend))
		slice = sb_slice_create(p, t, b, name, flags, NULL, extack);
	else
		slice = ERR_PTR(sb_backend_lookup_again(backend, extack));
	mutex_unlock(&p->backend_lock[b]);
out:
	put_device(&p->dev);
	return slice;
}
EXPORT_SYMBOL_GPL(slicebus_slice_new);

/*
 * Destroy every live slice of @parent (or of all parents when NULL) that is
 * held by @backend, or by any backend.  The caller unpublished the backend
 * or marked the parent dying first, so no slice it should destroy becomes
 * live after the walk passed it (sb_slice_may_live()).
 */
void sb_slices_destroy_all(struct slicebus_parent *parent,
			   unsigned int backend, bool any_backend)
{
	struct slicebus_slice *slice;
	unsigned long id = 0;

	for (;;) {
		mutex_lock(&sb_slices_lock);
		xa_for_each_start(&sb_slices, id, slice, id) {
			if (slice->state == SLICEBUS_SLICE_LIVE &&
			    (!parent || slice->parent == parent) &&
			    (any_backend || slice->backend == backend))
				break;
		}
		if (slice)
			get_device(&slice->dev);
		mutex_unlock(&sb_slices_lock);
		if (!slice)
			return;
		slicebus_slice_destroy(slice);
		put_device(&slice->dev);
	}
}

/*
 * Fill @skb with live slices from id *@pos on; *@pos is where to resume.
 * @fill runs without sb_slices_lock, on a slice it holds a reference of
 * (it may read class counters, which call the provider), so a slice may
 * die meanwhile and still be reported.
 */
int sb_slice_dump(struct sk_buff *skb, unsigned long *pos,
		  int (*fill)(struct sk_buff *skb, struct slicebus_slice *slice,
			      void *arg), void *arg)
{
	struct slicebus_slice *slice;
	unsigned long id = *pos;
	int ret = 0;

	for (;;) {
		mutex_lock(&sb_slices_lock);
		xa_for_each_start(&sb_slices, id, slice, id) {
			if (slice->state == SLICEBUS_SLICE_LIVE)
				break;
		}
		if (slice)
			get_device(&slice->dev);
		mutex_unlock(&sb_slices_lock);
		if (!slice)
			return 0;
		ret = fill(skb, slice, arg);
		put_device(&slice->dev);
		if (ret)
			return ret;
		*pos = ++id;
	}
}

void sb_slice_table_exit(void)
{
	WARN_ON(!xa_empty(&sb_slices));
	xa_destroy(&sb_slices);
}
