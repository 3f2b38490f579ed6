// SPDX-License-Identifier: GPL-2.0
/*
 * slicectl save / apply: a device's definition (its backends' reservations
 * and limits, and its slices) as JSON of the shape "slicectl -j dev show"
 * and "slice show" print, and applying such a definition again.
 *
 *   {"dev":[{"name":"sim0",
 *            "backends":[{"name":"vfio","reserve":{"wq":1,...},
 *                         "limit":{"wq":null,...}}, ...],
 *            "slices":[{"name":"db0","type":"dwq-64","backend":"dma"}, ...]}]}
 *
 * Applying only adds: what exists already and matches is left alone, what
 * exists and differs is reported and left alone, a slice not in the
 * definition stays.  Reservations and limits go first, lowered ones before
 * raised ones, then the slices in the order saved (their creation order):
 * a definition that fitted when it was saved then fits again whatever the
 * order of its slices, as a charge only ever adds to what is used.
 * Whatever cannot be applied now (a backend not loaded, capacity taken by
 * slices the definition does not know) is reported with the kernel's
 * reason and the rest is applied; the exit status says whether all of it
 * was.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "slicectl.h"

#define MAX_ARGS	64

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) && v &&
	       json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static struct json_object *jget(struct json_object *o, const char *key,
				enum json_type type)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) && v &&
	       json_object_is_type(v, type) ? v : NULL;
}

static struct json_object *find_named(struct json_object *arr, const char *name)
{
	size_t i;

	for (i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *o = json_object_array_get_idx(arr, i);

		if (!strcmp(jstr(o, "name") ?: "", name))
			return o;
	}
	return NULL;
}

/* ---- save --------------------------------------------------------------- */

/* A vfio slice that mdevctl keeps a definition of is mdevctl's to restore. */
static bool mdevctl_defines(struct json_object *dev, const char *uuid)
{
	const char *sysfs = jstr(dev, "sysfs"), *parent;
	char path[PATH_MAX];

	if (!sysfs)
		return false;
	parent = strrchr(sysfs, '/');
	parent = parent ? parent + 1 : sysfs;
	snprintf(path, sizeof(path), "/etc/mdevctl.d/%s/%s", parent, uuid);
	return !access(path, F_OK);
}

static struct json_object *save_dev(struct json_object *dev,
				    struct json_object *slices)
{
	struct json_object *o = json_object_new_object();
	struct json_object *bes = json_object_new_array();
	struct json_object *sl = json_object_new_array();
	struct json_object *arr = jget(dev, "backends", json_type_array);
	const char *name = jstr(dev, "name");
	size_t i;

	json_object_object_add(o, "name", json_object_new_string(name));
	for (i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *b = json_object_array_get_idx(arr, i);
		struct json_object *n = json_object_new_object(), *v;

		json_object_object_add(n, "name",
				       json_object_new_string(jstr(b, "name") ?: ""));
		v = jget(b, "reserve", json_type_object);
		json_object_object_add(n, "reserve",
				       v ? json_object_get(v) : json_object_new_object());
		v = jget(b, "limit", json_type_object);
		json_object_object_add(n, "limit",
				       v ? json_object_get(v) : json_object_new_object());
		json_object_array_add(bes, n);
	}
	json_object_object_add(o, "backends", bes);
	for (i = 0; i < json_object_array_length(slices); i++) {
		struct json_object *s = json_object_array_get_idx(slices, i), *n;
		const char *be = jstr(s, "backend") ?: "";

		if (strcmp(jstr(s, "dev") ?: "", name))
			continue;
		/* an in-kernel client's slice is its own to take again */
		if (!strcmp(jstr(s, "handle") ?: "", "kernel"))
			continue;
		/* a revoked slice has no hardware to come back to */
		if (jget(s, "revoked", json_type_boolean))
			continue;
		if (!strcmp(be, "vfio") &&
		    mdevctl_defines(dev, jstr(s, "name") ?: ""))
			continue;
		n = json_object_new_object();
		json_object_object_add(n, "name",
				       json_object_new_string(jstr(s, "name") ?: ""));
		json_object_object_add(n, "type",
				       json_object_new_string(jstr(s, "type") ?: ""));
		json_object_object_add(n, "backend", json_object_new_string(be));
		if (jget(s, "options", json_type_object))
			json_object_object_add(n, "options",
					       json_object_get(jget(s, "options", json_type_object)));
		json_object_array_add(sl, n);
	}
	json_object_object_add(o, "slices", sl);
	return o;
}

