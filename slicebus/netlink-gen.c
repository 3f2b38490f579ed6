// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/slicebus.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/slicebus.h>

/* Common nested types */
const struct nla_policy slicebus_amount_nl_policy[SLICEBUS_A_AMOUNT_VALUE + 1] = {
	[SLICEBUS_A_AMOUNT_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
	[SLICEBUS_A_AMOUNT_VALUE] = { .type = NLA_UINT, },
};

const struct nla_policy slicebus_option_nl_policy[SLICEBUS_A_OPTION_VALUE + 1] = {
	[SLICEBUS_A_OPTION_NAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[SLICEBUS_A_OPTION_VALUE] = { .type = NLA_NUL_STRING, .len = 63, },
};

/* SLICEBUS_CMD_DEV_GET - do */
static const struct nla_policy slicebus_dev_get_nl_policy[SLICEBUS_A_DEV_NAME + 1] = {
	[SLICEBUS_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
};

/* SLICEBUS_CMD_DEV_SET - do */
static const struct nla_policy slicebus_dev_set_nl_policy[SLICEBUS_A_DEV_LIMIT + 1] = {
	[SLICEBUS_A_DEV_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
	[SLICEBUS_A_DEV_BACKEND] = { .type = NLA_NUL_STRING, .len = 63, },
	[SLICEBUS_A_DEV_RESERVE] = NLA_POLICY_NESTED(slicebus_amount_nl_policy),
	[SLICEBUS_A_DEV_LIMIT] = NLA_POLICY_NESTED(slicebus_amount_nl_policy),
};

/* SLICEBUS_CMD_SLICE_NEW - do */
static const struct nla_policy slicebus_slice_new_nl_policy[SLICEBUS_A_SLICE_OPTION + 1] = {
	[SLICEBUS_A_SLICE_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
	[SLICEBUS_A_SLICE_DEV] = { .type = NLA_NUL_STRING, .len = 63, },
	[SLICEBUS_A_SLICE_TYPE] = { .type = NLA_NUL_STRING, .len = 63, },
	[SLICEBUS_A_SLICE_BACKEND] = { .type = NLA_NUL_STRING, .len = 63, },
	[SLICEBUS_A_SLICE_OPTION] = NLA_POLICY_NESTED(slicebus_option_nl_policy),
};

/* SLICEBUS_CMD_SLICE_DEL - do */
static const struct nla_policy slicebus_slice_del_nl_policy[SLICEBUS_A_SLICE_NAME + 1] = {
	[SLICEBUS_A_SLICE_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
};

/* SLICEBUS_CMD_SLICE_GET - do */
static const struct nla_policy slicebus_slice_get_nl_policy[SLICEBUS_A_SLICE_NAME + 1] = {
	[SLICEBUS_A_SLICE_NAME] = { .type = NLA_NUL_STRING, .len = 63, },
};

/* Ops table for slicebus */
static const struct genl_split_ops slicebus_nl_ops[] = {
	{
		.cmd		= SLICEBUS_CMD_DEV_GET,
		.doit		= slicebus_nl_dev_get_doit,
		.policy		= slicebus_dev_get_nl_policy,
		.maxattr	= SLICEBUS_A_DEV_NAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= SLICEBUS_CMD_DEV_GET,
		.start	= slicebus_nl_dev_get_dump_start,
		.dumpit	= slicebus_nl_dev_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= SLICEBUS_CMD_DEV_SET,
		.doit		= slicebus_nl_dev_set_doit,
		.policy		= slicebus_dev_set_nl_policy,
		.maxattr	= SLICEBUS_A_DEV_LIMIT,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SLICEBUS_CMD_SLICE_NEW,
		.doit		= slicebus_nl_slice_new_doit,
		.policy		= slicebus_slice_new_nl_policy,
		.maxattr	= SLICEBUS_A_SLICE_OPTION,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SLICEBUS_CMD_SLICE_DEL,
		.doit		= slicebus_nl_slice_del_doit,
		.policy		= slicebus_slice_del_nl_policy,
		.maxattr	= SLICEBUS_A_SLICE_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= SLICEBUS_CMD_SLICE_GET,
		.doit		= slicebus_nl_slice_get_doit,
		.policy		= slicebus_slice_get_nl_policy,
		.maxattr	= SLICEBUS_A_SLICE_NAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= SLICEBUS_CMD_SLICE_GET,
		.dumpit	= slicebus_nl_slice_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
};

static const struct genl_multicast_group slicebus_nl_mcgrps[] = {
	[SLICEBUS_NLGRP_EVENTS] = { "events", },
};

struct genl_family slicebus_nl_family __ro_after_init = {
	.name		= SLICEBUS_FAMILY_NAME,
	.version	= SLICEBUS_FAMILY_VERSION,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.split_ops	= slicebus_nl_ops,
	.n_split_ops	= ARRAY_SIZE(slicebus_nl_ops),
	.mcgrps		= slicebus_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(slicebus_nl_mcgrps),
};
