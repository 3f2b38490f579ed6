// SPDX-License-Identifier: GPL-2.0
/*
 * Random generic netlink messages for the slicebus family: valid headers,
 * random commands, flags, attribute types, lengths, nesting and payloads.
 * Reads every answer (ack, error or dump) so the kernel's replies are
 * exercised too.  Prints how many were refused and accepted; exits non-zero
 * only if the kernel stops answering.
 *
 * usage: nlfuzz COUNT [SEED] [NAME...]   NAMEs are mixed into string payloads
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

static char buf[65536];
static char rbuf[65536];
static const char **names;
static int nnames;

static unsigned int rnd(unsigned int n)
{
	return n ? (unsigned int)random() % n : 0;
}

static void put_random_attrs(struct nlmsghdr *nlh, int depth)
{
	int n = rnd(8);

	while (n-- > 0 && nlh->nlmsg_len < sizeof(buf) - 512) {
		uint16_t type = rnd(16);
		unsigned int kind = rnd(6);
		char payload[96];
		unsigned int len = rnd(sizeof(payload));

		if (kind == 0 && depth < 3) {
			struct nlattr *nest = mnl_attr_nest_start(nlh,
				type | (rnd(4) ? NLA_F_NESTED : 0));

			put_random_attrs(nlh, depth + 1);
			mnl_attr_nest_end(nlh, nest);
			continue;
		}
		if (kind == 1 && nnames) {
			mnl_attr_put_strz(nlh, type, names[rnd(nnames)]);
			continue;
		}
		if (kind == 2) {
			mnl_attr_put_u32(nlh, type, rnd(2) ? rnd(8) : (uint32_t)random());
			continue;
		}
		if (kind == 3) {
			mnl_attr_put_u64(nlh, type, rnd(2) ? rnd(100) : (uint64_t)random() << 32);
			continue;
		}
		for (unsigned int i = 0; i < len; i++)
			payload[i] = (char)(rnd(4) ? 'a' + rnd(26) : (unsigned int)random());
		if (kind == 4 && len)
			payload[len - 1] = '\0';
		mnl_attr_put(nlh, type, len, payload);
	}
}

static int family_id(struct mnl_socket *sock)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	struct nlattr *a;
	int n;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "slicebus");
	if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	n = mnl_socket_recvfrom(sock, rbuf, sizeof(rbuf));
	if (n <= 0)
		return -1;
	nlh = (struct nlmsghdr *)rbuf;
	if (nlh->nlmsg_type == NLMSG_ERROR)
		return -1;
	mnl_attr_for_each(a, nlh, sizeof(*g))
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			return mnl_attr_get_u16(a);
	return -1;
}

int main(int argc, char **argv)
{
	unsigned long count = argc > 1 ? strtoul(argv[1], NULL, 0) : 10000;
	unsigned int seed = argc > 2 ? strtoul(argv[2], NULL, 0) : 1;
	unsigned long refused = 0, accepted = 0;
	struct timeval tv = { .tv_sec = 5 };
	struct mnl_socket *sock;
	int fam;

	names = (const char **)argv + 3;
	nnames = argc > 3 ? argc - 3 : 0;
	srandom(seed);
	sock = mnl_socket_open(NETLINK_GENERIC);
	if (!sock || mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink");
		return 2;
	}
	setsockopt(mnl_socket_get_fd(sock), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	fam = family_id(sock);
	if (fam < 0) {
		fprintf(stderr, "nlfuzz: no slicebus family\n");
		return 2;
	}
	for (unsigned long i = 0; i < count; i++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
		struct genlmsghdr *g;
		bool done = false;

		nlh->nlmsg_type = fam;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
				   (rnd(4) ? 0 : NLM_F_DUMP);
		nlh->nlmsg_seq = i + 1;
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->cmd = rnd(13);
		g->version = rnd(8) ? 1 : rnd(256);
		put_random_attrs(nlh, 0);
		if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0) {
			refused++;
			continue;
		}
		while (!done) {
			int n = mnl_socket_recvfrom(sock, rbuf, sizeof(rbuf));
			struct nlmsghdr *r = (struct nlmsghdr *)rbuf;

			if (n < 0) {
				fprintf(stderr, "nlfuzz: no answer to message %lu: %s\n",
					i, strerror(errno));
				return 1;
			}
			for (; mnl_nlmsg_ok(r, n); r = mnl_nlmsg_next(r, &n)) {
				if (r->nlmsg_type == NLMSG_ERROR) {
					struct nlmsgerr *e = mnl_nlmsg_get_payload(r);

					e->error ? refused++ : accepted++;
					done = true;
				} else if (r->nlmsg_type == NLMSG_DONE) {
					accepted++;
					done = true;
				}
			}
		}
	}
	printf("nlfuzz: %lu messages, %lu refused, %lu accepted\n", count,
	       refused, accepted);
	mnl_socket_close(sock);
	return 0;
}
