// SPDX-License-Identifier: GPL-2.0
/*
 * slicebus generic netlink family "slicebus": the handlers.
 *
 * Documentation/netlink/specs/slicebus.yaml is the family's definition;
 * uapi/linux/slicebus.h and the per-command policies and op table
 * (netlink-gen.c) are generated from it (scripts/ynl-gen.sh).  Every
 * request is validated strictly against its command's policy.  Backends
 * are named by strings; a name the core does not know is refused with the
 * known ones listed (backend.c).  A request about a parent holds a
 * reference on it and takes only the locks its work needs (core.c): reads
 * take sb_mutex and the parent's short lock, never one a removal holds
 * while it waits; slice add and delete take the parent's lock for their
 * backend, so that only a removal of that backend there holds them up,
 * and a parent being removed refuses them at once.  The family runs
 * without genl_mutex (parallel_ops), so that a request waiting for a
 * parent's lock holds up no other request.  Device
 * dumps walk the parent list (in id order, under sb_mutex) and
 * slice dumps the slice table by id, each resuming after the last id sent,
 * so that entries coming and going between the parts of a dump are neither
 * repeated nor make others be skipped.  A reply about a slice is built from
 * a slice the request holds a reference on.  Mutations need CAP_NET_ADMIN (GENL_ADMIN_PERM).  Every
 * change is multicast to the "events" group.
 */
#include <linux/ctype.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "netlink-gen.h"
#include "sb.h"

static_assert(SLICEBUS_NAME_LEN - 1 == 63,
	      "the spec's max-len checks are SLICEBUS_NAME_LEN - 1");

/* ---- filling messages ------------------------------------------------- */

