// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for slicectl's command-line parser: the input is split
 * into arguments and run through slicectl's main with the netlink layer
 * replaced by a stub that accepts every request without sending it.
 * Crashes, leaks and sanitizer reports are failures.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tools/slicectl/slicectl.h"

int slicectl_main(int argc, char **argv);

bool sb_nl_quiet;
static char buf[8192];

int sb_nl_open(struct sb_nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->buf = buf;
	return 0;
}

void sb_nl_close(struct sb_nl *nl)
{
	(void)nl;
}

struct nlmsghdr *sb_nl_msg(struct sb_nl *nl, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);

	(void)cmd;
	nlh->nlmsg_flags = flags;
	mnl_nlmsg_put_extra_header(nlh, 4);
	return nlh;
}

int sb_nl_talk(struct sb_nl *nl, struct nlmsghdr *nlh, sb_reply_cb cb,
	       void *arg)
{
	(void)nl;
	(void)nlh;
	(void)cb;
	(void)arg;
	return 0;
}

int sb_nl_subscribe(struct sb_nl *nl)
{
	(void)nl;
	return -1;
}

int sb_nl_listen(struct sb_nl *nl, sb_reply_cb cb, void *arg)
{
	(void)nl;
	(void)cb;
	(void)arg;
	return -1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	freopen("/dev/null", "w", stdout);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy, *argv[32] = { "slicectl" }, *tok, *save = NULL;
	int argc = 1;

	if (size > 512)
		return 0;
	copy = strndup((const char *)data, size);
	for (tok = strtok_r(copy, " \n", &save); tok && argc < 31;
	     tok = strtok_r(NULL, " \n", &save)) {
		/* batch mode reads files: not the parser under test */
		if (tok[0] == '-' && strchr(tok, 'b'))
			goto out;
		argv[argc++] = tok;
	}
	argv[argc] = NULL;
	optind = 0;
	slicectl_main(argc, argv);
out:
	free(copy);
	return 0;
}
