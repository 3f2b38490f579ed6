// SPDX-License-Identifier: GPL-2.0
/*
 * slicectl: netlink replies to JSON objects, and the human-readable form of
 * the same objects.  Field names are the stable JSON contract (see
 * slicectl(8)); the human form is printed from the JSON so both always
 * show the same thing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/slicebus.h>

#include "slicectl.h"

static uint64_t attr_uint(const struct nlattr *a)
{
	return mnl_attr_get_payload_len(a) == 4 ? mnl_attr_get_u32(a) :
	       mnl_attr_get_u64(a);
}

static bool attr_ok(const struct nlattr *a, enum mnl_attr_data_type t)
{
	if (t == MNL_TYPE_U64)	/* uint: 4 or 8 bytes */
		return mnl_attr_get_payload_len(a) == 4 ||
		       mnl_attr_get_payload_len(a) == 8;
	return mnl_attr_validate(a, t) >= 0;
}

/* {"name": value} entries of a nest of the amount set into @obj. */
static void amount_into(const struct nlattr *nest, struct json_object *obj,
			bool value_or_null)
{
	const struct nlattr *a, *name = NULL, *val = NULL;

	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) == SLICEBUS_A_AMOUNT_NAME &&
		    attr_ok(a, MNL_TYPE_NUL_STRING))
			name = a;
		else if (mnl_attr_get_type(a) == SLICEBUS_A_AMOUNT_VALUE &&
			 attr_ok(a, MNL_TYPE_U64))
			val = a;
	}
	if (!name)
		return;
	if (val)
		json_object_object_add(obj, mnl_attr_get_str(name),
				       json_object_new_uint64(attr_uint(val)));
	else if (value_or_null)
		json_object_object_add(obj, mnl_attr_get_str(name), NULL);
}

static struct json_object *resource_to_json(const struct nlattr *nest)
{
	struct json_object *o = json_object_new_object();
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case SLICEBUS_A_RESOURCE_NAME:
			if (attr_ok(a, MNL_TYPE_NUL_STRING))
				json_object_object_add(o, "name",
					json_object_new_string(mnl_attr_get_str(a)));
			break;
		case SLICEBUS_A_RESOURCE_TOTAL:
		case SLICEBUS_A_RESOURCE_USED:
		case SLICEBUS_A_RESOURCE_FREE: {
			static const char *const k[] = {
				[SLICEBUS_A_RESOURCE_TOTAL] = "total",
				[SLICEBUS_A_RESOURCE_USED] = "used",
				[SLICEBUS_A_RESOURCE_FREE] = "free",
			};
			if (attr_ok(a, MNL_TYPE_U64))
				json_object_object_add(o, k[mnl_attr_get_type(a)],
					json_object_new_uint64(attr_uint(a)));
			break;
		}
		}
	}
	return o;
}

static struct json_object *type_to_json(const struct nlattr *nest)
{
	struct json_object *o = json_object_new_object();
	struct json_object *cost = json_object_new_object();
	struct json_object *avail = json_object_new_object();
	const struct nlattr *a, *b;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case SLICEBUS_A_TYPE_NAME:
			if (attr_ok(a, MNL_TYPE_NUL_STRING))
				json_object_object_add(o, "name",
					json_object_new_string(mnl_attr_get_str(a)));
			break;
		case SLICEBUS_A_TYPE_DESCRIPTION:
			if (attr_ok(a, MNL_TYPE_NUL_STRING))
				json_object_object_add(o, "description",
					json_object_new_string(mnl_attr_get_str(a)));
			break;
		case SLICEBUS_A_TYPE_COST:
			amount_into(a, cost, false);
			break;
		case SLICEBUS_A_TYPE_AVAILABLE: {
			const char *be = NULL;
			uint64_t n = 0;

			mnl_attr_for_each_nested(b, a) {
				if (mnl_attr_get_type(b) == SLICEBUS_A_AVAIL_BACKEND &&
				    attr_ok(b, MNL_TYPE_NUL_STRING))
					be = mnl_attr_get_str(b);
				else if (mnl_attr_get_type(b) == SLICEBUS_A_AVAIL_COUNT &&
					 attr_ok(b, MNL_TYPE_U64))
					n = attr_uint(b);
			}
			if (be)
				json_object_object_add(avail, be,
						       json_object_new_uint64(n));
			break;
		}
		}
	}
	json_object_object_add(o, "cost", cost);
	json_object_object_add(o, "available", avail);
	return o;
}