int sb_cmd_save(int argc, char **argv)
{
	struct json_object *devs, *slices, *top, *arr;
	size_t i;

	if (argc && !strcmp(argv[0], "help")) {
		printf("Usage: slicectl save [DEV]\n");
		return 0;
	}
	if (argc > 1)
		return sb_error("unexpected \"%s\" after the device name", argv[1]);
	devs = sb_fetch_devs(argc ? argv[0] : NULL);
	if (!devs)
		return -1;
	sb_show_details = true;		/* the slices' options */
	slices = sb_fetch_slices();
	if (!slices) {
		json_object_put(devs);
		return -1;
	}
	top = json_object_new_object();
	arr = json_object_new_array();
	for (i = 0; i < json_object_array_length(devs); i++)
		json_object_array_add(arr, save_dev(json_object_array_get_idx(devs, i),
						    slices));
	json_object_object_add(top, "dev", arr);
	printf("%s\n", json_object_to_json_string_ext(top,
	       JSON_C_TO_STRING_NOSLASHESCAPE | JSON_C_TO_STRING_PRETTY |
	       JSON_C_TO_STRING_SPACED));
	json_object_put(top);
	json_object_put(devs);
	json_object_put(slices);
	return 0;
}

/* ---- apply -------------------------------------------------------------- */

struct apply {
	bool dry_run;
	const char *backend;	/* only what concerns it, or NULL */
	const char *file;	/* for messages */
	unsigned int failed;
	unsigned int done;
};

struct cmd {
	char *argv[MAX_ARGS];
	char buf[MAX_ARGS][80];
	int argc;
};

static void cmd_add(struct cmd *c, const char *s)
{
	if (c->argc >= MAX_ARGS - 1)
		return;
	snprintf(c->buf[c->argc], sizeof(c->buf[0]), "%s", s);
	c->argv[c->argc] = c->buf[c->argc];
	c->argc++;
	c->argv[c->argc] = NULL;
}

static void cmd_print(FILE *f, const struct cmd *c)
{
	int i;

	for (i = 0; i < c->argc; i++)
		fprintf(f, "%s%s", i ? " " : "", c->argv[i]);
	fputc('\n', f);
}

static void cmd_log(int prio, const char *dev, const char *what,
		    const struct cmd *c)
{
	char line[1024];
	size_t n = 0;
	int i;

	if (!sb_syslog)
		return;
	for (i = 0; i < c->argc && n < sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - n, "%s%s", i ? " " : "",
			      c->argv[i]);
	syslog(prio, "%s: %s: %s", dev, what, line);
}

/* Run (or, dry, print) one command; a failure is counted and named. */
static void run(struct apply *a, const char *dev, struct cmd *c)
{
	if (a->dry_run) {
		cmd_print(stdout, c);
		a->done++;
		return;
	}
	if (sb_run(c->argc, c->argv)) {
		fprintf(stderr, "Error: %s: not applied: ", dev);
		cmd_print(stderr, c);
		cmd_log(LOG_ERR, dev, "not applied", c);
		a->failed++;
		return;
	}
	cmd_print(stdout, c);
	cmd_log(LOG_INFO, dev, "applied", c);
	a->done++;
}

static bool same_amount(struct json_object *want, struct json_object *have)
{
	if (!want || !have)
		return !want && !have;
	return json_object_get_uint64(want) == json_object_get_uint64(have);
}

/*
 * The "dev set" that makes backend @b of @cur what @want says, in @c;
 * false when nothing differs.  @lowering: whether any reservation goes
 * down (those go first).
 */
static bool backend_cmd(const char *dev, struct json_object *want,
			struct json_object *cur, struct cmd *c, bool *lowering,
			struct apply *a)
{
	struct json_object *wr = jget(want, "reserve", json_type_object);
	struct json_object *wl = jget(want, "limit", json_type_object);
	struct json_object *cr = jget(cur, "reserve", json_type_object);
	struct json_object *cl = jget(cur, "limit", json_type_object);
	char num[32];