static int sb_put_amount(struct sk_buff *msg, int attr, const char *name,
			 u64 value, bool with_value)
{
	struct nlattr *nest = nla_nest_start(msg, attr);

	if (!nest || nla_put_string(msg, SLICEBUS_A_AMOUNT_NAME, name) ||
	    (with_value && nla_put_uint(msg, SLICEBUS_A_AMOUNT_VALUE, value))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int sb_fill_resources(struct sk_buff *msg, struct slicebus_parent *p)
{
	unsigned int r;

	for (r = 0; r < p->info.nr_resources; r++) {
		u64 used = sb_acct_used(&p->acct, r);
		struct nlattr *nest = nla_nest_start(msg, SLICEBUS_A_DEV_RESOURCE);

		if (!nest ||
		    nla_put_string(msg, SLICEBUS_A_RESOURCE_NAME,
				   p->info.resources[r].name) ||
		    nla_put_uint(msg, SLICEBUS_A_RESOURCE_TOTAL, p->acct.total[r]) ||
		    nla_put_uint(msg, SLICEBUS_A_RESOURCE_USED, used) ||
		    nla_put_uint(msg, SLICEBUS_A_RESOURCE_FREE,
				 p->acct.total[r] - used))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

static int sb_fill_type(struct sk_buff *msg, struct slicebus_parent *p,
			unsigned int t)
{
	const struct slicebus_type_info *type = &p->info.types[t];
	struct nlattr *nest, *avail;
	struct slicebus_driver *drv;
	unsigned int r, b;

	nest = nla_nest_start(msg, SLICEBUS_A_DEV_TYPE);
	if (!nest || nla_put_string(msg, SLICEBUS_A_TYPE_NAME, type->name) ||
	    (type->description &&
	     nla_put_string(msg, SLICEBUS_A_TYPE_DESCRIPTION, type->description)))
		return -EMSGSIZE;
	for (r = 0; r < p->info.nr_resources; r++)
		if (type->cost[r] &&
		    sb_put_amount(msg, SLICEBUS_A_TYPE_COST,
				  p->info.resources[r].name, type->cost[r], true))
			return -EMSGSIZE;
	for (b = 0; b < SLICEBUS_MAX_BACKENDS; b++) {
		u64 n;

		if (!sb_backend_known(b))
			continue;
		drv = sb_backend_driver(b);
		/* a loaded backend not serving the class can take none */
		n = p->dying || (drv && !sb_driver_serves(drv, p)) ? 0 :
		    sb_acct_available(&p->acct, b, type->cost);
		avail = nla_nest_start(msg, SLICEBUS_A_TYPE_AVAILABLE);
		if (!avail ||
		    nla_put_string(msg, SLICEBUS_A_AVAIL_BACKEND,
				   sb_backend_name(b)) ||
		    nla_put_uint(msg, SLICEBUS_A_AVAIL_COUNT, n))
			return -EMSGSIZE;
		nla_nest_end(msg, avail);
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int sb_fill_backend(struct sk_buff *msg, struct slicebus_parent *p,
			   unsigned int b)
{
	struct nlattr *nest = nla_nest_start(msg, SLICEBUS_A_DEV_BACKEND_STATE);
	unsigned int r;

	if (!nest ||
	    nla_put_string(msg, SLICEBUS_A_BACKEND_NAME, sb_backend_name(b)) ||
	    nla_put_u8(msg, SLICEBUS_A_BACKEND_LOADED, !!sb_backend_driver(b)) ||
	    nla_put_string(msg, SLICEBUS_A_BACKEND_DEFAULT_TYPE,
			   p->info.types[sb_default_type(p, b)].name))
		return -EMSGSIZE;
	for (r = 0; r < p->info.nr_resources; r++) {
		const char *name = p->info.resources[r].name;
		u64 limit = p->acct.limit[b][r];

		if (sb_put_amount(msg, SLICEBUS_A_BACKEND_USED, name,
				  p->acct.used[b][r], true) ||
		    sb_put_amount(msg, SLICEBUS_A_BACKEND_RESERVE, name,
				  p->acct.reserve[b][r], true) ||
		    (limit != SB_ACCT_NO_LIMIT &&
		     sb_put_amount(msg, SLICEBUS_A_BACKEND_LIMIT, name, limit,
				   true)))
			return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int sb_fill_dev(struct sk_buff *msg, struct slicebus_parent *p,
		       u32 portid, u32 seq, int flags, u8 cmd)
{
	char *kpath, *path;
	unsigned int t, b;
	void *hdr;
	int ret;

	/* the directory that holds mdev_supported_types/ */
	kpath = kobject_get_path(&p->host_dev->kobj, GFP_KERNEL);
	path = kpath ? kasprintf(GFP_KERNEL, "/sys%s", kpath) : NULL;
	kfree(kpath);
	if (!path)
		return -ENOMEM;
	hdr = genlmsg_put(msg, portid, seq, &slicebus_nl_family, flags, cmd);
	if (!hdr) {
		kfree(path);
		return -EMSGSIZE;
	}
	ret = nla_put_string(msg, SLICEBUS_A_DEV_NAME, p->name) ||
	      nla_put_string(msg, SLICEBUS_A_DEV_DRIVER, p->driver) ||
	      nla_put_string(msg, SLICEBUS_A_DEV_SYSFS, path) ||
	      nla_put_string(msg, SLICEBUS_A_DEV_VDPA_MGMTDEV,
			     dev_name(&p->dev)) ||
	      (p->cls && nla_put_string(msg, SLICEBUS_A_DEV_CLASS,
					p->cls->name));
	kfree(path);
	if (ret)
		goto cancel;

	mutex_lock(&p->lock);
	ret = nla_put_u32(msg, SLICEBUS_A_DEV_SLICES, p->nr_slices) ||
	      sb_fill_resources(msg, p);
	for (t = 0; !ret && t < p->info.nr_types; t++)
		ret = sb_fill_type(msg, p, t);
	for (b = 0; !ret && b < SLICEBUS_MAX_BACKENDS; b++)
		if (sb_backend_known(b))
			ret = sb_fill_backend(msg, p, b);
	mutex_unlock(&p->lock);
	if (ret)
		goto cancel;
	genlmsg_end(msg, hdr);
	return 0;

cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/*
 * The class's counters of @slice (slice-get only): called with a reference
 * of the slice and no lock, as &slicebus_class.slice_stats says.
 */
static int sb_fill_stats(struct sk_buff *msg, struct slicebus_slice *slice)
{
	const struct slicebus_class *cls = slice->parent->cls;
	struct slicebus_stat stats[SLICEBUS_MAX_STATS];
	struct nlattr *nest;
	unsigned int i, n;

	if (!cls || !cls->slice_stats)
		return 0;
	n = min(cls->slice_stats(slice, stats), SLICEBUS_MAX_STATS);
	for (i = 0; i < n; i++) {
		nest = nla_nest_start(msg, SLICEBUS_A_SLICE_STATS);
		if (!nest ||
		    nla_put_string(msg, SLICEBUS_A_AMOUNT_NAME, stats[i].name) ||
		    nla_put_uint(msg, SLICEBUS_A_AMOUNT_VALUE, stats[i].value))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

/* One string attribute of @len bytes of @s, NUL added. */
static int sb_put_strn(struct sk_buff *msg, int type, const char *s, size_t len)
{
	struct nlattr *a = nla_reserve(msg, type, len + 1);

	if (!a)
		return -EMSGSIZE;
	memcpy(nla_data(a), s, len);
	((char *)nla_data(a))[len] = '\0';
	return 0;
}

/* The options the backend said the slice has: "name value ..." pairs. */
static int sb_fill_options(struct sk_buff *msg, const struct slicebus_slice *slice)
{
	/* set once, whole (slicebus_slice_set_options()) */
	const char *s = smp_load_acquire(&slice->options);
	struct nlattr *nest;
	size_t n, v;

	while (s && *s) {
		n = strcspn(s, " ");
		if (!s[n])
			break;		/* a name without a value: not ours */
		v = strcspn(s + n + 1, " ");
		nest = nla_nest_start(msg, SLICEBUS_A_SLICE_OPTION);
		if (!nest ||
		    sb_put_strn(msg, SLICEBUS_A_OPTION_NAME, s, n) ||
		    sb_put_strn(msg, SLICEBUS_A_OPTION_VALUE, s + n + 1, v))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
		s += n + 1 + v;
		s += *s == ' ';
	}
	return 0;
}

static int sb_fill_slice(struct sk_buff *msg, struct slicebus_slice *slice,
			 u32 portid, u32 seq, int flags, u8 cmd)
{
	struct slicebus_parent *p = slice->parent;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &slicebus_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(msg, SLICEBUS_A_SLICE_NAME, dev_name(&slice->dev)) ||
	    nla_put_string(msg, SLICEBUS_A_SLICE_DEV, p->name) ||
	    nla_put_string(msg, SLICEBUS_A_SLICE_TYPE,
			   p->info.types[slice->type].name) ||
	    nla_put_string(msg, SLICEBUS_A_SLICE_BACKEND,
			   slicebus_slice_backend(slice)) ||
	    nla_put_string(msg, SLICEBUS_A_SLICE_HANDLE, slice->handle) ||
	    (slicebus_slice_revoked(slice) &&
	     nla_put_flag(msg, SLICEBUS_A_SLICE_REVOKED)) ||
	    sb_fill_options(msg, slice) ||
	    (cmd == SLICEBUS_CMD_SLICE_GET && sb_fill_stats(msg, slice))) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

/*
 * Room for sb_fill_dev() of @p, whatever its names: every known backend is
 * listed once per type and once in the backend state, so a device with
 * many backends, resources and types outgrows NLMSG_GOODSIZE.  sb_mutex
 * held (the set of backends stays).
 */
static size_t sb_dev_msg_size(const struct slicebus_parent *p)
{
	size_t name = nla_total_size(SLICEBUS_NAME_LEN);
	size_t count = nla_total_size_64bit(sizeof(u64));
	size_t amount = nla_total_size(0) + name + count;
	unsigned int nr_res = p->info.nr_resources, nr_be = 0, b;
	size_t type, backend;

	for (b = 0; b < SLICEBUS_MAX_BACKENDS; b++)
		nr_be += sb_backend_known(b);
	type = nla_total_size(0) + name + nla_total_size(SB_DESC_MAX + 1) +
	       nr_res * amount + nr_be * (nla_total_size(0) + name + count);
	backend = nla_total_size(0) + 2 * name + nla_total_size(sizeof(u8)) +
		  3 * nr_res * amount;
	return 3 * name + nla_total_size(PATH_MAX) +
	       nla_total_size(sizeof(u32)) +
	       nr_res * (nla_total_size(0) + name + 3 * count) +
	       p->info.nr_types * type + nr_be * backend;
}

/* ---- events ----------------------------------------------------------- */

/* Announce @parent; takes sb_mutex. */
void sb_notify_dev(struct slicebus_parent *parent, u8 cmd)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&slicebus_nl_family, &init_net,
				SLICEBUS_NLGRP_EVENTS))
		return;
	/* the set of backends stays while the message is sized and filled */
	scoped_guard(mutex, &sb_mutex) {
		msg = genlmsg_new(sb_dev_msg_size(parent), GFP_KERNEL);
		if (!msg)
			return;
		if (sb_fill_dev(msg, parent, 0, 0, 0, cmd)) {
			nlmsg_free(msg);
			return;
		}
	}
	genlmsg_multicast(&slicebus_nl_family, msg, 0, SLICEBUS_NLGRP_EVENTS,
			  GFP_KERNEL);
}

void sb_notify_slice(struct slicebus_slice *slice, u8 cmd)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&slicebus_nl_family, &init_net,
				SLICEBUS_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (sb_fill_slice(msg, slice, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast(&slicebus_nl_family, msg, 0, SLICEBUS_NLGRP_EVENTS,
			  GFP_KERNEL);
}

/* ---- dev commands ----------------------------------------------------- */

/* The parent a request names, with a reference the caller puts. */
static struct slicebus_parent *sb_req_parent(struct genl_info *info, int attr)
{
	struct slicebus_parent *p;

	if (GENL_REQ_ATTR_CHECK(info, attr))
		return ERR_PTR(-EINVAL);
	p = sb_parent_get(nla_data(info->attrs[attr]));
	if (!p) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, info->attrs[attr],
					"no slicebus device %s",
					(char *)nla_data(info->attrs[attr]));
		return ERR_PTR(-ENODEV);
	}
	return p;
}

int slicebus_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg = NULL;
	struct slicebus_parent *p;
	int ret;

	p = sb_req_parent(info, SLICEBUS_A_DEV_NAME);
	if (IS_ERR(p)) {
		ret = PTR_ERR(p);
	} else {
		mutex_lock(&sb_mutex);
		msg = genlmsg_new(sb_dev_msg_size(p), GFP_KERNEL);
		ret = msg ? sb_fill_dev(msg, p, info->snd_portid, info->snd_seq,
					0, SLICEBUS_CMD_DEV_GET) : -ENOMEM;
		mutex_unlock(&sb_mutex);
		put_device(&p->dev);
	}
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/*
 * Every part of a dump holds at least one whole device: make the parts
 * as large as the largest device's message (the first part of a dump on a
 * socket that never received is only NLMSG_GOODSIZE otherwise).
 */
int slicebus_nl_dev_get_dump_start(struct netlink_callback *cb)
{
	struct slicebus_parent *p;
	size_t size = NLMSG_GOODSIZE;

	guard(mutex)(&sb_mutex);
	list_for_each_entry(p, &sb_parents, node)
		size = max(size, sb_dev_msg_size(p));
	cb->min_dump_alloc = size;
	return 0;
}

int slicebus_nl_dev_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct slicebus_parent *p;
	int ret = 0;

	/* cb->args[0]: the id after the last parent sent */
	mutex_lock(&sb_mutex);
	list_for_each_entry(p, &sb_parents, node) {
		if (p->id < cb->args[0])
			continue;
		ret = sb_fill_dev(skb, p, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, NLM_F_MULTI,
				  SLICEBUS_CMD_DEV_GET);
		if (ret)
			break;
		cb->args[0] = (unsigned long)p->id + 1;
	}
	mutex_unlock(&sb_mutex);
	return ret == -EMSGSIZE && skb->len ? skb->len : ret;
}

/* The backend slot a request names in @attr, or -EINVAL. */
static int sb_req_backend(struct genl_info *info, int attr)
{
	guard(mutex)(&sb_mutex);
	return sb_backend_lookup(nla_data(info->attrs[attr]), info->attrs[attr],
				 info->extack);
}

/* Parse one RESERVE or LIMIT entry of dev-set into @vals. */
static int sb_parse_amount(struct slicebus_parent *p, const struct nlattr *nla,
			   bool is_limit, u64 *vals, unsigned long *seen,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SLICEBUS_A_AMOUNT_MAX + 1];
	const char *kind = is_limit ? "limit" : "reserve";
	unsigned int r;
	int ret;

	ret = nla_parse_nested(tb, SLICEBUS_A_AMOUNT_MAX, nla,
			       slicebus_amount_nl_policy, extack);
	if (ret)
		return ret;
	if (!tb[SLICEBUS_A_AMOUNT_NAME]) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, nla, "%s without a resource name",
					kind);
		return -EINVAL;
	}
	for (r = 0; r < p->info.nr_resources; r++)
		if (!strcmp(p->info.resources[r].name,
			    nla_data(tb[SLICEBUS_A_AMOUNT_NAME])))
			break;
	if (r == p->info.nr_resources) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, nla, "%s has no resource %s",
					p->name,
					(char *)nla_data(tb[SLICEBUS_A_AMOUNT_NAME]));
		return -EINVAL;
	}
	if (__test_and_set_bit(r, seen)) {
		NL_SET_ERR_MSG_ATTR_FMT(extack, nla, "%s of %s given twice",
					kind, p->info.resources[r].name);
		return -EINVAL;
	}
	if (tb[SLICEBUS_A_AMOUNT_VALUE]) {
		vals[r] = nla_get_uint(tb[SLICEBUS_A_AMOUNT_VALUE]);
	} else if (is_limit) {
		vals[r] = SB_ACCT_NO_LIMIT;
	} else {
		NL_SET_ERR_MSG_ATTR(extack, nla, "reserve without a value");
		return -EINVAL;
	}
	return 0;
}

static void sb_explain_policy(struct slicebus_parent *p, unsigned int b,
			      const struct sb_acct_why *why,
			      struct netlink_ext_ack *extack)
{
	const char *res = p->info.resources[why->res].name;
	const char *be = sb_backend_name(b);

	switch (why->verdict) {
	case SB_ACCT_RESERVE_OVER_LIMIT:
		NL_SET_ERR_MSG_FMT(extack, "%s reserve %llu above its limit %llu",
				   res, why->need, why->have);
		break;
	case SB_ACCT_LIMIT_UNDER_USE:
		NL_SET_ERR_MSG_FMT(extack, "%s limit %llu below what %s holds (%llu)",
				   res, why->need, be, why->have);
		break;
	case SB_ACCT_RESERVE_OVER_TOTAL:
		NL_SET_ERR_MSG_FMT(extack, "%s reservations would total %llu of %llu",
				   res, why->need, why->have);
		break;
	case SB_ACCT_RESERVE_UNAVAILABLE:
		NL_SET_ERR_MSG_FMT(extack, "%s reservations need %llu free, %llu are",
				   res, why->need, why->have);
		break;
	default:
		NL_SET_ERR_MSG(extack, "refused by the accountant");
		break;
	}
}

int slicebus_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	u64 reserve[SB_ACCT_MAX_RES], limit[SB_ACCT_MAX_RES];
	unsigned long seen_res = 0, seen_lim = 0;
	struct slicebus_parent *p;
	struct sb_acct_why why;
	const struct nlattr *nla;
	int b, rem, ret;

	if (GENL_REQ_ATTR_CHECK(info, SLICEBUS_A_DEV_BACKEND))
		return -EINVAL;

	p = sb_req_parent(info, SLICEBUS_A_DEV_NAME);
	if (IS_ERR(p))
		return PTR_ERR(p);
	/*
	 * The slot stays the name's while sb_mutex is held (a forgotten slot
	 * is reset under it); read, change, write back under the parent's
	 * lock: one step against other dev-set requests.
	 */
	mutex_lock(&sb_mutex);
	b = sb_backend_lookup(nla_data(info->attrs[SLICEBUS_A_DEV_BACKEND]),
			      info->attrs[SLICEBUS_A_DEV_BACKEND], info->extack);
	if (b < 0) {
		mutex_unlock(&sb_mutex);
		ret = b;
		goto out;
	}
	mutex_lock(&p->lock);
	memcpy(reserve, p->acct.reserve[b], sizeof(reserve));
	memcpy(limit, p->acct.limit[b], sizeof(limit));

	ret = 0;
	nlmsg_for_each_attr_type(nla, SLICEBUS_A_DEV_RESERVE, info->nlhdr,
				 GENL_HDRLEN, rem) {
		ret = sb_parse_amount(p, nla, false, reserve, &seen_res,
				      info->extack);
		if (ret)
			goto out_unlock;
	}
	nlmsg_for_each_attr_type(nla, SLICEBUS_A_DEV_LIMIT, info->nlhdr,
				 GENL_HDRLEN, rem) {
		ret = sb_parse_amount(p, nla, true, limit, &seen_lim,
				      info->extack);
		if (ret)
			goto out_unlock;
	}
	if (!seen_res && !seen_lim) {
		NL_SET_ERR_MSG(info->extack, "nothing to set: give reserve or limit");
		ret = -EINVAL;
		goto out_unlock;
	}

	ret = sb_acct_set_policy(&p->acct, b, reserve, limit, &why);
	if (ret)
		sb_explain_policy(p, b, &why, info->extack);
	mutex_unlock(&p->lock);
	mutex_unlock(&sb_mutex);
	if (ret) {
		ret = -ENOSPC;
		goto out;
	}
	sb_notify_dev(p, SLICEBUS_CMD_DEV_CHANGE_NTF);
	put_device(&p->dev);
	return 0;

out_unlock:
	mutex_unlock(&p->lock);
	mutex_unlock(&sb_mutex);
out:
	put_device(&p->dev);
	return ret;
}

