// SPDX-License-Identifier: GPL-2.0
/*
 * slicebus generic netlink family "slicebus" (uapi/linux/slicebus.h,
 * Documentation/netlink/specs/slicebus.yaml).
 *
 * Every request is validated strictly against per-command policies.  A
 * request about a parent holds a reference on it and takes only the locks
 * its work needs (core.c): reads take the parent's short lock, never one a
 * removal holds while it waits; slice add and delete take the parent's lock
 * for their backend, so that only a removal of that backend there holds
 * them up, and a parent being removed refuses them at once.  The family
 * runs without genl_mutex (parallel_ops), so that a request waiting for a
 * parent's lock holds up no other request.  Device
 * dumps walk the parent list (in id order, under sb_mutex) and
 * slice dumps the slice table by id, each resuming after the last id sent,
 * so that entries coming and going between the parts of a dump are neither
 * repeated nor make others be skipped.  A reply about a slice is built from
 * a slice the request holds a reference on.  Mutations need CAP_NET_ADMIN (GENL_ADMIN_PERM).  Every
 * change is multicast to the "events" group.
 */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "sb.h"

static struct genl_family sb_family;

enum { SB_MCGRP_EVENTS };

static const struct nla_policy sb_amount_policy[SLICEBUS_A_AMOUNT_MAX + 1] = {
	[SLICEBUS_A_AMOUNT_NAME] = { .type = NLA_NUL_STRING,
				     .len = SLICEBUS_NAME_LEN - 1 },
	[SLICEBUS_A_AMOUNT_VALUE] = { .type = NLA_UINT },
};

static const struct nla_policy sb_dev_policy[SLICEBUS_A_DEV_MAX + 1] = {
	[SLICEBUS_A_DEV_NAME] = { .type = NLA_NUL_STRING,
				  .len = SLICEBUS_NAME_LEN - 1 },
	[SLICEBUS_A_DEV_BACKEND] =
		NLA_POLICY_MAX(NLA_U32, __SLICEBUS_BACKEND_CNT - 1),
	[SLICEBUS_A_DEV_RESERVE] = NLA_POLICY_NESTED(sb_amount_policy),
	[SLICEBUS_A_DEV_LIMIT] = NLA_POLICY_NESTED(sb_amount_policy),
};