	c->argc = 0;
	*lowering = false;
	cmd_add(c, "dev");
	cmd_add(c, "set");
	cmd_add(c, dev);
	cmd_add(c, "backend");
	cmd_add(c, jstr(want, "name"));
	if (wr) {
		json_object_object_foreach(wr, res, val) {
			struct json_object *have = NULL;

			if (!val || !json_object_is_type(val, json_type_int)) {
				sb_error("%s: %s: reserve of %s is not a number",
					a->file, dev, res);
				a->failed++;
				continue;
			}
			if (cr)
				json_object_object_get_ex(cr, res, &have);
			if (have && same_amount(val, have))
				continue;
			if (have && json_object_get_uint64(val) < json_object_get_uint64(have))
				*lowering = true;
			snprintf(num, sizeof(num), "%" PRIu64, json_object_get_uint64(val));
			cmd_add(c, "reserve");
			cmd_add(c, res);
			cmd_add(c, num);
		}
	}
	if (wl) {
		json_object_object_foreach(wl, res, val) {
			struct json_object *have = NULL;
			bool known = cl && json_object_object_get_ex(cl, res, &have);

			if (val && !json_object_is_type(val, json_type_int)) {
				sb_error("%s: %s: limit of %s is not a number or null",
					a->file, dev, res);
				a->failed++;
				continue;
			}
			if (known && same_amount(val, have))
				continue;
			if (val)
				snprintf(num, sizeof(num), "%" PRIu64,
					 json_object_get_uint64(val));
			cmd_add(c, "limit");
			cmd_add(c, res);
			cmd_add(c, val ? num : "none");
		}
	}
	return c->argc > 5;
}

static void apply_backends(struct apply *a, const char *dev,
			   struct json_object *want, struct json_object *cur)
{
	struct json_object *bes = jget(want, "backends", json_type_array);
	struct json_object *have = jget(cur, "backends", json_type_array);
	size_t i, n = bes ? json_object_array_length(bes) : 0;
	struct cmd *c = calloc(n ?: 1, sizeof(*c));
	bool *lowering = calloc(n ?: 1, sizeof(*lowering));
	bool *todo = calloc(n ?: 1, sizeof(*todo));
	int pass;

	if (!c || !lowering || !todo) {
		sb_error("out of memory");
		a->failed++;
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct json_object *b = json_object_array_get_idx(bes, i);
		const char *name = jstr(b, "name");
		struct json_object *hb;

		if (!name || (a->backend && strcmp(a->backend, name)))
			continue;
		hb = find_named(have, name);
		if (!hb) {
			sb_error("%s: %s: backend %s is not known to the kernel (its module never loaded?)",
				a->file, dev, name);
			a->failed++;
			continue;
		}
		todo[i] = backend_cmd(dev, b, hb, &c[i], &lowering[i], a);
	}
	/* lowered reservations first, so that raised ones find the room */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < n; i++)
			if (todo[i] && lowering[i] == !pass)
				run(a, dev, &c[i]);
out:
	free(c);
	free(lowering);
	free(todo);
}

/* Whether a slice that exists has every option the definition gives. */
static bool same_options(struct json_object *want, struct json_object *have)
{
	if (!want)
		return true;
	json_object_object_foreach(want, key, val) {
		const char *h = jstr(have, key);

		if (!h || !val || strcmp(h, json_object_get_string(val)))
			return false;
	}
	return true;
}

static void apply_slices(struct apply *a, const char *dev,
			 struct json_object *want, struct json_object *slices)
{
	struct json_object *sl = jget(want, "slices", json_type_array);
	size_t i;

	for (i = 0; sl && i < json_object_array_length(sl); i++) {
		struct json_object *s = json_object_array_get_idx(sl, i);
		const char *name = jstr(s, "name"), *type = jstr(s, "type");
		const char *be = jstr(s, "backend");
		struct json_object *opts = jget(s, "options", json_type_object);
		struct json_object *have;
		struct cmd c = { .argc = 0 };

		if (!name || !be) {
			sb_error("%s: %s: slice %zu has no %s",
				a->file, dev, i, name ? "backend" : "name");
			a->failed++;
			continue;
		}
		if (a->backend && strcmp(a->backend, be))
			continue;
		have = find_named(slices, name);
		if (have) {
			if (strcmp(jstr(have, "dev") ?: "", dev) ||
			    strcmp(jstr(have, "backend") ?: "", be) ||
			    (type && strcmp(jstr(have, "type") ?: "", type)) ||
			    !same_options(opts, jget(have, "options", json_type_object))) {
				sb_error("%s: %s: slice %s exists as dev %s type %s backend %s%s; left alone",
					a->file, dev, name, jstr(have, "dev") ?: "-",
					jstr(have, "type") ?: "-",
					jstr(have, "backend") ?: "-",
					same_options(opts, jget(have, "options",
								json_type_object)) ?
					"" : " with other options");
				a->failed++;
			}
			continue;
		}
		cmd_add(&c, "slice");
		cmd_add(&c, "add");
		cmd_add(&c, dev);
		if (type) {
			cmd_add(&c, "type");
			cmd_add(&c, type);
		}
		cmd_add(&c, "backend");
		cmd_add(&c, be);
		cmd_add(&c, "name");
		cmd_add(&c, name);
		if (opts) {
			json_object_object_foreach(opts, key, val) {
				cmd_add(&c, key);
				cmd_add(&c, val ? json_object_get_string(val) : "");
			}
		}
		run(a, dev, &c);
	}
}