/* ---- slice commands --------------------------------------------------- */

static bool sb_option_name_valid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!islower(*s) && !isdigit(*s) && *s != '_')
			return false;
	return true;
}

static bool sb_option_value_valid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

/* The options of a slice-new request, checked, into @opts. */
static int sb_req_options(struct genl_info *info, struct slicebus_options *opts)
{
	struct nlattr *tb[SLICEBUS_A_OPTION_VALUE + 1];
	struct netlink_ext_ack *extack = info->extack;
	const struct nlattr *a;
	unsigned int i;
	int rem, ret;

	opts->nr = 0;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		const char *name, *value;

		if (nla_type(a) != SLICEBUS_A_SLICE_OPTION)
			continue;
		if (opts->nr == SLICEBUS_MAX_OPTIONS) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, a, "at most %d options",
						SLICEBUS_MAX_OPTIONS);
			return -EINVAL;
		}
		ret = nla_parse_nested(tb, SLICEBUS_A_OPTION_VALUE, a,
				       slicebus_option_nl_policy, extack);
		if (ret)
			return ret;
		if (!tb[SLICEBUS_A_OPTION_NAME] || !tb[SLICEBUS_A_OPTION_VALUE]) {
			NL_SET_ERR_MSG_ATTR(extack, a, "an option needs a name and a value");
			return -EINVAL;
		}
		name = nla_data(tb[SLICEBUS_A_OPTION_NAME]);
		value = nla_data(tb[SLICEBUS_A_OPTION_VALUE]);
		if (!sb_option_name_valid(name)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "option names are 1-15 of [a-z0-9_]");
			return -EINVAL;
		}
		if (!sb_option_value_valid(value)) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, a,
						"option %s: values are 1-63 printable characters without spaces",
						name);
			return -EINVAL;
		}
		for (i = 0; i < opts->nr; i++) {
			if (!strcmp(opts->opt[i].name, name)) {
				NL_SET_ERR_MSG_ATTR_FMT(extack, a, "option %s given twice",
							name);
				return -EINVAL;
			}
		}
		strscpy(opts->opt[opts->nr].name, name);
		strscpy(opts->opt[opts->nr].value, value);
		opts->nr++;
	}
	return 0;
}

