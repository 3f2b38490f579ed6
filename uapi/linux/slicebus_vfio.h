/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * The device a VM or a userspace driver sees for a slicebus VFIO slice:
 * a vfio-pci mdev (emulated IOMMU) with
 *
 *   config space   256 bytes, type 0 header, an MSI capability
 *   BAR0           4 KiB MMIO register file (below)
 *   BAR2           4 KiB MMIO submission portal
 *
 * Interrupts: MSI (1 vector) or MSI-X (1 vector, VFIO index only) through
 * eventfds, and the VFIO request notification.  No INTx.
 *
 * A descriptor is a 64-byte struct dsa_hw_desc (<linux/idxd.h>).  All its
 * addresses (source, destination, completion record, batch list) are IOVAs
 * of the VFIO container or IOAS the device is attached to; the device
 * reaches them only through VFIO's DMA access (vfio_dma_rw), so an address
 * the user did not map completes with DSA_COMP_PAGE_FAULT_NOBOF and touches
 * nothing.  Completion records are written at completion_addr (32-byte
 * aligned) when IDXD_OP_FLAG_CRAV is set and either IDXD_OP_FLAG_RCR is set
 * or the status is not success; IDXD_OP_FLAG_RCI raises the interrupt.
 *
 * The device runs descriptors only while bus mastering is on
 * (PCI_COMMAND_MASTER): submitted with it off they are refused
 * (PORTAL_STATUS NO_MASTER), and clearing it stops the device as clearing
 * CTRL.ENABLE does; STATUS.ENABLED reads 0 meanwhile.
 */
#ifndef _UAPI_LINUX_SLICEBUS_VFIO_H
#define _UAPI_LINUX_SLICEBUS_VFIO_H

/*
 * PCI identity.  0x1b36 is Red Hat's vendor ID (the one QEMU's emulated
 * devices use) and 0x5b10 is not a device ID Red Hat assigned: this is an
 * unregistered identity, kept only until the device becomes the virtual
 * Intel DSA 8086:0b25 that emulates the DSA register file.  There is no
 * honest replacement short of that or a registered ID: PCI reserves no
 * vendor ID for unregistered devices; 0xffff and 0x0000 read as "no
 * device" to Linux (pci_bus_generic_read_dev_vendor_id()) and firmware,
 * 0x0001 is the configuration retry status, and the ID of a real device
 * would bind that device's driver to this one.  No Linux driver matches
 * 1b36:5b10; nothing may rely on the ID: match on it only to find this
 * device.
 */
#define SBV_PCI_VENDOR_ID	0x1b36
#define SBV_PCI_DEVICE_ID	0x5b10
#define SBV_PCI_SUBVENDOR_ID	0x1b36
#define SBV_PCI_SUBDEVICE_ID	0x0001
#define SBV_PCI_CLASS		0x088000	/* system peripheral, other */
#define SBV_PCI_REVISION	0x01
#define SBV_PCI_MSI_CAP		0x50		/* MSI capability offset */

#define SBV_BAR0_SIZE		4096
#define SBV_BAR2_SIZE		4096

/* BAR0 registers; 32-bit unless noted, little endian. */
#define SBV_REG_VERSION		0x00	/* RO: 0x00010000 */
#define SBV_REG_WQ_SIZE		0x08	/* RO: descriptors the WQ holds */
#define SBV_REG_MAX_XFER	0x0c	/* RO: bytes per descriptor */
#define SBV_REG_MAX_BATCH	0x10	/* RO: descriptors per BATCH */
#define SBV_REG_OPCAP		0x20	/* RO: 256-bit opcode bitmap, 8 x u32 */
#define SBV_REG_CTRL		0x40	/* RW */
#define  SBV_CTRL_ENABLE	0x1	/*  accept descriptors */
#define  SBV_CTRL_RESET		0x2	/*  W: reset the device, reads 0 */
#define SBV_REG_STATUS		0x44	/* RO */
#define  SBV_STATUS_ENABLED	0x1
#define  SBV_STATUS_ERROR	0x2	/*  SWERR holds an error */
#define SBV_REG_SWERR		0x48	/* RW1C: error code, 0 = none */
#define  SBV_SWERR_CR_WRITE	0x1	/*  a completion record was not written */
#define  SBV_SWERR_REVOKED	0x2	/*  the WQ went away: out of service */
#define SBV_REG_SWERR_ADDR	0x50	/* RO, 64-bit: its completion_addr */
#define SBV_REG_PORTAL_STATUS	0x58	/* RO: result of the last submission */
#define  SBV_PORTAL_OK		0x0
#define  SBV_PORTAL_FULL	0x1	/*  WQ full: descriptor refused */
#define  SBV_PORTAL_DISABLED	0x2	/*  device not enabled (or revoked): refused */
#define  SBV_PORTAL_NO_MASTER	0x3	/*  bus master off (PCI_COMMAND): refused */
#define SBV_REG_SUBMITTED	0x60	/* RO, 64-bit: descriptors accepted */
#define SBV_REG_REFUSED		0x68	/* RO, 64-bit: descriptors refused */
#define SBV_REG_COMPLETED	0x70	/* RO, 64-bit: descriptors completed */

#define SBV_VERSION		0x00010000

/*
 * BAR2: 64 portal slots of 64 bytes.  A descriptor is assembled from writes
 * of 4 or 8 bytes (or one 64-byte write) to one slot; writing the slot's
 * last 8 bytes (offset 56) submits it.  A refused submission is counted and
 * reported in PORTAL_STATUS (and as -EAGAIN to a write() of the region);
 * nothing is dropped silently.  Reads return 0.
 */
#define SBV_PORTAL_SLOT		64

#endif /* _UAPI_LINUX_SLICEBUS_VFIO_H */