static void apply_doc(struct apply *a, struct json_object *doc)
{
	struct json_object *devs = jget(doc, "dev", json_type_array);
	size_t i;

	if (!devs) {
		sb_error("%s: no \"dev\" list", a->file);
		a->failed++;
		return;
	}
	for (i = 0; i < json_object_array_length(devs); i++) {
		struct json_object *want = json_object_array_get_idx(devs, i);
		const char *dev = jstr(want, "name");
		struct json_object *cur, *slices;

		if (!dev) {
			sb_error("%s: device %zu has no name",
				a->file, i);
			a->failed++;
			continue;
		}
		sb_nl_quiet = true;
		cur = sb_fetch_devs(dev);
		sb_nl_quiet = false;
		if (!cur) {
			/* its own event applies it when it appears */
			fprintf(stderr, "%s: not present; skipped\n", dev);
			if (sb_syslog)
				syslog(LOG_INFO, "%s: not present; skipped", dev);
			continue;
		}
		apply_backends(a, dev, want, json_object_array_get_idx(cur, 0));
		sb_show_details = true;		/* the slices' options */
		slices = sb_fetch_slices();
		if (slices)
			apply_slices(a, dev, want, slices);
		else
			a->failed++;
		json_object_put(slices);
		json_object_put(cur);
	}
}

static void apply_file(struct apply *a, const char *path)
{
	struct json_object *doc = json_object_from_file(path);

	a->file = path;
	if (!doc) {
		sb_error("%s: %s", path, json_util_get_last_err() ?:
			"not JSON");
		a->failed++;
		return;
	}
	apply_doc(a, doc);
	json_object_put(doc);
}

static int json_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

static void apply_path(struct apply *a, const char *path)
{
	struct dirent **names;
	char file[PATH_MAX];
	int n, i;

	n = scandir(path, &names, json_name, alphasort);
	if (n < 0) {
		if (errno == ENOTDIR) {
			apply_file(a, path);
			return;
		}
		sb_error("%s: %s", path, strerror(errno));
		a->failed++;
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(file, sizeof(file), "%s/%s", path, names[i]->d_name);
		apply_file(a, file);
		free(names[i]);
	}
	free(names);
}

int sb_cmd_apply(int argc, char **argv)
{
	struct apply a = { 0 };
	int i, paths = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run") || !strcmp(argv[i], "-n")) {
			a.dry_run = true;
		} else if (!strcmp(argv[i], "--syslog")) {
			if (!sb_syslog)
				openlog("slicebus", LOG_PID, LOG_DAEMON);
			sb_syslog = true;
		} else if (!strcmp(argv[i], "--backend")) {
			if (i + 1 >= argc)
				return sb_error("\"--backend\" needs a backend name");
			/* udev passes an empty name for "all of it" */
			a.backend = *argv[++i] ? argv[i] : NULL;
		} else if (!strcmp(argv[i], "help") || !strcmp(argv[i], "--help")) {
			printf("Usage: slicectl apply [ --dry-run ] [ --syslog ] [ --backend NAME ] { FILE | DIR }...\n");
			return 0;
		} else if (argv[i][0] == '-') {
			return sb_error("unknown option \"%s\" of \"apply\"", argv[i]);
		} else {
			paths++;
		}
	}
	if (!paths)
		return sb_error("\"apply\" needs a file or a directory of DEV.json files");
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--backend"))
			i++;
		else if (argv[i][0] != '-')
			apply_path(&a, argv[i]);
	}
	return a.failed ? -1 : 0;
}