/* slice-new with its options parsed */
static int sb_slice_new(struct genl_info *info,
			const struct slicebus_options *opts)
{
	struct nlattr **tb = info->attrs;
	const char *name = NULL;
	struct slicebus_driver *drv;
	struct slicebus_slice *slice;
	struct slicebus_parent *p;
	struct sk_buff *msg;
	int b, type, ret;

	if (tb[SLICEBUS_A_SLICE_NAME]) {
		name = nla_data(tb[SLICEBUS_A_SLICE_NAME]);
		if (!sb_name_valid(name)) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[SLICEBUS_A_SLICE_NAME],
					    "slice names are 1-63 of [A-Za-z0-9._:-]");
			return -EINVAL;
		}
	}
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	p = sb_req_parent(info, SLICEBUS_A_SLICE_DEV);
	if (IS_ERR(p)) {
		nlmsg_free(msg);
		return PTR_ERR(p);
	}
	b = sb_req_backend(info, SLICEBUS_A_SLICE_BACKEND);
	if (b < 0) {
		ret = b;
		goto err_put;
	}
	/* refused at once, not after the removal that holds a backend lock */
	if (READ_ONCE(p->dying)) {
		sb_explain_dying(p, info->extack);
		ret = -ENODEV;
		goto err_put;
	}
	mutex_lock(&p->backend_lock[b]);
	if (!sb_backend_is(b, nla_data(tb[SLICEBUS_A_SLICE_BACKEND]))) {
		ret = sb_backend_lookup_again(nla_data(tb[SLICEBUS_A_SLICE_BACKEND]),
					      info->extack);
		goto err;
	}
	type = sb_default_type(p, b);
	if (tb[SLICEBUS_A_SLICE_TYPE]) {
		type = slicebus_parent_find_type(p, nla_data(tb[SLICEBUS_A_SLICE_TYPE]));
		if (type < 0) {
			NL_SET_ERR_MSG_ATTR_FMT(info->extack, tb[SLICEBUS_A_SLICE_TYPE],
						"%s has no slice type %s", p->name,
						(char *)nla_data(tb[SLICEBUS_A_SLICE_TYPE]));
			ret = -EINVAL;
			goto err;
		}
	}
	drv = sb_backend_driver(b);
	if (drv) {
		ret = sb_class_check(drv, p, info->extack);
		if (ret)
			goto err;
		/* registered meanwhile, its @parent_add not run (or failed) here */
		if (!test_bit(b, &p->added)) {
			NL_SET_ERR_MSG_FMT(info->extack, "backend %s is not ready on %s",
					   sb_backend_name(b), p->name);
			ret = -EAGAIN;
			goto err;
		}
	}
	if (drv && drv->slice_add) {
		slice = drv->slice_add(p, p->info.types[type].name, name, opts,
				       info->extack);
	} else if (opts->nr) {
		NL_SET_ERR_MSG_FMT(info->extack, "backend %s takes no options (%s given)",
				   sb_backend_name(b), opts->opt[0].name);
		ret = -EINVAL;
		goto err;
	} else {
		slice = sb_slice_create(p, type, b, name, 0, NULL,
					info->extack);
	}
	if (IS_ERR(slice)) {
		ret = PTR_ERR(slice);
		goto err;
	}
	/*
	 * The creation reference is the core's or the backend framework's,
	 * which may delete the slice as soon as it exists (a parent's
	 * removal, a vdpa dev del take no lock of ours): the reply is built
	 * from the reference sb_slice_create() and @slice_add return.
	 */
	mutex_unlock(&p->backend_lock[b]);
	put_device(&p->dev);
	ret = sb_fill_slice(msg, slice, info->snd_portid, info->snd_seq, 0,
			    SLICEBUS_CMD_SLICE_NEW);
	put_device(&slice->dev);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);

