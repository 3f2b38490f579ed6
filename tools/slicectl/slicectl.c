// SPDX-License-Identifier: GPL-2.0
/*
 * slicectl - show and change slicebus devices and slices.
 *
 *   slicectl [-j] [-p] dev show [DEV]
 *   slicectl dev set DEV backend BACKEND [reserve RES N]... [limit RES N|none]...
 *   slicectl slice add DEV [type TYPE] backend BACKEND [name NAME]
 *
 * BACKEND is a backend name: vfio, vdpa, dma, or one a backend module
 * registered; the kernel says which names it knows.
 *   slicectl slice del NAME
 *   slicectl [-j] [-p] slice show [NAME]
 *   slicectl [-j] monitor
 *   slicectl [-j] -b FILE		(one command per line, "-" for stdin)
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/slicebus.h>

#include "slicectl.h"

#define SLICECTL_VERSION "0.1"

static bool json_out, pretty;
static bool quiet_out;	/* sb_run(): what a command prints goes */
bool sb_show_stats;
bool sb_show_details;
static struct sb_nl nl;

bool sb_syslog;

int sb_error(const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (sb_syslog) {
		va_start(ap, fmt);
		vsyslog(LOG_ERR, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void emit(struct json_object *o)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		    (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			      JSON_C_TO_STRING_PLAIN);

	printf("%s\n", json_object_to_json_string_ext(o, flags));
}

static int usage_main(FILE *f)
{
	fprintf(f,
		"Usage: slicectl [OPTIONS] OBJECT { COMMAND | help }\n"
		"where  OBJECT := { dev | slice | monitor | save | apply }\n"
		"       OPTIONS := { -j[son] | -p[retty] | -s[tats] | -d[etails] | -b[atch] FILE |\n"
		"                    -V[ersion] | -h[elp] }\n");
	return f == stderr ? 1 : 0;
}

static int usage_dev(FILE *f)
{
	fprintf(f,
		"Usage: slicectl dev show [DEV]\n"
		"       slicectl dev set DEV backend BACKEND\n"
		"                        [ reserve RES N ]... [ limit RES { N | none } ]...\n"
		"where  BACKEND := { vfio | vdpa | dma | NAME a backend module registered }\n");
	return f == stderr ? 1 : 0;
}

static int usage_slice(FILE *f)
{
	fprintf(f,
		"Usage: slicectl slice add DEV [ type TYPE ] backend BACKEND\n"
		"                          [ name NAME ] [ OPTION VALUE ]...\n"
		"       slicectl slice del NAME\n"
		"       slicectl slice show [NAME]\n"
		"where  BACKEND := { vfio | vdpa | dma | NAME a backend module registered }\n"
		"       OPTION := { mac | mtu | max_vqp } for vdpa\n");
	return f == stderr ? 1 : 0;
}

static bool is_help(const char *s)
{
	return !strcmp(s, "help") || !strcmp(s, "-h") || !strcmp(s, "--help");
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int need_arg(int argc, char **argv, const char *what)
{
	if (argc < 2)
		return sb_error("\"%s\" needs %s", argv[0], what);
	return 0;
}

/* ---- dev -------------------------------------------------------------- */

static int dev_show_cb(const struct nlmsghdr *nlh, void *arg)
{
	json_object_array_add(arg, sb_dev_to_json(nlh));
	return MNL_CB_OK;
}

static int print_list(const char *key, struct json_object *arr,
		      void (*print)(struct json_object *))
{
	struct json_object *top;
	size_t i;

	if (json_out) {
		top = json_object_new_object();
		json_object_object_add(top, key, arr);
		emit(top);
		json_object_put(top);
		return 0;
	}
	for (i = 0; i < json_object_array_length(arr); i++)
		print(json_object_array_get_idx(arr, i));
	json_object_put(arr);
	return 0;
}

static int cmd_dev_show(int argc, char **argv)
{
	struct json_object *arr;
	struct nlmsghdr *nlh;

	if (argc > 1)
		return sb_error("unexpected \"%s\" after the device name", argv[1]);
	arr = json_object_new_array();
	nlh = sb_nl_msg(&nl, SLICEBUS_CMD_DEV_GET, argc ? 0 : NLM_F_DUMP);
	if (argc)
		mnl_attr_put_strz(nlh, SLICEBUS_A_DEV_NAME, argv[0]);
	if (sb_nl_talk(&nl, nlh, dev_show_cb, arr)) {
		json_object_put(arr);
		return -1;
	}
	return print_list("dev", arr, sb_print_dev);
}

static int put_amount(struct nlmsghdr *nlh, int type, const char *res,
		      const char *val, bool allow_none)
{
	struct nlattr *nest;
	uint64_t v = 0;
	bool none = allow_none && !strcmp(val, "none");

	if (!none && parse_u64(val, &v))
		return sb_error("\"%s\" is not a number%s", val,
				allow_none ? " or \"none\"" : "");
	nest = mnl_attr_nest_start(nlh, type | NLA_F_NESTED);
	mnl_attr_put_strz(nlh, SLICEBUS_A_AMOUNT_NAME, res);
	if (!none)
		mnl_attr_put_u64(nlh, SLICEBUS_A_AMOUNT_VALUE, v);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static int cmd_dev_set(int argc, char **argv)
{
	const char *backend = NULL;
	struct nlmsghdr *nlh;

	if (argc < 1)
		return usage_dev(stderr);
	nlh = sb_nl_msg(&nl, SLICEBUS_CMD_DEV_SET, 0);
	mnl_attr_put_strz(nlh, SLICEBUS_A_DEV_NAME, argv[0]);
	for (argc--, argv++; argc; argc--, argv++) {
		if (!strcmp(argv[0], "backend")) {
			if (need_arg(argc, argv, "a backend name"))
				return -1;
			backend = argv[1];
			mnl_attr_put_strz(nlh, SLICEBUS_A_DEV_BACKEND, backend);
			argc--, argv++;
		} else if (!strcmp(argv[0], "reserve") ||
			   !strcmp(argv[0], "limit")) {
			bool lim = argv[0][0] == 'l';

			if (argc < 3)
				return sb_error("\"%s\" needs a resource and %s",
						argv[0], lim ? "a number or \"none\"" :
						"a number");
			if (put_amount(nlh, lim ? SLICEBUS_A_DEV_LIMIT :
				       SLICEBUS_A_DEV_RESERVE, argv[1], argv[2], lim))
				return -1;
			argc -= 2, argv += 2;
		} else {
			return sb_error("unknown argument \"%s\"; try \"slicectl dev help\"",
					argv[0]);
		}
	}
	if (!backend)
		return sb_error("\"backend\" is required");
	return sb_nl_talk(&nl, nlh, NULL, NULL);
}

static int cmd_dev(int argc, char **argv)
{
	if (!argc || !strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return cmd_dev_show(argc ? argc - 1 : 0, argv + 1);
	if (!strcmp(argv[0], "set"))
		return cmd_dev_set(argc - 1, argv + 1);
	if (is_help(argv[0]))
		return usage_dev(stdout);
	sb_error("unknown command \"dev %s\"", argv[0]);
	return usage_dev(stderr) ? -1 : -1;
}

/* ---- slice ------------------------------------------------------------ */

static int slice_show_cb(const struct nlmsghdr *nlh, void *arg)
{
	json_object_array_add(arg, sb_slice_to_json(nlh));
	return MNL_CB_OK;
}

static int cmd_slice_show(int argc, char **argv)
{
	struct json_object *arr;
	struct nlmsghdr *nlh;

	if (argc > 1)
		return sb_error("unexpected \"%s\" after the slice name", argv[1]);
	arr = json_object_new_array();
	nlh = sb_nl_msg(&nl, SLICEBUS_CMD_SLICE_GET, argc ? 0 : NLM_F_DUMP);
	if (argc)
		mnl_attr_put_strz(nlh, SLICEBUS_A_SLICE_NAME, argv[0]);
	if (sb_nl_talk(&nl, nlh, slice_show_cb, arr)) {
		json_object_put(arr);
		return -1;
	}
	return print_list("slice", arr, sb_print_slice);
}

static bool is_uuid(const char *s)
{
	static const char pat[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
	size_t i;

	if (strlen(s) != sizeof(pat) - 1)
		return false;
	for (i = 0; pat[i]; i++)
		if (pat[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int write_file(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -1;
	if (fputs(val, f) < 0)
		ret = -1;
	if (fclose(f))
		ret = -1;
	return ret;
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ?
	       json_object_get_string(v) : NULL;
}

/* The device's JSON object, or NULL with the kernel's error printed. */
static struct json_object *get_dev(const char *dev)
{
	struct json_object *arr = json_object_new_array(), *d = NULL;
	struct nlmsghdr *nlh = sb_nl_msg(&nl, SLICEBUS_CMD_DEV_GET, 0);

	mnl_attr_put_strz(nlh, SLICEBUS_A_DEV_NAME, dev);
	if (!sb_nl_talk(&nl, nlh, dev_show_cb, arr) &&
	    json_object_array_length(arr) == 1)
		d = json_object_get(json_object_array_get_idx(arr, 0));
	json_object_put(arr);
	return d;
}

/*
 * The mdev type directory of slice type @type under @sysfs: mdev names it
 * "<driver>-<type>" after the driver of the device it is on (slicebus for
 * a management device, the provider's on a PCI function); its "name" is
 * the type's.
 */
static int mdev_type_dir(const char *sysfs, const char *type, char *path,
			 size_t len)
{
	char dir[PATH_MAX], name[128];
	struct dirent *e;
	int ret = -1;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/mdev_supported_types", sysfs);
	d = opendir(dir);
	if (!d)
		return -1;
	while (ret && (e = readdir(d))) {
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, len, "%s/%s/name", dir, e->d_name) >= (int)len)
			continue;
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f)) {
			name[strcspn(name, "\n")] = '\0';
			if (!strcmp(name, type) &&
			    snprintf(path, len, "%s/%s", dir, e->d_name) < (int)len)
				ret = 0;
		}
		fclose(f);
	}
	closedir(d);
	return ret;
}

/*
 * VFIO slices are mdevs: create one through the mdev sysfs interface of
 * the device, so that mdevctl and libvirt see it like any other.  Returns 1
 * for a device that has no mdev types (the vfio backend does not serve its
 * slice class): the caller asks the kernel, which says why.
 */
static int slice_add_vfio(const char *dev, const char *type, const char *name)
{
	struct json_object *d, *arr, *be, *o;
	char uuid[64], path[PATH_MAX];
	int ret = -1, err;
	const char *def = NULL;
	bool loaded = false;
	size_t i;

	if (name && !is_uuid(name))
		return sb_error("vfio slice names are mdev UUIDs; \"%s\" is not one",
				name);
	d = get_dev(dev);
	if (!d)
		return -1;
	json_object_object_get_ex(d, "backends", &arr);
	for (i = 0; arr && i < json_object_array_length(arr); i++) {
		be = json_object_array_get_idx(arr, i);
		if (strcmp(jstr(be, "name") ?: "", "vfio"))
			continue;
		def = jstr(be, "default_type");
		loaded = json_object_object_get_ex(be, "loaded", &o) &&
			 json_object_get_boolean(o);
	}
	if (!loaded) {
		sb_error("backend vfio: module slicebus_vfio is not loaded");
		goto out;
	}
	snprintf(path, sizeof(path), "%s/mdev_supported_types",
		 jstr(d, "sysfs") ?: "");
	if (access(path, F_OK)) {
		ret = 1;
		goto out;
	}
	type = type ?: def;
	if (mdev_type_dir(jstr(d, "sysfs") ?: "", type ?: "", path, sizeof(path))) {
		sb_error("%s has no slice type %s", dev, type ?: "");
		goto out;
	}
	strncat(path, "/create", sizeof(path) - strlen(path) - 1);
	if (name) {
		snprintf(uuid, sizeof(uuid), "%s", name);
	} else {
		FILE *f = fopen("/proc/sys/kernel/random/uuid", "r");

		if (!f || !fgets(uuid, sizeof(uuid), f)) {
			if (f)
				fclose(f);
			sb_error("cannot generate a UUID: %s", strerror(errno));
			goto out;
		}
		fclose(f);
		uuid[strcspn(uuid, "\n")] = '\0';
	}
	if (write_file(path, uuid)) {
		err = errno;
		if (err == ENOSPC)
			sb_error("%s: no room for a %s slice for vfio (see the kernel log for the accountant's reason)",
				 dev, type);
		else if (err == EEXIST)
			sb_error("slice %s already exists", uuid);
		else if (err == EACCES || err == EPERM)
			sb_error("%s (creating an mdev needs root)", strerror(err));
		else
			sb_error("cannot create mdev %s: %s", uuid, strerror(err));
		goto out;
	}
	ret = 0;
	if (quiet_out) {
	} else if (!json_out) {
		printf("%s\n", uuid);
	} else {
		char *args[] = { uuid };

		ret = cmd_slice_show(1, args);
	}
out:
	json_object_put(d);
	return ret;
}

/* Whether a slice is held by vfio; false (quietly) when there is none. */
static bool slice_is_vfio(const char *name)
{
	struct json_object *arr = json_object_new_array();
	struct nlmsghdr *nlh = sb_nl_msg(&nl, SLICEBUS_CMD_SLICE_GET, 0);
	bool vfio = false;

	mnl_attr_put_strz(nlh, SLICEBUS_A_SLICE_NAME, name);
	sb_nl_quiet = true;	/* the deletion that follows says what is wrong */
	if (!sb_nl_talk(&nl, nlh, slice_show_cb, arr) &&
	    json_object_array_length(arr) == 1)
		vfio = !strcmp(jstr(json_object_array_get_idx(arr, 0),
				    "backend") ?: "", "vfio");
	sb_nl_quiet = false;
	json_object_put(arr);
	return vfio;
}

/* Backend options slice add passes on (the kernel's backend checks them). */
static bool is_option(const char *s)
{
	return !strcmp(s, "mac") || !strcmp(s, "mtu") || !strcmp(s, "max_vqp");
}

static int cmd_slice_add(int argc, char **argv)
{
	struct json_object *arr = json_object_new_array();
	const char *dev, *type = NULL, *name = NULL, *backend = NULL;
	struct nlmsghdr *nlh;
	int nr_opts = 0;
	int ret = -1;

	if (argc < 1 || is_help(argv[0])) {
		json_object_put(arr);
		return usage_slice(stderr);
	}
	dev = argv[0];
	nlh = sb_nl_msg(&nl, SLICEBUS_CMD_SLICE_NEW, 0);
	mnl_attr_put_strz(nlh, SLICEBUS_A_SLICE_DEV, argv[0]);
	for (argc--, argv++; argc; argc -= 2, argv += 2) {
		if (!strcmp(argv[0], "type")) {
			if (need_arg(argc, argv, "a slice type"))
				goto out;
			type = argv[1];
			mnl_attr_put_strz(nlh, SLICEBUS_A_SLICE_TYPE, argv[1]);
		} else if (!strcmp(argv[0], "name")) {
			if (need_arg(argc, argv, "a slice name"))
				goto out;
			name = argv[1];
			mnl_attr_put_strz(nlh, SLICEBUS_A_SLICE_NAME, argv[1]);
		} else if (!strcmp(argv[0], "backend")) {
			if (need_arg(argc, argv, "a backend name"))
				goto out;
			backend = argv[1];
			mnl_attr_put_strz(nlh, SLICEBUS_A_SLICE_BACKEND, backend);
		} else if (is_option(argv[0])) {
			struct nlattr *nest;

			if (need_arg(argc, argv, "a value"))
				goto out;
			nr_opts++;
			nest = mnl_attr_nest_start(nlh, SLICEBUS_A_SLICE_OPTION);
			mnl_attr_put_strz(nlh, SLICEBUS_A_OPTION_NAME, argv[0]);
			mnl_attr_put_strz(nlh, SLICEBUS_A_OPTION_VALUE, argv[1]);
			mnl_attr_nest_end(nlh, nest);
		} else {
			sb_error("unknown argument \"%s\"; try \"slicectl slice help\"",
				 argv[0]);
			goto out;
		}
	}
	if (!backend) {
		sb_error("\"backend\" is required (vfio, vdpa, dma or a registered name)");
		goto out;
	}
	if (!strcmp(backend, "vfio") && nr_opts) {
		sb_error("vfio slices take no options");
		goto out;
	}
	if (!strcmp(backend, "vfio")) {
		ret = slice_add_vfio(dev, type, name);
		if (ret <= 0)
			goto out;
		ret = -1;
		/* it used the message buffer: build the request again */
		nlh = sb_nl_msg(&nl, SLICEBUS_CMD_SLICE_NEW, 0);
		mnl_attr_put_strz(nlh, SLICEBUS_A_SLICE_DEV, dev);
		if (type)
			mnl_attr_put_strz(nlh, SLICEBUS_A_SLICE_TYPE, type);
		if (name)
			mnl_attr_put_strz(nlh, SLICEBUS_A_SLICE_NAME, name);
		mnl_attr_put_strz(nlh, SLICEBUS_A_SLICE_BACKEND, backend);
	}
	if (sb_nl_talk(&nl, nlh, slice_show_cb, arr))
		goto out;
	if (quiet_out) {
		ret = 0;
		goto out;
	}
	if (json_out) {
		print_list("slice", arr, sb_print_slice);
		return 0;
	}
	if (json_object_array_length(arr) == 1) {
		struct json_object *s = json_object_array_get_idx(arr, 0), *v;

		if (json_object_object_get_ex(s, "name", &v))
			printf("%s\n", json_object_get_string(v));
	}
	ret = 0;
out:
	json_object_put(arr);
	return ret;
}

static int cmd_slice_del(int argc, char **argv)
{
	struct nlmsghdr *nlh;

	if (argc != 1)
		return argc ? sb_error("unexpected \"%s\" after the slice name",
				       argv[1]) :
			      sb_error("\"slice del\" needs a slice name");
	if (slice_is_vfio(argv[0])) {
		char path[PATH_MAX];

		/* an mdev: remove it as mdevctl would; waits for its user */
		snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/remove",
			 argv[0]);
		if (write_file(path, "1"))
			return sb_error("cannot remove mdev %s: %s", argv[0],
					strerror(errno));
		return 0;
	}
	nlh = sb_nl_msg(&nl, SLICEBUS_CMD_SLICE_DEL, 0);
	mnl_attr_put_strz(nlh, SLICEBUS_A_SLICE_NAME, argv[0]);
	return sb_nl_talk(&nl, nlh, NULL, NULL);
}

static int cmd_slice(int argc, char **argv)
{
	if (!argc || !strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return cmd_slice_show(argc ? argc - 1 : 0, argv + 1);
	if (!strcmp(argv[0], "add"))
		return cmd_slice_add(argc - 1, argv + 1);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return cmd_slice_del(argc - 1, argv + 1);
	if (is_help(argv[0]))
		return usage_slice(stdout);
	sb_error("unknown command \"slice %s\"", argv[0]);
	usage_slice(stderr);
	return -1;
}

/* ---- monitor ---------------------------------------------------------- */

static int monitor_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	static const char *const names[] = {
		[SLICEBUS_CMD_DEV_NEW_NTF] = "dev-new",
		[SLICEBUS_CMD_DEV_DEL_NTF] = "dev-del",
		[SLICEBUS_CMD_DEV_CHANGE_NTF] = "dev-change",
		[SLICEBUS_CMD_SLICE_NEW_NTF] = "slice-new",
		[SLICEBUS_CMD_SLICE_DEL_NTF] = "slice-del",
		[SLICEBUS_CMD_SLICE_CHANGE_NTF] = "slice-change",
	};
	bool is_dev = genl->cmd <= SLICEBUS_CMD_DEV_CHANGE_NTF;
	struct json_object *obj;

	(void)arg;
	if (genl->cmd < SLICEBUS_CMD_DEV_NEW_NTF || genl->cmd > SLICEBUS_CMD_MAX)
		return MNL_CB_OK;
	obj = is_dev ? sb_dev_to_json(nlh) : sb_slice_to_json(nlh);
	if (json_out) {
		struct json_object *ev = json_object_new_object();

		json_object_object_add(ev, "event",
				       json_object_new_string(names[genl->cmd]));
		json_object_object_add(ev, is_dev ? "dev" : "slice", obj);
		emit(ev);
		json_object_put(ev);
	} else {
		printf("[%s] ", names[genl->cmd]);
		if (is_dev) {
			struct json_object *n;

			printf("%s\n", json_object_object_get_ex(obj, "name", &n) ?
			       json_object_get_string(n) : "?");
		} else {
			sb_print_slice(obj);
		}
		json_object_put(obj);
	}
	fflush(stdout);
	return MNL_CB_OK;
}

static int cmd_monitor(int argc, char **argv)
{
	if (argc && is_help(argv[0])) {
		printf("Usage: slicectl [-j] monitor\n");
		return 0;
	}
	if (argc)
		return sb_error("unexpected \"%s\" after \"monitor\"", argv[0]);
	if (sb_nl_subscribe(&nl))
		return -1;
	return sb_nl_listen(&nl, monitor_cb, NULL);
}

static int do_cmd(int argc, char **argv)
{
	if (!strcmp(argv[0], "dev"))
		return cmd_dev(argc - 1, argv + 1);
	if (!strcmp(argv[0], "slice"))
		return cmd_slice(argc - 1, argv + 1);
	if (!strcmp(argv[0], "save"))
		return sb_cmd_save(argc - 1, argv + 1);
	if (!strcmp(argv[0], "apply"))
		return sb_cmd_apply(argc - 1, argv + 1);
	return cmd_monitor(argc - 1, argv + 1);
}

int sb_run(int argc, char **argv)
{
	bool was = quiet_out;
	int ret;

	quiet_out = true;
	ret = do_cmd(argc, argv);
	quiet_out = was;
	return ret;
}

static struct json_object *fetch(uint8_t cmd, int attr, const char *name,
				 int (*cb)(const struct nlmsghdr *, void *))
{
	struct json_object *arr = json_object_new_array();
	struct nlmsghdr *nlh = sb_nl_msg(&nl, cmd, name ? 0 : NLM_F_DUMP);

	if (name)
		mnl_attr_put_strz(nlh, attr, name);
	if (sb_nl_talk(&nl, nlh, cb, arr)) {
		json_object_put(arr);
		return NULL;
	}
	return arr;
}

struct json_object *sb_fetch_devs(const char *dev)
{
	return fetch(SLICEBUS_CMD_DEV_GET, SLICEBUS_A_DEV_NAME, dev, dev_show_cb);
}

struct json_object *sb_fetch_slices(void)
{
	return fetch(SLICEBUS_CMD_SLICE_GET, 0, NULL, slice_show_cb);
}

static bool known_object(const char *s)
{
	return !strcmp(s, "dev") || !strcmp(s, "slice") || !strcmp(s, "monitor") ||
	       !strcmp(s, "save") || !strcmp(s, "apply");
}

/* Run one command per line over one socket; stop at the first failure. */
static int do_batch(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, *argv[64];
	unsigned long lineno = 0;
	size_t cap = 0;
	int ret = 0;

	if (!f)
		return sb_error("cannot open %s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		char *tok, *save = NULL, *hash = strchr(line, '#');
		int argc = 0;

		lineno++;
		if (hash)
			*hash = '\0';
		for (tok = strtok_r(line, " \t\r\n", &save); tok && argc < 63;
		     tok = strtok_r(NULL, " \t\r\n", &save))
			argv[argc++] = tok;
		if (!argc)
			continue;
		argv[argc] = NULL;
		if (!known_object(argv[0]) || !strcmp(argv[0], "monitor")) {
			ret = sb_error("line %lu: \"%s\" cannot be batched",
				       lineno, argv[0]);
			break;
		}
		if (do_cmd(argc, argv)) {
			ret = sb_error("batch stopped at line %lu", lineno);
			break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "stats", no_argument, NULL, 's' },
		{ "details", no_argument, NULL, 'd' },
		{ "batch", required_argument, NULL, 'b' },
		{ "Version", no_argument, NULL, 'V' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *batch = NULL;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, "+jpsdb:Vh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json_out = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 's':
			sb_show_stats = true;
			break;
		case 'd':
			sb_show_details = true;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'V':
			printf("slicectl %s\n", SLICECTL_VERSION);
			return 0;
		case 'h':
			return usage_main(stdout);
		default:
			return usage_main(stderr);
		}
	}
	argc -= optind;
	argv += optind;
	if (pretty)
		json_out = true;
	if (!batch) {
		if (!argc)
			return usage_main(stderr);
		if (is_help(argv[0]))
			return usage_main(stdout);
		if (!known_object(argv[0])) {
			sb_error("unknown object \"%s\"", argv[0]);
			return usage_main(stderr);
		}
		if (argc > 1 && is_help(argv[1]) && strcmp(argv[0], "save") &&
		    strcmp(argv[0], "apply"))
			return !strcmp(argv[0], "dev") ? usage_dev(stdout) :
			       !strcmp(argv[0], "slice") ? usage_slice(stdout) :
			       (printf("Usage: slicectl [-j] monitor\n"), 0);
	} else if (argc) {
		sb_error("unexpected \"%s\" with -b", argv[0]);
		return 1;
	}
	if (sb_nl_open(&nl)) {
		sb_nl_close(&nl);
		return 1;
	}
	ret = batch ? do_batch(batch) : do_cmd(argc, argv);
	sb_nl_close(&nl);
	return ret ? 1 : 0;
}
