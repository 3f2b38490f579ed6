// SPDX-License-Identifier: GPL-2.0
/*
 * Runs inside the nested guest (L2) that QEMU gave a slicebus mdev with
 * -device vfio-pci: finds the virtual DSA (8086:0b25), maps its BARs
 * through sysfs, enables it and its WQ with DSA commands, and submits
 * descriptors on guest memory through WQ 0's limited portal.  No guest
 * idxd driver is bound (the guest's idxd refuses to load without
 * MOVDIR64B), so this program drives the device itself.  Guest-physical
 * addresses are the IOVAs QEMU mapped into the VFIO container, so a root
 * program can use /proc/self/pagemap on locked pages instead of a kernel
 * driver.  Prints TAP on the console.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/idxd.h>

#include "../progs/vdsa.h"

static int n, failed;

static void tap(bool ok, const char *what)
{
	printf("%s %d - L2: %s\n", ok ? "ok" : "not ok", ++n, what);
	fflush(stdout);
	failed += !ok;
}

static unsigned int hexfile(const char *dir, const char *name)
{
	char path[512], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	fgets(buf, sizeof(buf), f);
	fclose(f);
	return strtoul(buf, NULL, 16);
}

static void *map_bar(const char *dir, int bar, size_t size)
{
	char path[512];
	void *p;
	int fd;

	snprintf(path, sizeof(path), "%s/resource%d", dir, bar);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

/* Physical address of a locked page. */
static uint64_t phys(void *va)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	pread(fd, &e, 8, ((uintptr_t)va / 4096) * 8);
	close(fd);
	return (e & (1ULL << 63)) ? (e & ((1ULL << 55) - 1)) * 4096 : 0;
}

static volatile uint8_t *regs;
static volatile uint8_t *portal;
static unsigned int slot;

static uint32_t rd32(unsigned int off)
{
	return *(volatile uint32_t *)(regs + off);
}

static uint64_t rd64(unsigned int off)
{
	return *(volatile uint64_t *)(regs + off);
}

/* A synchronous command (no interrupt request): its CMDSTS. */
static uint32_t command(unsigned int cmd, uint32_t operand)
{
	*(volatile uint32_t *)(regs + VDSA_CMD) = VDSA_CMD_WORD(cmd, operand);
	return rd32(VDSA_CMDSTS);
}

/* WQ 0's state in its WQCFG (dword 6), at the offset OFFSETS gives */
static unsigned int wq_state(void)
{
	return VDSA_WQCFG_STATE(rd32(VDSA_OFF_WQCFG(rd64(VDSA_OFFSETS)) + 24));
}

/* Into the next slot of WQ 0's limited portal, as eight 8-byte stores. */
static void submit(const struct dsa_hw_desc *d)
{
	volatile uint64_t *p = (volatile uint64_t *)(portal + VDSA_PORTAL_LIMITED +
						     (slot++ % VDSA_PORTAL_SLOTS) * 64);
	uint64_t q[8];

	memcpy(q, d, sizeof(q));
	for (int i = 0; i < 8; i++)
		p[i] = q[i];	/* trapped MMIO; the store at offset 56 submits */
}

static uint8_t wait_cr(volatile struct dsa_completion_record *cr)
{
	for (int i = 0; i < 200000 && !cr->status; i++)
		usleep(100);
	return cr->status & DSA_COMP_STATUS_MASK;
}

static uint32_t crc32c_sw(uint32_t crc, const uint8_t *p, size_t len)
{
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78 & -(crc & 1));
	}
	return crc;
}

/* Set PCI_COMMAND_MASTER through sysfs: the device runs only with it. */
static bool set_master(const char *dir)
{
	char path[600];
	uint16_t cmd = 0;
	int fd;
	bool ok;

	snprintf(path, sizeof(path), "%s/config", dir);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return false;
	ok = pread(fd, &cmd, 2, 4) == 2;
	cmd |= 0x4;	/* PCI_COMMAND_MASTER */
	ok = ok && pwrite(fd, &cmd, 2, 4) == 2;
	close(fd);
	return ok;
}