err:
	mutex_unlock(&p->backend_lock[b]);
err_put:
	put_device(&p->dev);
	nlmsg_free(msg);
	return ret;
}

int slicebus_nl_slice_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct slicebus_options *opts;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, SLICEBUS_A_SLICE_BACKEND))
		return -EINVAL;
	opts = kzalloc(sizeof(*opts), GFP_KERNEL);
	if (!opts)
		return -ENOMEM;
	ret = sb_req_options(info, opts);
	if (!ret)
		ret = sb_slice_new(info, opts);
	kfree(opts);
	return ret;
}

static struct slicebus_slice *sb_req_slice(struct genl_info *info)
{
	struct nlattr *nla = info->attrs[SLICEBUS_A_SLICE_NAME];
	struct slicebus_slice *slice;

	if (GENL_REQ_ATTR_CHECK(info, SLICEBUS_A_SLICE_NAME))
		return ERR_PTR(-EINVAL);
	slice = sb_slice_get(nla_data(nla));
	if (!slice) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, nla, "no slice %s",
					(char *)nla_data(nla));
		return ERR_PTR(-ENOENT);
	}
	return slice;
}

int slicebus_nl_slice_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct slicebus_slice *slice;
	int ret;

	slice = sb_req_slice(info);
	if (IS_ERR(slice))
		return PTR_ERR(slice);
	/* the removal deletes it, perhaps after a wait: refuse at once */
	if (READ_ONCE(slice->parent->dying)) {
		sb_explain_dying(slice->parent, info->extack);
		put_device(&slice->dev);
		return -ENODEV;
	}
	/* the slice holds its parent */
	mutex_lock(&slice->parent->backend_lock[slice->backend]);
	ret = sb_slice_del(slice, info->extack);
	mutex_unlock(&slice->parent->backend_lock[slice->backend]);
	put_device(&slice->dev);
	return ret;
}

