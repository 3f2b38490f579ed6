/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SLICECTL_H
#define SLICECTL_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>
#include <libmnl/libmnl.h>

struct sb_nl {
	struct mnl_socket *sock;
	uint16_t family;
	uint32_t events_group;
	uint32_t seq;
	uint32_t portid;
	char *buf;
};

/* Called for every reply message; returns MNL_CB_OK / MNL_CB_ERROR. */
typedef int (*sb_reply_cb)(const struct nlmsghdr *nlh, void *arg);

extern bool sb_nl_quiet;
/* -s: counters in slice show (JSON and human form) */
extern bool sb_show_stats;
/* apply --syslog: errors and what is applied go to syslog as well */
extern bool sb_syslog;
/* -d: backend options in slice show (JSON and human form) */
extern bool sb_show_details;

int sb_nl_open(struct sb_nl *nl);
void sb_nl_close(struct sb_nl *nl);
struct nlmsghdr *sb_nl_msg(struct sb_nl *nl, uint8_t cmd, uint16_t flags);
int sb_nl_talk(struct sb_nl *nl, struct nlmsghdr *nlh, sb_reply_cb cb,
	       void *arg);
int sb_nl_subscribe(struct sb_nl *nl);
int sb_nl_listen(struct sb_nl *nl, sb_reply_cb cb, void *arg);

/* Replies turned into JSON objects (the one printing layer). */
struct json_object *sb_dev_to_json(const struct nlmsghdr *nlh);
struct json_object *sb_slice_to_json(const struct nlmsghdr *nlh);

void sb_print_dev(struct json_object *dev);
void sb_print_slice(struct json_object *slice);

int sb_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* slicectl.c, for persist.c: the kernel's objects and commands */
struct json_object *sb_fetch_devs(const char *dev);	/* NULL: all */
struct json_object *sb_fetch_slices(void);
int sb_run(int argc, char **argv);	/* a command, its output quiet */

/* persist.c */
int sb_cmd_save(int argc, char **argv);
int sb_cmd_apply(int argc, char **argv);

#endif
