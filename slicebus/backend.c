// SPDX-License-Identifier: GPL-2.0
/*
 * slicebus backends by name.
 *
 * DOC: Backend names
 *
 * The core knows a backend by its name.  "vfio", "vdpa" and "dma" are always
 * known, whether or not their module is loaded, so that an administrator
 * may reserve capacity for a backend before loading it.  A &struct
 * slicebus_driver whose name is not known yet adds its name when it
 * registers, and the name is forgotten again when that driver unregisters
 * (its reservations and limits with it: nobody can see or change them any
 * more).  Nothing else in the core or the uAPI lists backends.
 *
 * Known names occupy the slots of a table of %SLICEBUS_MAX_BACKENDS; a
 * slot's index keys the accountant's per-backend state, each parent's
 * per-backend data and the bus match.  The built-in names hold the first
 * slots forever.
 *
 * Locking and lifetimes: the table is changed only under sb_mutex, and a
 * slot is only reused after its name was forgotten.  A slot's name is read
 * without sb_mutex only through a live slice or a registered driver of that
 * slot, and a slot is forgotten only after its driver left the bus and the
 * accountant of every parent got back what the slot's slices held (a
 * teardown another thread started included): so no slice or driver of a
 * forgotten slot is left to read it.  &sb_backend.drv is published with
 * WRITE_ONCE() under sb_mutex and may be read with READ_ONCE() anywhere.
 */
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "sb.h"

static_assert(SB_ACCT_MAX_BACKENDS == SLICEBUS_MAX_BACKENDS);

struct sb_backend sb_backends[SLICEBUS_MAX_BACKENDS] = {
	{ .name = "vfio" },
	{ .name = "vdpa" },
	{ .name = "dma" },
};

bool sb_backend_known(unsigned int b)
{
	return b < SLICEBUS_MAX_BACKENDS && sb_backends[b].name[0];
}

const char *sb_backend_name(unsigned int b)
{
	return sb_backends[b].name;
}

/* The slot's driver if it is published (takes new slices), else NULL. */
struct slicebus_driver *sb_backend_driver(unsigned int b)
{
	struct slicebus_driver *drv = READ_ONCE(sb_backends[b].drv);

	return drv && READ_ONCE(drv->published) ? drv : NULL;
}

/* The slot of a known name, or -ENOENT; sb_mutex held. */
int sb_backend_find(const char *name)
{
	unsigned int b;

	lockdep_assert_held(&sb_mutex);
	for (b = 0; b < SLICEBUS_MAX_BACKENDS; b++)
		if (sb_backend_known(b) && !strcmp(sb_backends[b].name, name))
			return b;
	return -ENOENT;
}

/**
 * sb_backend_lookup() - the slot of a backend a user named
 * @name: the name from the request
 * @nla: the attribute it came in, for the error offset; may be NULL
 * @extack: on failure, a message listing the known names
 *
 * Context: sb_mutex held.
 * Return: the slot, or -EINVAL for a name that is not known.
 */
int sb_backend_lookup(const char *name, const struct nlattr *nla,
		      struct netlink_ext_ack *extack)
{
	char msg[NETLINK_MAX_FMTMSG_LEN];
	const char *sep = " ";
	unsigned int b;
	size_t len;
	int slot;

	slot = sb_backend_find(name);
	if (slot >= 0)
		return slot;

	/* as many known names as fit in an extack message */
	len = scnprintf(msg, sizeof(msg), "unknown backend %.20s; known:", name);
	for (b = 0; b < SLICEBUS_MAX_BACKENDS; b++) {
		const char *known = sb_backends[b].name;

		if (!known[0])
			continue;
		if (len + strlen(sep) + strlen(known) + 5 > sizeof(msg)) {
			len += scnprintf(msg + len, sizeof(msg) - len, "%s...", sep);
			break;
		}
		len += scnprintf(msg + len, sizeof(msg) - len, "%s%s", sep, known);
		sep = ", ";
	}
	NL_SET_ERR_MSG_FMT(extack, "%s", msg);
	NL_SET_BAD_ATTR(extack, nla);
	return -EINVAL;
}

/*
 * Whether slot @b still carries @name: a lookup's slot may be forgotten and
 * given to another name once sb_mutex is dropped.  The caller holds a
 * parent's backend_lock[@b], which a slot's forgetting waits for.
 */
bool sb_backend_is(unsigned int b, const char *name)
{
	guard(mutex)(&sb_mutex);
	return !strcmp(sb_backends[b].name, name);
}

/* The name went away after it was looked up: the error a lookup now gives. */
int sb_backend_lookup_again(const char *name, struct netlink_ext_ack *extack)
{
	int b;

	guard(mutex)(&sb_mutex);
	b = sb_backend_lookup(name, NULL, extack);
	if (b >= 0) {
		/* unloaded and loaded again meanwhile */
		NL_SET_ERR_MSG_FMT(extack, "backend %s was reloaded meanwhile; try again",
				   name);
		return -EAGAIN;
	}
	return b;
}

