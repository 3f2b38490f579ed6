/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/slicebus.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_SLICEBUS_GEN_H
#define _LINUX_SLICEBUS_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/slicebus.h>

/* Common nested types */
extern const struct nla_policy slicebus_amount_nl_policy[SLICEBUS_A_AMOUNT_VALUE + 1];
extern const struct nla_policy slicebus_option_nl_policy[SLICEBUS_A_OPTION_VALUE + 1];

int slicebus_nl_dev_get_dump_start(struct netlink_callback *cb);

int slicebus_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int slicebus_nl_dev_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);
int slicebus_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info);
int slicebus_nl_slice_new_doit(struct sk_buff *skb, struct genl_info *info);
int slicebus_nl_slice_del_doit(struct sk_buff *skb, struct genl_info *info);
int slicebus_nl_slice_get_doit(struct sk_buff *skb, struct genl_info *info);
int slicebus_nl_slice_get_dumpit(struct sk_buff *skb,
				 struct netlink_callback *cb);

enum {
	SLICEBUS_NLGRP_EVENTS,
};

extern struct genl_family slicebus_nl_family;

#endif /* _LINUX_SLICEBUS_GEN_H */