static const struct nla_policy sb_slice_policy[SLICEBUS_A_SLICE_MAX + 1] = {
	[SLICEBUS_A_SLICE_NAME] = { .type = NLA_NUL_STRING,
				    .len = SLICEBUS_NAME_LEN - 1 },
	[SLICEBUS_A_SLICE_DEV] = { .type = NLA_NUL_STRING,
				   .len = SLICEBUS_NAME_LEN - 1 },
	[SLICEBUS_A_SLICE_TYPE] = { .type = NLA_NUL_STRING,
				    .len = SLICEBUS_NAME_LEN - 1 },
	[SLICEBUS_A_SLICE_BACKEND] =
		NLA_POLICY_MAX(NLA_U32, __SLICEBUS_BACKEND_CNT - 1),
};

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
	for (b = 0; b < __SLICEBUS_BACKEND_CNT; b++) {
		u64 n = p->dying ? 0 :
			sb_acct_available(&p->acct, b, type->cost);

		avail = nla_nest_start(msg, SLICEBUS_A_TYPE_AVAILABLE);
		if (!avail || nla_put_u32(msg, SLICEBUS_A_AVAIL_BACKEND, b) ||
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

	if (!nest || nla_put_u32(msg, SLICEBUS_A_BACKEND_ID, b) ||
	    nla_put_u8(msg, SLICEBUS_A_BACKEND_LOADED, !!sb_driver(b)) ||
	    nla_put_string(msg, SLICEBUS_A_BACKEND_DEFAULT_TYPE,
			   p->info.types[p->default_type[b]].name))
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

	kpath = kobject_get_path(&p->dev.kobj, GFP_KERNEL);
	path = kpath ? kasprintf(GFP_KERNEL, "/sys%s", kpath) : NULL;
	kfree(kpath);
	if (!path)
		return -ENOMEM;
	hdr = genlmsg_put(msg, portid, seq, &sb_family, flags, cmd);
	if (!hdr) {
		kfree(path);
		return -EMSGSIZE;
	}
	ret = nla_put_string(msg, SLICEBUS_A_DEV_NAME, p->name) ||
	      nla_put_string(msg, SLICEBUS_A_DEV_DRIVER, p->driver) ||
	      nla_put_string(msg, SLICEBUS_A_DEV_SYSFS, path) ||
	      nla_put_string(msg, SLICEBUS_A_DEV_VDPA_MGMTDEV,
			     dev_name(&p->dev));
	kfree(path);
	if (ret)
		goto cancel;

	mutex_lock(&p->lock);
	ret = nla_put_u32(msg, SLICEBUS_A_DEV_SLICES, p->nr_slices) ||
	      sb_fill_resources(msg, p);
	for (t = 0; !ret && t < p->info.nr_types; t++)
		ret = sb_fill_type(msg, p, t);
	for (b = 0; !ret && b < __SLICEBUS_BACKEND_CNT; b++)
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

static int sb_fill_slice(struct sk_buff *msg, struct slicebus_slice *slice,
			 u32 portid, u32 seq, int flags, u8 cmd)
{
	struct slicebus_parent *p = slice->parent;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &sb_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(msg, SLICEBUS_A_SLICE_NAME, dev_name(&slice->dev)) ||
	    nla_put_string(msg, SLICEBUS_A_SLICE_DEV, p->name) ||
	    nla_put_string(msg, SLICEBUS_A_SLICE_TYPE,
			   p->info.types[slice->type].name) ||
	    nla_put_u32(msg, SLICEBUS_A_SLICE_BACKEND, slice->backend) ||
	    nla_put_string(msg, SLICEBUS_A_SLICE_HANDLE, slice->handle)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

/* ---- events ----------------------------------------------------------- */

void sb_notify_dev(struct slicebus_parent *parent, u8 cmd)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&sb_family, &init_net, SB_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (sb_fill_dev(msg, parent, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast(&sb_family, msg, 0, SB_MCGRP_EVENTS, GFP_KERNEL);
}

void sb_notify_slice(struct slicebus_slice *slice, u8 cmd)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&sb_family, &init_net, SB_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (sb_fill_slice(msg, slice, 0, 0, 0, cmd)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast(&sb_family, msg, 0, SB_MCGRP_EVENTS, GFP_KERNEL);
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

static int sb_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct slicebus_parent *p;
	struct sk_buff *msg;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	p = sb_req_parent(info, SLICEBUS_A_DEV_NAME);
	if (IS_ERR(p)) {
		ret = PTR_ERR(p);
	} else {
		ret = sb_fill_dev(msg, p, info->snd_portid, info->snd_seq, 0,
				  SLICEBUS_CMD_DEV_GET);
		put_device(&p->dev);
	}
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

static int sb_nl_dev_get_dumpit(struct sk_buff *skb,
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

/* Parse one RESERVE or LIMIT entry of dev-set into @vals. */
static int sb_parse_amount(struct slicebus_parent *p, const struct nlattr *nla,
			   bool is_limit, u64 *vals, unsigned long *seen,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[SLICEBUS_A_AMOUNT_MAX + 1];
	const char *kind = is_limit ? "limit" : "reserve";
	unsigned int r;
	int ret;

	ret = nla_parse_nested(tb, SLICEBUS_A_AMOUNT_MAX, nla, sb_amount_policy,
			       extack);
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
	const char *be = slicebus_backend_name(b);

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

static int sb_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	u64 reserve[SB_ACCT_MAX_RES], limit[SB_ACCT_MAX_RES];
	unsigned long seen_res = 0, seen_lim = 0;
	struct slicebus_parent *p;
	struct sb_acct_why why;
	const struct nlattr *nla;
	unsigned int b;
	int rem, ret;

	if (GENL_REQ_ATTR_CHECK(info, SLICEBUS_A_DEV_BACKEND))
		return -EINVAL;
	b = nla_get_u32(info->attrs[SLICEBUS_A_DEV_BACKEND]);

	p = sb_req_parent(info, SLICEBUS_A_DEV_NAME);
	if (IS_ERR(p))
		return PTR_ERR(p);
	/* read, change, write back: one step against other dev-set requests */
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
	mutex_unlock(&p->lock);
	if (ret) {
		sb_explain_policy(p, b, &why, info->extack);
		ret = -ENOSPC;
		goto out;
	}
	sb_notify_dev(p, SLICEBUS_CMD_DEV_CHANGE_NTF);
	put_device(&p->dev);
	return 0;

out_unlock:
	mutex_unlock(&p->lock);
out:
	put_device(&p->dev);
	return ret;
}

/* ---- slice commands --------------------------------------------------- */

static int sb_nl_slice_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	const char *name = NULL;
	struct slicebus_driver *drv;
	struct slicebus_slice *slice;
	struct slicebus_parent *p;
	struct sk_buff *msg;
	unsigned int b;
	int type, ret;

	if (GENL_REQ_ATTR_CHECK(info, SLICEBUS_A_SLICE_BACKEND))
		return -EINVAL;
	b = nla_get_u32(tb[SLICEBUS_A_SLICE_BACKEND]);
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
	/* refused at once, not after the removal that holds a backend lock */
	if (READ_ONCE(p->dying)) {
		sb_explain_dying(p, info->extack);
		ret = -ENODEV;
		goto err_put;
	}
	mutex_lock(&p->backend_lock[b]);
	type = p->default_type[b];
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
	drv = sb_driver(b);
	if (drv && drv->slice_add)
		slice = drv->slice_add(p, p->info.types[type].name, name,
				       info->extack);
	else
		slice = slicebus_slice_create(p, type, b, name, 0, NULL,
					      info->extack);
	if (IS_ERR(slice)) {
		ret = PTR_ERR(slice);
		goto err;
	}
	/*
	 * The creation reference is the core's or the backend framework's,
	 * which may delete the slice as soon as it exists (an mdev removed
	 * through sysfs takes no slicebus lock): the reply is built from a
	 * reference of our own.
	 */
	get_device(&slice->dev);
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

static int sb_nl_slice_del_doit(struct sk_buff *skb, struct genl_info *info)
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

static int sb_nl_slice_get_doit(struct sk_buff *skb, struct genl_info *info)
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

static int sb_nl_slice_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	unsigned long pos = cb->args[0];
	int ret;

	ret = sb_slice_dump(skb, &pos, sb_dump_one, cb);
	cb->args[0] = pos;
	return ret == -EMSGSIZE && skb->len ? skb->len : ret;
}

static const struct genl_ops sb_ops[] = {
	{
		.cmd = SLICEBUS_CMD_DEV_GET,
		.doit = sb_nl_dev_get_doit,
		.dumpit = sb_nl_dev_get_dumpit,
		.policy = sb_dev_policy,
		.maxattr = SLICEBUS_A_DEV_MAX,
	},
	{
		.cmd = SLICEBUS_CMD_DEV_SET,
		.doit = sb_nl_dev_set_doit,
		.policy = sb_dev_policy,
		.maxattr = SLICEBUS_A_DEV_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SLICEBUS_CMD_SLICE_NEW,
		.doit = sb_nl_slice_new_doit,
		.policy = sb_slice_policy,
		.maxattr = SLICEBUS_A_SLICE_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SLICEBUS_CMD_SLICE_DEL,
		.doit = sb_nl_slice_del_doit,
		.policy = sb_slice_policy,
		.maxattr = SLICEBUS_A_SLICE_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SLICEBUS_CMD_SLICE_GET,
		.doit = sb_nl_slice_get_doit,
		.dumpit = sb_nl_slice_get_dumpit,
		.policy = sb_slice_policy,
		.maxattr = SLICEBUS_A_SLICE_MAX,
	},
};

static const struct genl_multicast_group sb_mcgrps[] = {
	[SB_MCGRP_EVENTS] = { .name = SLICEBUS_MCGRP_EVENTS },
};

static struct genl_family sb_family __ro_after_init = {
	.name = SLICEBUS_FAMILY_NAME,
	.version = SLICEBUS_FAMILY_VERSION,
	.netnsok = false,
	/* no genl_mutex: a request that waits must not hold up the others */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = sb_ops,
	.n_ops = ARRAY_SIZE(sb_ops),
	.resv_start_op = SLICEBUS_CMD_MAX + 1,
	.mcgrps = sb_mcgrps,
	.n_mcgrps = ARRAY_SIZE(sb_mcgrps),
};

int __init sb_netlink_init(void)
{
	return genl_register_family(&sb_family);
}

void sb_netlink_exit(void)
{
	genl_unregister_family(&sb_family);
}