int main(void)
{
	char dir[512] = "";
	struct dirent *e;
	DIR *d = opendir("/sys/bus/pci/devices");
	uint8_t *pg[4];
	struct dsa_completion_record *cr;
	struct dsa_hw_desc desc;
	uint32_t sts[3];
	uint64_t wqcap, submitted, completed;
	bool ok;

	while (d && (e = readdir(d))) {
		char p[512];

		snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s", e->d_name);
		if (hexfile(p, "vendor") == VDSA_VENDOR &&
		    hexfile(p, "device") == VDSA_DEVICE)
			snprintf(dir, sizeof(dir), "%s", p);
	}
	tap(dir[0], "the slicebus virtual DSA (8086:0b25) is on the guest's PCI bus");
	if (!dir[0])
		goto out;
	printf("# %s\n", dir);
	regs = map_bar(dir, 0, VDSA_BAR0_SIZE);
	portal = map_bar(dir, 2, VDSA_BAR2_SIZE);
	tap(regs && portal, "BAR0 and BAR2 map");
	if (!regs || !portal)
		goto out;
	tap(set_master(dir), "bus mastering on, as pci_set_master() does");
	wqcap = rd64(VDSA_WQCAP);
	printf("# VERSION %#x, GENCAP %#llx, WQCAP %#llx\n", rd32(VDSA_VERSION),
	       (unsigned long long)rd64(VDSA_GENCAP), (unsigned long long)wqcap);
	tap(rd32(VDSA_VERSION) == VDSA_VERSION_1_0 &&
	    VDSA_WQCAP_NUM_WQS(wqcap) == 1 && VDSA_WQCAP_SIZE(wqcap) > 0,
	    "BAR0 reads a DSA 1.0 register file with one WQ");
	sts[0] = command(VDSA_RESET_DEVICE, 0);
	sts[1] = command(VDSA_ENABLE_DEVICE, 0);
	sts[2] = command(VDSA_ENABLE_WQ, 0);
	printf("# CMDSTS %#x %#x %#x, GENSTS %#x\n", sts[0], sts[1], sts[2],
	       rd32(VDSA_GENSTS));
	tap(!sts[0] && !sts[1] && !sts[2] &&
	    VDSA_GENSTS_STATE(rd32(VDSA_GENSTS)) == 1 && wq_state() == 1,
	    "RESET_DEVICE, ENABLE_DEVICE, ENABLE_WQ: the device and WQ 0 enable");

	for (int i = 0; i < 4; i++) {
		pg[i] = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED | MAP_POPULATE,
			     -1, 0);
		memset(pg[i], 0, 4096);
	}
	for (int i = 0; i < 4096; i++)
		pg[0][i] = (uint8_t)(i * 7 + 3);
	cr = (struct dsa_completion_record *)pg[3];
	submitted = rd64(VDSA_SB_SUBMITTED);
	completed = rd64(VDSA_SB_COMPLETED);

	memset(&desc, 0, sizeof(desc));
	desc.opcode = DSA_OPCODE_MEMMOVE;
	desc.flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR;
	desc.src_addr = phys(pg[0]);
	desc.dst_addr = phys(pg[1]);
	desc.xfer_size = 4096;
	desc.completion_addr = phys(cr);
	submit(&desc);
	tap(wait_cr(cr) == DSA_COMP_SUCCESS && !memcmp(pg[0], pg[1], 4096),
	    "MEMMOVE of a guest page");

	memset(cr, 0, 32);
	desc.opcode = DSA_OPCODE_MEMFILL;
	desc.pattern = 0xa5a5a5a55a5a5a5aULL;
	desc.dst_addr = phys(pg[2]);
	desc.xfer_size = 4096;
	submit(&desc);
	ok = wait_cr(cr) == DSA_COMP_SUCCESS;
	for (int i = 0; i < 4096; i++)
		ok &= pg[2][i] == (uint8_t)(desc.pattern >> (8 * (i % 8)));
	tap(ok, "MEMFILL of a guest page");

	memset(cr, 0, 32);
	desc.opcode = DSA_OPCODE_CRCGEN;
	desc.src_addr = phys(pg[0]);
	desc.crc_seed = 0;
	desc.xfer_size = 4096;
	submit(&desc);
	tap(wait_cr(cr) == DSA_COMP_SUCCESS &&
	    (uint32_t)cr->crc_val == ~crc32c_sw(~0u, pg[0], 4096),
	    "CRCGEN of a guest page equals a software CRC-32C");
	printf("# SB_STATUS %#llx, submitted %llu, completed %llu\n",
	       (unsigned long long)rd64(VDSA_SB_STATUS),
	       (unsigned long long)rd64(VDSA_SB_SUBMITTED),
	       (unsigned long long)rd64(VDSA_SB_COMPLETED));
	tap(rd64(VDSA_SB_STATUS) == VDSA_PORTAL_OK &&
	    rd64(VDSA_SB_SUBMITTED) - submitted == 3 &&
	    rd64(VDSA_SB_COMPLETED) - completed == 3,
	    "slicebus's counters: 3 descriptors submitted and completed, the last portal write queued");
	/* interrupts need a guest kernel driver for MSI-X: not exercised here */
out:
	printf("L2-TESTS-DONE %d %d\n", n, failed);
	fflush(stdout);
	return failed ? 1 : 0;
}
