/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual Intel DSA device slicebus_vfio gives a VFIO user for a
 * slice: the parts of the DSA register interface it emulates
 * (Documentation/slicebus/vfio.rst).  Offsets and fields are those of the
 * DSA architecture specification as Linux's idxd driver uses them; the
 * values are this device's: one dedicated WQ, one group, one engine, a
 * configuration that is read-only (GENCAP configuration support 0).
 */
#ifndef _SLICEBUS_VFIO_DSA_H
#define _SLICEBUS_VFIO_DSA_H

#define SBV_PCI_DEVICE_ID_DSA	0x0b25	/* Intel DSA (Sapphire Rapids) */
#define SBV_PCI_CLASS		0x088000	/* system peripheral, other */
#define SBV_PCI_REVISION	0x01
#define SBV_PCI_MSIX_CAP	0x40	/* the only capability */

#define SBV_NVEC		2	/* MSI-X: 0 misc (commands, errors), 1 WQ 0 */

#define SBV_BAR0_SIZE		0x10000	/* BAR0: registers, tables, MSI-X */
#define SBV_BAR2_SIZE		0x4000	/* BAR2: WQ 0's four portal pages */
#define SBV_PORTAL_SLOT		64
#define SBV_PORTAL_PAGES	2	/* unlimited and limited portal */
#define SBV_PORTAL_PAGE_SIZE	0x1000

/* BAR0 */
#define SBV_REG_VERSION		0x00
#define  SBV_VERSION		0x100
#define SBV_REG_GENCAP		0x10
#define  SBV_GENCAP_EVL_SUPPORT	BIT_ULL(13)	/* 64-byte entries */
#define SBV_REG_WQCAP		0x20
#define  SBV_WQCAP_DEDICATED	BIT_ULL(49)
#define SBV_REG_GRPCAP		0x30
#define SBV_REG_ENGCAP		0x38
#define SBV_REG_OPCAP		0x40	/* 256 bits */
#define SBV_REG_OFFSETS		0x60	/* table offsets, in 0x100 units */
#define SBV_REG_GENCFG		0x80
#define  SBV_GENCFG_WMASK	0x3000	/* user_int_en, evl_en */
#define SBV_REG_GENCTRL		0x88
#define  SBV_GENCTRL_SOFTERR_INT_EN	0x1
#define  SBV_GENCTRL_WMASK	0x7	/* softerr, halt, evl interrupts */
#define SBV_REG_GENSTS		0x90
#define  SBV_GENSTS_ENABLED	0x1
#define SBV_REG_INTCAUSE	0x98	/* write 1 to clear */
#define  SBV_INTC_ERR		0x01
#define  SBV_INTC_CMD		0x02
#define SBV_REG_CMD		0xa0
#define  SBV_CMD_OPERAND	0xfffff
#define  SBV_CMD_SHIFT		20
#define  SBV_CMD_INT_REQ	0x80000000
#define SBV_REG_CMDSTS		0xa8
#define SBV_REG_SWERR		0xc0	/* 4 x 64 bits */
#define  SBV_SWERR_VALID	0x1
#define  SBV_SWERR_OVERFLOW	0x2
#define  SBV_SWERR_DESC_VALID	0x4
#define  SBV_SWERR_WQ_IDX_VALID	0x8
#define SBV_REG_EVLCFG		0xe0	/* 2 x 64 bits: kept, never used */

#define SBV_MSIX_PERM		0x300
#define SBV_GRPCFG		0x400
#define SBV_WQCFG		0x500
#define SBV_WQCFG_SIZE		32
#define  SBV_WQCFG_MODE_DEDICATED	0x1
#define  SBV_WQ_PRIORITY	10
#define  SBV_WQ_STATE_ENABLED	1

/*
 * slicebus's own registers, which no DSA has (a DSA driver never reads
 * them): what became of the last portal write, whether the slice was
 * revoked, and the queue's counters.
 */
#define SBV_REG_SB_STATUS	0x1000	/* low: portal status, high: flags */
#define  SBV_PORTAL_OK		0x0
#define  SBV_PORTAL_FULL	0x1	/* WQ full: descriptor dropped */
#define  SBV_PORTAL_DISABLED	0x2	/* WQ or device disabled: dropped */
#define  SBV_PORTAL_NO_MASTER	0x3	/* bus master off: dropped */
#define  SBV_SB_REVOKED		0x1
#define SBV_REG_SB_SUBMITTED	0x1008
#define SBV_REG_SB_REFUSED	0x1010
#define SBV_REG_SB_COMPLETED	0x1018

#define SBV_MSIX_TABLE		0x2000
#define SBV_MSIX_PBA		0x3000

/* commands (CMD bits 24:20) */
enum {
	SBV_CMD_ENABLE_DEVICE = 1,
	SBV_CMD_DISABLE_DEVICE,
	SBV_CMD_DRAIN_ALL,
	SBV_CMD_ABORT_ALL,
	SBV_CMD_RESET_DEVICE,
	SBV_CMD_ENABLE_WQ,
	SBV_CMD_DISABLE_WQ,
	SBV_CMD_DRAIN_WQ,
	SBV_CMD_ABORT_WQ,
	SBV_CMD_RESET_WQ,
	SBV_CMD_DRAIN_PASID,
	SBV_CMD_ABORT_PASID,
};

/* CMDSTS error codes */
#define SBV_CMDSTS_SUCCESS		0x00
#define SBV_CMDSTS_INVAL_CMD		0x01
#define SBV_CMDSTS_INVAL_WQIDX		0x02
#define SBV_CMDSTS_HW_ERR		0x03
#define SBV_CMDSTS_ERR_DEV_ENABLED	0x10
#define SBV_CMDSTS_ERR_BUSMASTER_EN	0x12
#define SBV_CMDSTS_ERR_DEV_NOTEN	0x20
#define SBV_CMDSTS_ERR_WQ_ENABLED	0x21
#define SBV_CMDSTS_ERR_DIS_DEV_EN	0x31

#endif /* _SLICEBUS_VFIO_DSA_H */
