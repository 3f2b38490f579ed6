// SPDX-License-Identifier: GPL-2.0
/*
 * Random generic netlink messages for the slicebus family: valid headers,
 * random commands, flags, attribute types, lengths, nesting and payloads,
 * with integers at the edges of u32 and u64 and names at the length limit
 * or with characters outside the allowed set.
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

/* Values at the edges of u32 and u64, where sums and limits overflow. */
static uint64_t edge(void)
{
	static const uint64_t e[] = {
		0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL,
		0xfffffffffffffffeULL, 0xffffffffffffffffULL,
	};

	return e[rnd(sizeof(e) / sizeof(e[0]))] - rnd(2);
}

/*
 * A name of 62 to 65 characters (the limit is 63), or one with a character
 * outside [A-Za-z0-9._:-], or empty.
 */
static void put_edge_name(struct nlmsghdr *nlh, uint16_t type)
{
	static const char bad[] = "/ \t\n%$*?\"'\\\x7f\xff";
	char name[70];
	unsigned int len = rnd(5) ? 62 + rnd(4) : rnd(3), i;

	for (i = 0; i < len; i++)
		name[i] = "abcXYZ019._:-"[rnd(13)];
	if (len && !rnd(3))
		name[rnd(len)] = bad[rnd(sizeof(bad) - 1)];
	name[len] = '\0';
	if (rnd(4))
		mnl_attr_put_strz(nlh, type, name);
	else	/* without its terminating NUL */
		mnl_attr_put(nlh, type, len, name);
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
			mnl_attr_put_u32(nlh, type, rnd(3) ? rnd(8) :
					 rnd(2) ? (uint32_t)edge() : (uint32_t)random());
			continue;
		}
		if (kind == 3) {
			mnl_attr_put_u64(nlh, type, rnd(3) ? rnd(100) :
					 rnd(2) ? edge() : (uint64_t)random() << 32);
			continue;
		}
		if (kind == 5 && rnd(2)) {
			put_edge_name(nlh, type);
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