/**
 * sb_backend_claim() - give a registering driver the slot of its name
 * @drv: the driver; &slicebus_driver.name must be valid
 *
 * A built-in or forgotten-then-registered-again name gets its slot, a new
 * name the first free one.  The driver is not published yet.
 * Context: sb_mutex held.
 * Return: 0 and @drv->id set; -EINVAL for an invalid name, -EBUSY when a
 * driver of that name is registered, -ENOSPC when the table is full.  The
 * kernel log says which.
 */
int sb_backend_claim(struct slicebus_driver *drv)
{
	int b = -1, i;

	lockdep_assert_held(&sb_mutex);
	if (!drv->name || !sb_name_valid(drv->name)) {
		pr_err("slicebus: backend name \"%s\" is not 1-63 of [A-Za-z0-9._:-]\n",
		       drv->name ?: "");
		return -EINVAL;
	}
	i = sb_backend_find(drv->name);
	if (i >= 0) {
		if (sb_backends[i].drv) {
			pr_err("slicebus: backend %s is registered already (%s)\n",
			       drv->name, sb_backends[i].drv->driver.name);
			return -EBUSY;
		}
		drv->id = i;
		return 0;
	}
	for (i = 0; i < SLICEBUS_MAX_BACKENDS && b < 0; i++)
		if (!sb_backend_known(i))
			b = i;
	if (b < 0) {
		pr_err("slicebus: backend %s refused: all %d backend names are taken\n",
		       drv->name, SLICEBUS_MAX_BACKENDS);
		return -ENOSPC;
	}
	strscpy(sb_backends[b].name, drv->name);
	drv->id = b;
	return 0;
}

/* Whether @parent's accountant holds nothing for slot @b. */
static bool sb_backend_idle(struct slicebus_parent *parent, unsigned int b)
{
	bool idle;

	mutex_lock(&parent->lock);
	idle = sb_acct_backend_idle(&parent->acct, b);
	mutex_unlock(&parent->lock);
	return idle;
}

/**
 * sb_backend_forget() - let go of a driver's slot once it left the bus
 * @drv: the driver, unpublished, its slices destroyed, off the bus (or
 *	never on it)
 *
 * Built-in names stay known.  Any other name is forgotten, and the
 * reservations and limits set for it are dropped on every parent; the
 * change is announced.  A teardown another thread started may still owe
 * the accountant: wait for it first, without sb_mutex.
 * Context: process context, sb_mutex not held; may sleep.
 */
void sb_backend_forget(struct slicebus_driver *drv)
{
	struct slicebus_parent *parent;
	unsigned int b = drv->id;
	u32 id = 0;

	if (b >= SB_BUILTIN_BACKENDS) {
		while ((parent = sb_parent_next(&id))) {
			DEFINE_WAIT_FUNC(wait, woken_wake_function);

			add_wait_queue(&parent->slices_gone, &wait);
			while (!sb_backend_idle(parent, b))
				wait_woken(&wait, TASK_UNINTERRUPTIBLE,
					   MAX_SCHEDULE_TIMEOUT);
			remove_wait_queue(&parent->slices_gone, &wait);
			put_device(&parent->dev);
		}
	}

	scoped_guard(mutex, &sb_mutex) {
		WRITE_ONCE(sb_backends[b].drv, NULL);
		if (b < SB_BUILTIN_BACKENDS)
			return;
		/* no slice of slot @b can be made any more: nothing is charged */
		list_for_each_entry(parent, &sb_parents, node) {
			mutex_lock(&parent->lock);
			sb_acct_forget(&parent->acct, b);
			mutex_unlock(&parent->lock);
			parent->backend_data[b] = NULL;
		}
		sb_backends[b].name[0] = '\0';
	}
	sb_backend_announce_all();
}

/*
 * The set of known names changed: announce it as a change of every parent.
 * Context: sb_mutex not held (sb_notify_dev() takes it).
 */
void sb_backend_announce_all(void)
{
	struct slicebus_parent *parent;
	u32 id = 0;

	while ((parent = sb_parent_next(&id))) {
		sb_notify_dev(parent, SLICEBUS_CMD_DEV_CHANGE_NTF);
		put_device(&parent->dev);
	}
}

/**
 * slicebus_slice_backend() - name of the backend that holds a slice
 * @slice: the slice
 *
 * Return: e.g. "vfio"; valid while the slice is bound to its backend.
 */
const char *slicebus_slice_backend(const struct slicebus_slice *slice)
{
	return sb_backend_name(slice->backend);
}
EXPORT_SYMBOL_GPL(slicebus_slice_backend);
