/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test clients' view of the virtual DSA device slicebus_vfio gives a
 * VFIO user (Documentation/slicebus/vfio.rst): PCI 8086:0b25, BAR0 the
 * DSA register file (offsets of the DSA architecture specification), BAR2
 * WQ 0's portals, MSI-X vector 0 for commands and errors and vector 1 for
 * WQ 0.  Written from the specification and the documentation, apart
 * from the kernel's own definitions, so that the tests are a second
 * client of the device.
 */
#ifndef VDSA_H
#define VDSA_H

#include <stdint.h>

#define VDSA_VENDOR		0x8086
#define VDSA_DEVICE		0x0b25
#define VDSA_NVEC		2
#define VDSA_VEC_MISC		0
#define VDSA_VEC_WQ0		1

#define VDSA_BAR0_SIZE		0x10000
#define VDSA_BAR2_SIZE		0x4000
#define VDSA_PORTAL_LIMITED	0x1000	/* WQ 0's limited portal page in BAR2 */
#define VDSA_PORTAL_SLOTS	64	/* 64-byte slots in a portal page */

/* BAR0 registers */
#define VDSA_VERSION		0x00
#define VDSA_GENCAP		0x10
#define  VDSA_GENCAP_CONFIG_EN		(1ULL << 31)
#define  VDSA_GENCAP_MAX_XFER_SHIFT(g)	(((g) >> 16) & 0x1f)
#define  VDSA_GENCAP_MAX_BATCH_SHIFT(g)	(((g) >> 21) & 0xf)
#define VDSA_WQCAP		0x20
#define  VDSA_WQCAP_SIZE(w)	((w) & 0xffff)
#define  VDSA_WQCAP_NUM_WQS(w)	(((w) >> 16) & 0xff)
#define VDSA_GRPCAP		0x30
#define VDSA_ENGCAP		0x38
#define VDSA_OPCAP		0x40	/* 4 x 64 bits */
#define VDSA_OFFSETS		0x60
#define VDSA_GENCFG		0x80
#define VDSA_GENCTRL		0x88
#define  VDSA_GENCTRL_SOFTERR_INT_EN	0x1
#define VDSA_GENSTS		0x90
#define  VDSA_GENSTS_STATE(s)	((s) & 3)	/* 0 disabled, 1 enabled */
#define VDSA_INTCAUSE		0x98	/* write 1 to clear */
#define  VDSA_INTC_ERR		0x01
#define  VDSA_INTC_CMD		0x02
#define VDSA_CMD		0xa0
#define  VDSA_CMD_INT_REQ	0x80000000u
#define VDSA_CMDSTS		0xa8
#define  VDSA_CMDSTS_ACTIVE	0x80000000u
#define VDSA_SWERR		0xc0	/* 4 x 64 bits */
#define  VDSA_SWERR_VALID	0x1
#define  VDSA_SWERR_OVERFLOW	0x2
#define  VDSA_SWERR_ERROR(q0)	(((q0) >> 8) & 0xff)
#define VDSA_SWERR_ADDR		0xd0	/* SWERR qword 2: fault address */

/* tables, at the offsets the OFFSETS register gives (units of 0x100) */
#define VDSA_OFF_GRPCFG(o)	(((o) & 0xffff) * 0x100)
#define VDSA_OFF_WQCFG(o)	((((o) >> 16) & 0xffff) * 0x100)
#define VDSA_OFF_MSIX_PERM(o)	((((o) >> 32) & 0xffff) * 0x100)
#define VDSA_WQCFG_STATE(dw6)	(((dw6) >> 30) & 3)	/* 1: enabled */

/* slicebus's own registers (no DSA has them) */
#define VDSA_SB_STATUS		0x1000
#define  VDSA_PORTAL_OK		0
#define  VDSA_PORTAL_FULL	1
#define  VDSA_PORTAL_DISABLED	2
#define  VDSA_PORTAL_NO_MASTER	3
#define  VDSA_SB_REVOKED	(1ULL << 32)
#define VDSA_SB_SUBMITTED	0x1008
#define VDSA_SB_REFUSED		0x1010
#define VDSA_SB_COMPLETED	0x1018

#define VDSA_MSIX_TABLE		0x2000

/* commands: CMD = INT_REQ? | cmd << 20 | operand */
enum {
	VDSA_ENABLE_DEVICE = 1,
	VDSA_DISABLE_DEVICE,
	VDSA_DRAIN_ALL,
	VDSA_ABORT_ALL,
	VDSA_RESET_DEVICE,
	VDSA_ENABLE_WQ,
	VDSA_DISABLE_WQ,
	VDSA_DRAIN_WQ,
	VDSA_ABORT_WQ,
	VDSA_RESET_WQ,
};

#define VDSA_CMD_WORD(cmd, operand)	((uint32_t)(cmd) << 20 | (operand))

/* CMDSTS error codes */
#define VDSA_ST_SUCCESS		0x00
#define VDSA_ST_INVAL_CMD	0x01
#define VDSA_ST_INVAL_WQIDX	0x02
#define VDSA_ST_HW_ERR		0x03
#define VDSA_ST_DEV_ENABLED	0x10
#define VDSA_ST_BUSMASTER_EN	0x12
#define VDSA_ST_DEV_NOTEN	0x20
#define VDSA_ST_WQ_ENABLED	0x21
#define VDSA_ST_DIS_DEV_EN	0x31

/* VERSION of this device: DSA 1.0 (vfio_hostile, l2_test) */
#define VDSA_VERSION_1_0	0x100

#endif /* VDSA_H */