int slicebus_nl_slice_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct slicebus_slice *slice;
	struct sk_buff *msg;
	int ret;

	slice = sb_req_slice(info);
	if (IS_ERR(slice))
		return PTR_ERR(slice);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		put_device(&slice->dev);
		return -ENOMEM;
	}
	ret = sb_fill_slice(msg, slice, info->snd_portid, info->snd_seq, 0,
			    SLICEBUS_CMD_SLICE_GET);
	put_device(&slice->dev);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int sb_dump_one(struct sk_buff *skb, struct slicebus_slice *slice,
		       void *arg)
{
	struct netlink_callback *cb = arg;

	return sb_fill_slice(skb, slice, NETLINK_CB(cb->skb).portid,
			     cb->nlh->nlmsg_seq, NLM_F_MULTI,
			     SLICEBUS_CMD_SLICE_GET);
}

int slicebus_nl_slice_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	unsigned long pos = cb->args[0];
	int ret;

	ret = sb_slice_dump(skb, &pos, sb_dump_one, cb);
	cb->args[0] = pos;
	return ret == -EMSGSIZE && skb->len ? skb->len : ret;
}

int __init sb_netlink_init(void)
{
	/*
	 * Parents, slices and the accountant are global: the family lives in
	 * the initial network namespace only (the generator's family struct
	 * is netns-aware by default).
	 */
	slicebus_nl_family.netnsok = false;
	return genl_register_family(&slicebus_nl_family);
}

void sb_netlink_exit(void)
{
	genl_unregister_family(&slicebus_nl_family);
}
