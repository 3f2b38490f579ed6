/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * slicebus generic netlink uAPI.
 *
 * Documentation/netlink/specs/slicebus.yaml describes the same family for
 * YNL; keep both in step.  Attribute sets are numbered from 1, commands and
 * notifications from 1 in the order below.
 */
#ifndef _UAPI_LINUX_SLICEBUS_H
#define _UAPI_LINUX_SLICEBUS_H

#define SLICEBUS_FAMILY_NAME		"slicebus"
#define SLICEBUS_FAMILY_VERSION		1
#define SLICEBUS_MCGRP_EVENTS		"events"

/* Longest slice, device, type or resource name, with its terminating NUL. */
#define SLICEBUS_NAME_LEN		64

/**
 * enum slicebus_backend - consumers a slice can be handed to
 * @SLICEBUS_BACKEND_VFIO: an mdev, used through VFIO (slicebus_vfio)
 * @SLICEBUS_BACKEND_VDPA: a vDPA device (slicebus_vdpa)
 * @SLICEBUS_BACKEND_DMA: a dmaengine channel or an in-kernel user (slicebus_dma)
 */
enum slicebus_backend {
	SLICEBUS_BACKEND_VFIO,
	SLICEBUS_BACKEND_VDPA,
	SLICEBUS_BACKEND_DMA,

	/* private: */
	__SLICEBUS_BACKEND_CNT,
};

/* A named amount: one cost, use, reservation or limit entry. */
enum {
	SLICEBUS_A_AMOUNT_NAME = 1,	/* string: resource name */
	SLICEBUS_A_AMOUNT_VALUE,	/* u64; absent in a limit = no limit */

	__SLICEBUS_A_AMOUNT_MAX,
	SLICEBUS_A_AMOUNT_MAX = (__SLICEBUS_A_AMOUNT_MAX - 1)
};

enum {
	SLICEBUS_A_RESOURCE_NAME = 1,	/* string */
	SLICEBUS_A_RESOURCE_TOTAL,	/* u64 */
	SLICEBUS_A_RESOURCE_USED,	/* u64: held by all backends */
	SLICEBUS_A_RESOURCE_FREE,	/* u64: total - used */

	__SLICEBUS_A_RESOURCE_MAX,
	SLICEBUS_A_RESOURCE_MAX = (__SLICEBUS_A_RESOURCE_MAX - 1)
};

enum {
	SLICEBUS_A_AVAIL_BACKEND = 1,	/* u32: enum slicebus_backend */
	SLICEBUS_A_AVAIL_COUNT,		/* u64: slices that would fit now */

	__SLICEBUS_A_AVAIL_MAX,
	SLICEBUS_A_AVAIL_MAX = (__SLICEBUS_A_AVAIL_MAX - 1)
};

enum {
	SLICEBUS_A_TYPE_NAME = 1,	/* string */
	SLICEBUS_A_TYPE_DESCRIPTION,	/* string */
	SLICEBUS_A_TYPE_COST,		/* nest, multi: amount */
	SLICEBUS_A_TYPE_AVAILABLE,	/* nest, multi: avail, every backend */

	__SLICEBUS_A_TYPE_MAX,
	SLICEBUS_A_TYPE_MAX = (__SLICEBUS_A_TYPE_MAX - 1)
};

enum {
	SLICEBUS_A_BACKEND_ID = 1,	/* u32: enum slicebus_backend */
	SLICEBUS_A_BACKEND_LOADED,	/* u8: 1 when its module is loaded */
	SLICEBUS_A_BACKEND_USED,	/* nest, multi: amount */
	SLICEBUS_A_BACKEND_RESERVE,	/* nest, multi: amount */
	SLICEBUS_A_BACKEND_LIMIT,	/* nest, multi: amount (set limits only) */
	SLICEBUS_A_BACKEND_DEFAULT_TYPE, /* string */

	__SLICEBUS_A_BACKEND_MAX,
	SLICEBUS_A_BACKEND_MAX = (__SLICEBUS_A_BACKEND_MAX - 1)
};

enum {
	SLICEBUS_A_DEV_NAME = 1,	/* string */
	SLICEBUS_A_DEV_DRIVER,		/* string: provider driver */
	SLICEBUS_A_DEV_SYSFS,		/* string: management device directory */
	SLICEBUS_A_DEV_VDPA_MGMTDEV,	/* string: handle for the vdpa tool */
	SLICEBUS_A_DEV_RESOURCE,	/* nest, multi: resource */
	SLICEBUS_A_DEV_TYPE,		/* nest, multi: type */
	SLICEBUS_A_DEV_BACKEND_STATE,	/* nest, multi: backend */
	SLICEBUS_A_DEV_BACKEND,		/* u32: dev-set target backend */
	SLICEBUS_A_DEV_RESERVE,		/* nest, multi: amount (dev-set) */
	SLICEBUS_A_DEV_LIMIT,		/* nest, multi: amount (dev-set) */
	SLICEBUS_A_DEV_SLICES,		/* u32: live slices */

	__SLICEBUS_A_DEV_MAX,
	SLICEBUS_A_DEV_MAX = (__SLICEBUS_A_DEV_MAX - 1)
};

enum {
	SLICEBUS_A_SLICE_NAME = 1,	/* string */
	SLICEBUS_A_SLICE_DEV,		/* string: parent device name */
	SLICEBUS_A_SLICE_TYPE,		/* string: slice type */
	SLICEBUS_A_SLICE_BACKEND,	/* u32: enum slicebus_backend */
	SLICEBUS_A_SLICE_HANDLE,	/* string: mdev UUID, vdpa dev, dma chan */

	__SLICEBUS_A_SLICE_MAX,
	SLICEBUS_A_SLICE_MAX = (__SLICEBUS_A_SLICE_MAX - 1)
};

enum {
	SLICEBUS_CMD_DEV_GET = 1,	/* do / dump */
	SLICEBUS_CMD_DEV_SET,		/* reserve / limit; CAP_NET_ADMIN */
	SLICEBUS_CMD_SLICE_NEW,		/* CAP_NET_ADMIN; replies the slice */
	SLICEBUS_CMD_SLICE_DEL,		/* CAP_NET_ADMIN */
	SLICEBUS_CMD_SLICE_GET,		/* do / dump */
	SLICEBUS_CMD_DEV_NEW_NTF,	/* events: a parent appeared */
	SLICEBUS_CMD_DEV_DEL_NTF,	/* events: a parent is gone */
	SLICEBUS_CMD_DEV_CHANGE_NTF,	/* events: reserve or limit changed */
	SLICEBUS_CMD_SLICE_NEW_NTF,	/* events: a slice was created */
	SLICEBUS_CMD_SLICE_DEL_NTF,	/* events: a slice was deleted */

	__SLICEBUS_CMD_MAX,
	SLICEBUS_CMD_MAX = (__SLICEBUS_CMD_MAX - 1)
};

#endif /* _UAPI_LINUX_SLICEBUS_H */