static struct json_object *backend_to_json(const struct nlattr *nest,
					   struct json_object *resources)
{
	struct json_object *o = json_object_new_object();
	struct json_object *used = json_object_new_object();
	struct json_object *reserve = json_object_new_object();
	struct json_object *limit = json_object_new_object();
	const struct nlattr *a;
	size_t i;

	/* an unset limit is null */
	for (i = 0; i < json_object_array_length(resources); i++) {
		struct json_object *r = json_object_array_get_idx(resources, i);
		struct json_object *name;

		if (json_object_object_get_ex(r, "name", &name))
			json_object_object_add(limit, json_object_get_string(name),
					       NULL);
	}
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case SLICEBUS_A_BACKEND_NAME:
			if (attr_ok(a, MNL_TYPE_NUL_STRING))
				json_object_object_add(o, "name",
					json_object_new_string(mnl_attr_get_str(a)));
			break;
		case SLICEBUS_A_BACKEND_LOADED:
			if (attr_ok(a, MNL_TYPE_U8))
				json_object_object_add(o, "loaded",
					json_object_new_boolean(mnl_attr_get_u8(a)));
			break;
		case SLICEBUS_A_BACKEND_DEFAULT_TYPE:
			if (attr_ok(a, MNL_TYPE_NUL_STRING))
				json_object_object_add(o, "default_type",
					json_object_new_string(mnl_attr_get_str(a)));
			break;
		case SLICEBUS_A_BACKEND_USED:
			amount_into(a, used, false);
			break;
		case SLICEBUS_A_BACKEND_RESERVE:
			amount_into(a, reserve, false);
			break;
		case SLICEBUS_A_BACKEND_LIMIT:
			amount_into(a, limit, true);
			break;
		}
	}
	json_object_object_add(o, "used", used);
	json_object_object_add(o, "reserve", reserve);
	json_object_object_add(o, "limit", limit);
	return o;
}

struct json_object *sb_dev_to_json(const struct nlmsghdr *nlh)
{
	struct json_object *o = json_object_new_object();
	struct json_object *res = json_object_new_array();
	struct json_object *types = json_object_new_array();
	struct json_object *backends = json_object_new_array();
	const struct nlattr *a;
	static const char *const str_keys[] = {
		[SLICEBUS_A_DEV_NAME] = "name",
		[SLICEBUS_A_DEV_DRIVER] = "driver",
		[SLICEBUS_A_DEV_SYSFS] = "sysfs",
		[SLICEBUS_A_DEV_VDPA_MGMTDEV] = "vdpa_mgmtdev",
		[SLICEBUS_A_DEV_CLASS] = "class",
	};

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		uint16_t t = mnl_attr_get_type(a);

		switch (t) {
		case SLICEBUS_A_DEV_NAME:
		case SLICEBUS_A_DEV_DRIVER:
		case SLICEBUS_A_DEV_SYSFS:
		case SLICEBUS_A_DEV_VDPA_MGMTDEV:
		case SLICEBUS_A_DEV_CLASS:
			if (attr_ok(a, MNL_TYPE_NUL_STRING))
				json_object_object_add(o, str_keys[t],
					json_object_new_string(mnl_attr_get_str(a)));
			break;
		case SLICEBUS_A_DEV_SLICES:
			if (attr_ok(a, MNL_TYPE_U32))
				json_object_object_add(o, "slices",
					json_object_new_uint64(mnl_attr_get_u32(a)));
			break;
		case SLICEBUS_A_DEV_RESOURCE:
			json_object_array_add(res, resource_to_json(a));
			break;
		case SLICEBUS_A_DEV_TYPE:
			json_object_array_add(types, type_to_json(a));
			break;
		}
	}
	/* backends last: their null limits need the resource names */
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == SLICEBUS_A_DEV_BACKEND_STATE)
			json_object_array_add(backends, backend_to_json(a, res));
	json_object_object_add(o, "resources", res);
	json_object_object_add(o, "types", types);
	json_object_object_add(o, "backends", backends);
	return o;
}

struct json_object *sb_slice_to_json(const struct nlmsghdr *nlh)
{
	struct json_object *o = json_object_new_object();
	const struct nlattr *a;
	static const char *const str_keys[] = {
		[SLICEBUS_A_SLICE_NAME] = "name",
		[SLICEBUS_A_SLICE_DEV] = "dev",
		[SLICEBUS_A_SLICE_TYPE] = "type",
		[SLICEBUS_A_SLICE_BACKEND] = "backend",
		[SLICEBUS_A_SLICE_HANDLE] = "handle",
	};

	struct json_object *stats = NULL, *options = NULL;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		uint16_t t = mnl_attr_get_type(a);

