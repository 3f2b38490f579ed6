// SPDX-License-Identifier: GPL-2.0
/*
 * slicectl: generic netlink plumbing on libmnl: family lookup, requests,
 * replies, extack error messages, the events group.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/slicebus.h>

#include "slicectl.h"

/* dumps are sent in up to 32 KiB messages */
#define SB_BUF_SIZE (64 * 1024)

/* The first extack message of the last error, for sb_nl_talk's caller. */
static char sb_extack[256];

/* When set, sb_nl_talk() reports errors through errno only. */
bool sb_nl_quiet;

static int ctrl_group_cb(const struct nlattr *grp, struct sb_nl *nl)
{
	struct nlattr *a, *name = NULL, *id = NULL;

	mnl_attr_for_each_nested(a, grp) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
			name = a;
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
			id = a;
	}
	if (name && id && !strcmp(mnl_attr_get_str(name), SLICEBUS_MCGRP_EVENTS))
		nl->events_group = mnl_attr_get_u32(id);
	return MNL_CB_OK;
}

static int ctrl_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct sb_nl *nl = arg;
	struct nlattr *a, *g;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			nl->family = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(g, a)
				ctrl_group_cb(g, nl);
			break;
		}
	}
	return MNL_CB_OK;
}

static int error_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	unsigned int off = sizeof(*err);
	struct nlattr *a;

	(void)arg;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
		return MNL_CB_ERROR;
	if (!err->error)
		return MNL_CB_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		mnl_attr_for_each(a, nlh, off) {
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
			    !mnl_attr_validate(a, MNL_TYPE_NUL_STRING))
				snprintf(sb_extack, sizeof(sb_extack), "%s",
					 mnl_attr_get_str(a));
		}
	}
	errno = -err->error;
	return MNL_CB_ERROR;
}

/* The end of a dump; it carries an error code when the dump failed. */
static int done_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
		int err = *(int *)mnl_nlmsg_get_payload(nlh);

		if (err < 0) {
			errno = -err;
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_STOP;
}

static int noop_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(void)arg;
	return MNL_CB_OK;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = noop_cb,
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
	[NLMSG_OVERRUN] = noop_cb,
};

struct nlmsghdr *sb_nl_msg(struct sb_nl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = nl->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = SLICEBUS_FAMILY_VERSION;
	return nlh;
}

struct talk_ctx {
	sb_reply_cb cb;
	void *arg;
};

static int data_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct talk_ctx *t = arg;

	return t->cb ? t->cb(nlh, t->arg) : MNL_CB_OK;
}

/*
 * Send one request and run @cb on every reply until the ack or the end of
 * a dump.  Returns 0, or -1 with errno set and the kernel's message printed
 * as "Error: ...".
 */
int sb_nl_talk(struct sb_nl *nl, struct nlmsghdr *nlh, sb_reply_cb cb,
	       void *arg)
{
	struct talk_ctx t = { cb, arg };
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int ret;

	sb_extack[0] = '\0';
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return sb_error("cannot send to the kernel: %s", strerror(errno));
	do {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, SB_BUF_SIZE);
		if (n < 0)
			return sb_error("cannot read from the kernel: %s",
					strerror(errno));
		ret = mnl_cb_run2(nl->buf, n, seq, nl->portid, data_cb, &t,
				  ctl_cbs, NLMSG_MIN_TYPE);
	} while (ret == MNL_CB_OK);
	if (ret == MNL_CB_ERROR) {
		int e = errno;

		if (sb_nl_quiet)
			;
		else if (sb_extack[0])
			sb_error("%s", sb_extack);
		else if (e == EPERM)
			sb_error("%s (this needs CAP_NET_ADMIN)", strerror(e));
		else
			sb_error("%s", strerror(e));
		errno = e;
		return -1;
	}
	return 0;
}

int sb_nl_open(struct sb_nl *nl)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(SB_BUF_SIZE);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->buf || !nl->sock)
		return sb_error("cannot open a netlink socket: %s",
				strerror(errno));
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return sb_error("cannot bind the netlink socket: %s",
				strerror(errno));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);

	nlh = mnl_nlmsg_put_header(nl->buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, SLICEBUS_FAMILY_NAME);
	sb_extack[0] = '\0';
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return sb_error("cannot send to the kernel: %s", strerror(errno));
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf, SB_BUF_SIZE);
		int ret;

		if (n < 0)
			break;
		ret = mnl_cb_run2(nl->buf, n, nl->seq, nl->portid, ctrl_cb, nl,
				  ctl_cbs, NLMSG_MIN_TYPE);
		if (ret <= MNL_CB_STOP)
			break;
	}
	if (!nl->family)
		return sb_error("slicebus is not loaded (no generic netlink family \"%s\"); modprobe slicebus",
				SLICEBUS_FAMILY_NAME);
	return 0;
}

void sb_nl_close(struct sb_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl->buf);
}

int sb_nl_subscribe(struct sb_nl *nl)
{
	if (!nl->events_group)
		return sb_error("the kernel has no \"%s\" group", SLICEBUS_MCGRP_EVENTS);
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				  &nl->events_group, sizeof(nl->events_group)))
		return sb_error("cannot join the events group: %s", strerror(errno));
	return 0;
}

int sb_nl_listen(struct sb_nl *nl, sb_reply_cb cb, void *arg)
{
	struct talk_ctx t = { cb, arg };

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf, SB_BUF_SIZE);

		if (n < 0) {
			if (errno == ENOBUFS) {
				fprintf(stderr, "Warning: events lost (receive buffer overrun)\n");
				continue;
			}
			return sb_error("cannot read events: %s", strerror(errno));
		}
		if (mnl_cb_run(nl->buf, n, 0, 0, data_cb, &t) < 0)
			return -1;
	}
}