		switch (t) {
		case SLICEBUS_A_SLICE_OPTION: {
			const struct nlattr *b, *n = NULL, *v = NULL;

			if (!sb_show_details)
				break;
			mnl_attr_for_each_nested(b, a) {
				if (mnl_attr_get_type(b) == SLICEBUS_A_OPTION_NAME &&
				    attr_ok(b, MNL_TYPE_NUL_STRING))
					n = b;
				else if (mnl_attr_get_type(b) == SLICEBUS_A_OPTION_VALUE &&
					 attr_ok(b, MNL_TYPE_NUL_STRING))
					v = b;
			}
			if (!n || !v)
				break;
			if (!options)
				options = json_object_new_object();
			json_object_object_add(options, mnl_attr_get_str(n),
					       json_object_new_string(mnl_attr_get_str(v)));
			break;
		}
		case SLICEBUS_A_SLICE_STATS:
			if (!sb_show_stats)
				break;
			if (!stats)
				stats = json_object_new_object();
			amount_into(a, stats, false);
			break;
		case SLICEBUS_A_SLICE_NAME:
		case SLICEBUS_A_SLICE_DEV:
		case SLICEBUS_A_SLICE_TYPE:
		case SLICEBUS_A_SLICE_BACKEND:
		case SLICEBUS_A_SLICE_HANDLE:
			if (attr_ok(a, MNL_TYPE_NUL_STRING))
				json_object_object_add(o, str_keys[t],
					json_object_new_string(mnl_attr_get_str(a)));
			break;
		case SLICEBUS_A_SLICE_REVOKED:
			json_object_object_add(o, "revoked",
					       json_object_new_boolean(1));
			break;
		}
	}
	if (options)
		json_object_object_add(o, "options", options);
	if (stats)
		json_object_object_add(o, "stats", stats);
	return o;
}

/* ---- human-readable form ---------------------------------------------- */

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ?
	       json_object_get_string(v) : "-";
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

/* " wq 1 wq-entries 16" or " -" for an empty object */
static void print_amounts(struct json_object *obj)
{
	bool any = false;

	json_object_object_foreach(obj, key, val) {
		printf(" %s %s", key, val ? json_object_get_string(val) : "none");
		any = true;
	}
	if (!any)
		printf(" -");
}

void sb_print_dev(struct json_object *dev)
{
	struct json_object *arr;
	size_t i;

	printf("%s: driver %s class %s slices %s\n", str(dev, "name"),
	       str(dev, "driver"), str(dev, "class"), str(dev, "slices"));
	printf("  sysfs %s vdpa_mgmtdev %s\n", str(dev, "sysfs"),
	       str(dev, "vdpa_mgmtdev"));
	arr = get(dev, "resources");
	for (i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *r = json_object_array_get_idx(arr, i);

		printf("  resource %s total %s used %s free %s\n", str(r, "name"),
		       str(r, "total"), str(r, "used"), str(r, "free"));
	}
	arr = get(dev, "types");
	for (i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *t = json_object_array_get_idx(arr, i);

		printf("  type %s cost", str(t, "name"));
		print_amounts(get(t, "cost"));
		printf(" available");
		print_amounts(get(t, "available"));
		printf("\n");
	}
	arr = get(dev, "backends");
	for (i = 0; arr && i < json_object_array_length(arr); i++) {
		struct json_object *b = json_object_array_get_idx(arr, i);
		struct json_object *loaded = get(b, "loaded");

		printf("  backend %s%s used", str(b, "name"),
		       loaded && json_object_get_boolean(loaded) ? "" :
		       " (not loaded)");
		print_amounts(get(b, "used"));
		printf(" reserve");
		print_amounts(get(b, "reserve"));
		printf(" limit");
		print_amounts(get(b, "limit"));
		printf("\n");
	}
}

void sb_print_slice(struct json_object *s)
{
	struct json_object *v;

	printf("%s: dev %s type %s backend %s handle %s%s", str(s, "name"),
	       str(s, "dev"), str(s, "type"), str(s, "backend"),
	       str(s, "handle"),
	       json_object_object_get_ex(s, "revoked", &v) ? " revoked" : "");
	if (json_object_object_get_ex(s, "options", &v) && v) {
		json_object_object_foreach(v, key, val)
			printf(" %s %s", key, json_object_get_string(val));
	}
	printf("\n");
	if (json_object_object_get_ex(s, "stats", &v) && v) {
		printf("    stats");
		json_object_object_foreach(v, key, val)
			printf(" %s %" PRIu64, key, json_object_get_uint64(val));
		printf("\n");
	}
}
