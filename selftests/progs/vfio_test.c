// SPDX-License-Identifier: GPL-2.0
/*
 * A userspace driver for the slicebus VFIO device, the virtual Intel DSA
 * 8086:0b25 (vdsa.h), on the container/group/type1 uAPI as QEMU uses it.
 * Prints TAP.
 *
 *   vfio_test UUID [UUID2]     functional tests; with UUID2, isolation
 *   vfio_test -f N UUID        N random region accesses and ioctls
 *   vfio_test -r UUID          hold the device until asked to release it
 *   vfio_test -i S UUID        hold it, ignoring every request to release
 *                              it, until standard input ends (S seconds
 *                              at most)
 *   vfio_test -c N UUID        N MEMMOVEs of 64 KiB (prints MB/s)
 *   vfio_test -x UUID          one MEMMOVE; prints its completion status
 *   vfio_test -m N UUID        N CPU memcpys of 64 KiB, the baseline of -c
 *   vfio_test -u UUID          unmap IOVA under descriptors in flight
 *   vfio_test -o UUID          four MEMFILLs in flight on one cache line
 *   vfio_test -b UUID          bus master off: nothing reaches memory
 *   vfio_test -U N UUID        N unmaps of a buffer under racing submissions
 *   vfio_test -a UUID          malformed accesses, reset under descriptors
 *   vfio_test -D UUID          DRAIN_WQ and ABORT_WQ under queued descriptors
 *   vfio_test -R UUID          the WQ revoked under the open device
 *                              ($SB_HOTPLUG names slicesim's control file)
 *   vfio_test -C UUID          config space and MSI-X table reset on open
 *
 * The device is brought up as a DSA driver does a dedicated WQ: PCI
 * command memory and bus master on, RESET_DEVICE, ENABLE_DEVICE,
 * ENABLE_WQ(0), each checked in CMDSTS; descriptors go through WQ 0's
 * limited portal (BAR2 + 0x1000), one 64-byte slot after the other;
 * completions asking for an interrupt name MSI-X vector 1 in int_handle.
 *
 * The modes after -o are attacks (selftests/hostile/30-vfio.sh runs them
 * with the engine slowed): each asserts that nothing the user no longer
 * lets the device reach is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/idxd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vdsa.h"

#define IOVA	0x10000000ULL
#define MEMSZ	(4UL << 20)
#define SRC	0x000000UL	/* offsets in the mapped memory */
#define DST	0x100000UL
#define AUX	0x200000UL
#define CRS	0x300000UL	/* completion records */

#define CFG	VFIO_PCI_CONFIG_REGION_INDEX
#define BAR0	VFIO_PCI_BAR0_REGION_INDEX
#define BAR2	VFIO_PCI_BAR2_REGION_INDEX
#define MSIX	VFIO_PCI_MSIX_IRQ_INDEX

#define BAD_OPCODE	0x7f	/* no DSA opcode */
#define BAD_COMMAND	0x1f	/* no DSA command */

struct vdev {
	int container, group, fd, req;
	int efd[VDSA_NVEC];		/* MSI-X vectors' eventfds */
	uint64_t off[VFIO_PCI_NUM_REGIONS], size[VFIO_PCI_NUM_REGIONS];
	uint8_t *mem;
	uint64_t iova;
	unsigned int slot;
};

static int n_test, n_fail;

static void tap(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++n_test);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		n_fail++;
}

/* Write the PCI command register, as a driver's pci_set_master() does. */
static void command(struct vdev *v, uint16_t bits)
{
	pwrite(v->fd, &bits, 2, v->off[CFG] + PCI_COMMAND);
}

static int vopen(struct vdev *v, const char *uuid, uint64_t iova)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	char path[512], link[512];
	ssize_t n;

	memset(v, 0, sizeof(*v));
	v->efd[0] = v->efd[1] = -1;
	v->iova = iova;
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group", uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return perror(path), -1;
	link[n] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	v->container = open("/dev/vfio/vfio", O_RDWR);
	v->group = open(path, O_RDWR);
	if (v->container < 0 || v->group < 0)
		return perror("open vfio"), -1;
	if (ioctl(v->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    !ioctl(v->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU))
		return fprintf(stderr, "no type1v2\n"), -1;
	if (ioctl(v->group, VFIO_GROUP_GET_STATUS, &gs) ||
	    !(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		return fprintf(stderr, "group not viable\n"), -1;
	if (ioctl(v->group, VFIO_GROUP_SET_CONTAINER, &v->container) ||
	    ioctl(v->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return perror("container"), -1;
	v->fd = ioctl(v->group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (v->fd < 0)
		return perror("get device fd"), -1;
	v->mem = mmap(NULL, MEMSZ, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (v->mem == MAP_FAILED)
		return perror("mmap"), -1;
	memset(v->mem, 0, MEMSZ);
	map.vaddr = (uintptr_t)v->mem;
	map.iova = iova;
	map.size = MEMSZ;
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	if (ioctl(v->container, VFIO_IOMMU_MAP_DMA, &map))
		return perror("map dma"), -1;
	for (unsigned int i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		struct vfio_region_info ri = { .argsz = sizeof(ri), .index = i };

		if (!ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO, &ri)) {
			v->off[i] = ri.offset;
			v->size[i] = ri.size;
		}
	}
	/* as pci_enable_device() and pci_set_master() do */
	command(v, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	return 0;
}

static void vclose(struct vdev *v)
{
	close(v->fd);
	close(v->group);
	close(v->container);
	munmap(v->mem, MEMSZ);
}

static uint32_t cfg32(struct vdev *v, unsigned int off)
{
	uint32_t x = 0;

	pread(v->fd, &x, 4, v->off[CFG] + off);
	return x;
}

static void cfgw32(struct vdev *v, unsigned int off, uint32_t val)
{
	pwrite(v->fd, &val, 4, v->off[CFG] + off);
}

/* BAR0 register at @off, 4 or 8 bytes */
static uint64_t rd(struct vdev *v, unsigned int off, int size)
{
	uint64_t x = 0;

	pread(v->fd, &x, size, v->off[BAR0] + off);
	return x;
}

static void wr(struct vdev *v, unsigned int off, uint32_t val)
{
	pwrite(v->fd, &val, 4, v->off[BAR0] + off);
}

static void wr64(struct vdev *v, unsigned int off, uint64_t val)
{
	pwrite(v->fd, &val, 8, v->off[BAR0] + off);
}

/*
 * Run a command without an interrupt request: the device completes it
 * before the write returns, so CMDSTS (error code, never ACTIVE) is its
 * answer.
 */
static uint32_t dsa_cmd(struct vdev *v, unsigned int cmd, uint32_t operand)
{
	wr(v, VDSA_CMD, VDSA_CMD_WORD(cmd, operand));
	return rd(v, VDSA_CMDSTS, 4);
}

/* As a DSA driver brings up a dedicated WQ: 0, or the failing CMDSTS. */
static uint32_t enable(struct vdev *v)
{
	uint32_t st;

	command(v, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	st = dsa_cmd(v, VDSA_RESET_DEVICE, 0);
	if (!st)
		st = dsa_cmd(v, VDSA_ENABLE_DEVICE, 0);
	if (!st)
		st = dsa_cmd(v, VDSA_ENABLE_WQ, 0);
	return st;
}

static unsigned int wqcfg_off(struct vdev *v)
{
	return VDSA_OFF_WQCFG(rd(v, VDSA_OFFSETS, 8));
}

static uint32_t wqcfg(struct vdev *v, unsigned int dw)
{
	return rd(v, wqcfg_off(v) + 4 * dw, 4);
}

/* GENSTS: the device enabled */
static bool dev_on(struct vdev *v)
{
	return VDSA_GENSTS_STATE(rd(v, VDSA_GENSTS, 4)) == 1;
}

/* WQCFG: WQ 0 enabled */
static bool wq_on(struct vdev *v)
{
	return VDSA_WQCFG_STATE(wqcfg(v, 6)) == 1;
}

/* SB_STATUS: what became of the last portal write */
static uint32_t portal_status(struct vdev *v)
{
	return (uint32_t)rd(v, VDSA_SB_STATUS, 8);
}

static bool revoked_bit(struct vdev *v)
{
	return rd(v, VDSA_SB_STATUS, 8) & VDSA_SB_REVOKED;
}

static bool opcap(struct vdev *v, unsigned int op)
{
	return rd(v, VDSA_OPCAP + 8 * (op / 64), 8) >> (op % 64) & 1;
}

/* Submit through the next slot of the limited portal; -1 with errno on refusal. */
static int submit(struct vdev *v, const struct dsa_hw_desc *d)
{
	uint64_t off = v->off[BAR2] + VDSA_PORTAL_LIMITED +
		       (v->slot++ % VDSA_PORTAL_SLOTS) * sizeof(*d);

	return pwrite(v->fd, d, sizeof(*d), off) == sizeof(*d) ? 0 : -1;
}

static struct dsa_completion_record *cr_at(struct vdev *v, unsigned int i)
{
	return (struct dsa_completion_record *)(v->mem + CRS + i * 32);
}

static struct dsa_hw_desc desc(struct vdev *v, uint8_t op, unsigned int cri)
{
	struct dsa_hw_desc d;

	memset(&d, 0, sizeof(d));
	d.opcode = op;
	d.flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR;
	d.completion_addr = v->iova + CRS + cri * 32;
	memset(cr_at(v, cri), 0, 32);
	return d;
}

/* Wait for completion record @cri; its status, or 0xff on timeout. */
static uint8_t waitcr(struct vdev *v, unsigned int cri)
{
	volatile uint8_t *st = &cr_at(v, cri)->status;

	for (int i = 0; i < 20000 && !*st; i++)
		usleep(500);
	return *st ? (*st & DSA_COMP_STATUS_MASK) : 0xff;
}

/*
 * The same, polling as a DSA user does (the status byte, no sleep between
 * looks; yielding lets an engine on this CPU run): what the copy benchmark
 * waits with, since a 500 us sleep per look would be most of what it
 * measures.  0xff after 10 s.
 */
static uint8_t waitcr_spin(struct vdev *v, unsigned int cri)
{
	volatile uint8_t *st = &cr_at(v, cri)->status;
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!*st) {
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 10)
			break;
	}
	return *st ? (*st & DSA_COMP_STATUS_MASK) : 0xff;
}

static uint8_t run(struct vdev *v, struct dsa_hw_desc *d, unsigned int cri)
{
	if (submit(v, d))
		return 0xfe;
	return waitcr(v, cri);
}

/* Wait until SWERR holds an error (or @ms passed); SWERR qword 0. */
static uint64_t wait_swerr(struct vdev *v, int ms)
{
	uint64_t x = 0;

	for (int i = 0; i <= ms / 10; i++) {
		x = rd(v, VDSA_SWERR, 8);
		if (x & VDSA_SWERR_VALID)
			break;
		usleep(10000);
	}
	return x;
}

static uint32_t crc32c_sw(uint32_t crc, const uint8_t *p, size_t n)
{
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78 & -(crc & 1));
	}
	return crc;
}

static void fill_random(uint8_t *p, size_t n, unsigned int seed)
{
	srand(seed);
	for (size_t i = 0; i < n; i++)
		p[i] = rand();
}

/* One eventfd (-1: none) for vector @start of IRQ index @index. */
static int set_irq(struct vdev *v, unsigned int index, unsigned int start, int fd)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int)];
	struct vfio_irq_set *s = (void *)buf;

	s->argsz = sizeof(buf);
	s->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	s->index = index;
	s->start = start;
	s->count = 1;
	memcpy(s->data, &fd, sizeof(fd));
	return ioctl(v->fd, VFIO_DEVICE_SET_IRQS, s);
}

/* DATA_NONE: @count 0 turns MSI-X off, else fires the vectors. */
static int irq_none(struct vdev *v, unsigned int start, unsigned int count)
{
	struct vfio_irq_set s = {
		.argsz = sizeof(s),
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.index = MSIX,
		.start = start,
		.count = count,
	};

	return ioctl(v->fd, VFIO_DEVICE_SET_IRQS, &s);
}

/* Both MSI-X vectors' eventfds (as QEMU sets them), made if need be. */
static int set_vectors(struct vdev *v)
{
	char buf[sizeof(struct vfio_irq_set) + VDSA_NVEC * sizeof(int)];
	struct vfio_irq_set *s = (void *)buf;

	for (unsigned int i = 0; i < VDSA_NVEC; i++)
		if (v->efd[i] < 0)
			v->efd[i] = eventfd(0, EFD_NONBLOCK);
	s->argsz = sizeof(buf);
	s->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	s->index = MSIX;
	s->start = 0;
	s->count = VDSA_NVEC;
	memcpy(s->data, v->efd, sizeof(v->efd));
	return ioctl(v->fd, VFIO_DEVICE_SET_IRQS, s);
}

static bool wait_fd(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint64_t x;

	if (poll(&p, 1, ms) != 1)
		return false;
	return read(fd, &x, sizeof(x)) == sizeof(x);
}

static void drain_fds(struct vdev *v)
{
	for (unsigned int i = 0; i < VDSA_NVEC; i++)
		wait_fd(v->efd[i], 0);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static void config_space(struct vdev *v)
{
	struct vfio_device_info di = { .argsz = sizeof(di) };
	struct vfio_irq_info ii[VFIO_PCI_NUM_IRQS];
	uint32_t flags, table, pba, bar[5], all = 0xffffffff;
	unsigned int cap;
	uint64_t entry;

	tap(!ioctl(v->fd, VFIO_DEVICE_GET_INFO, &di) &&
	    (di.flags & VFIO_DEVICE_FLAGS_PCI) && (di.flags & VFIO_DEVICE_FLAGS_RESET) &&
	    di.num_regions >= VFIO_PCI_NUM_REGIONS, "device info: a resettable PCI device");
	tap(v->size[CFG] == 256 && v->size[BAR0] == VDSA_BAR0_SIZE &&
	    v->size[BAR2] == VDSA_BAR2_SIZE && !v->size[VFIO_PCI_BAR1_REGION_INDEX] &&
	    !v->size[VFIO_PCI_BAR3_REGION_INDEX] && !v->size[VFIO_PCI_BAR4_REGION_INDEX] &&
	    !v->size[VFIO_PCI_BAR5_REGION_INDEX] && !v->size[VFIO_PCI_ROM_REGION_INDEX],
	    "regions: config 256, BAR0 64 KiB, BAR2 16 KiB, no others (%#" PRIx64 " %#" PRIx64 ")",
	    v->size[BAR0], v->size[BAR2]);
	for (unsigned int i = 0; i < VFIO_PCI_NUM_IRQS; i++) {
		ii[i] = (struct vfio_irq_info){ .argsz = sizeof(ii[i]), .index = i };
		if (ioctl(v->fd, VFIO_DEVICE_GET_IRQ_INFO, &ii[i]))
			ii[i].count = ~0u;
	}
	tap(ii[MSIX].count == VDSA_NVEC && (ii[MSIX].flags & VFIO_IRQ_INFO_EVENTFD) &&
	    !ii[VFIO_PCI_MSI_IRQ_INDEX].count && !ii[VFIO_PCI_INTX_IRQ_INDEX].count &&
	    ii[VFIO_PCI_REQ_IRQ_INDEX].count == 1,
	    "interrupts: two MSI-X vectors through eventfds, no MSI, no INTx, a request channel");
	tap((cfg32(v, PCI_VENDOR_ID) & 0xffff) == VDSA_VENDOR &&
	    cfg32(v, PCI_VENDOR_ID) >> 16 == VDSA_DEVICE &&
	    cfg32(v, PCI_CLASS_REVISION) >> 8 == 0x088000 &&
	    (cfg32(v, PCI_SUBSYSTEM_VENDOR_ID) & 0xffff) == VDSA_VENDOR,
	    "config space: Intel DSA 8086:0b25, class 088000 (%08x %06x)",
	    cfg32(v, PCI_VENDOR_ID), cfg32(v, PCI_CLASS_REVISION) >> 8);
	tap((cfg32(v, PCI_COMMAND) >> 16 & PCI_STATUS_CAP_LIST) &&
	    !(cfg32(v, PCI_INTERRUPT_LINE) >> 8 & 0xff),
	    "a capability list, no interrupt pin");
	cap = cfg32(v, PCI_CAPABILITY_LIST) & 0xff;
	flags = cfg32(v, cap) >> 16;
	table = cfg32(v, cap + PCI_MSIX_TABLE);
	pba = cfg32(v, cap + PCI_MSIX_PBA);
	tap(cap == 0x40 && (cfg32(v, cap) & 0xff) == PCI_CAP_ID_MSIX &&
	    !(cfg32(v, cap) >> 8 & 0xff) && (flags & PCI_MSIX_FLAGS_QSIZE) + 1 == VDSA_NVEC &&
	    (table & PCI_MSIX_TABLE_BIR) == 0 &&
	    (table & PCI_MSIX_TABLE_OFFSET) == VDSA_MSIX_TABLE &&
	    (pba & PCI_MSIX_TABLE_BIR) == 0 &&
	    (pba & PCI_MSIX_TABLE_OFFSET) >= VDSA_MSIX_TABLE + 16 * VDSA_NVEC &&
	    (pba & PCI_MSIX_TABLE_OFFSET) < VDSA_BAR0_SIZE,
	    "MSI-X capability at %#x, the only one: table size %u, table BIR %u at %#x, PBA BIR %u at %#x",
	    cap, (flags & PCI_MSIX_FLAGS_QSIZE) + 1, table & PCI_MSIX_TABLE_BIR,
	    table & PCI_MSIX_TABLE_OFFSET, pba & PCI_MSIX_TABLE_BIR,
	    pba & PCI_MSIX_TABLE_OFFSET);

	for (unsigned int i = 0; i < 5; i++) {
		uint32_t orig = cfg32(v, PCI_BASE_ADDRESS_0 + 4 * i);

		cfgw32(v, PCI_BASE_ADDRESS_0 + 4 * i, all);
		bar[i] = cfg32(v, PCI_BASE_ADDRESS_0 + 4 * i);
		cfgw32(v, PCI_BASE_ADDRESS_0 + 4 * i, orig);
	}
	tap(bar[0] == (0xffffffffu & ~(VDSA_BAR0_SIZE - 1)) + PCI_BASE_ADDRESS_MEM_TYPE_64 &&
	    bar[1] == 0xffffffff &&
	    bar[2] == (0xffffffffu & ~(VDSA_BAR2_SIZE - 1)) + PCI_BASE_ADDRESS_MEM_TYPE_64 &&
	    bar[3] == 0xffffffff && !bar[4],
	    "BAR sizing: BAR0 64 KiB and BAR2 16 KiB 64-bit memory BARs, no BAR4 (%08x %08x %08x)",
	    bar[0], bar[2], bar[4]);

	entry = 0xfee0000000001234ULL;
	wr64(v, VDSA_MSIX_TABLE + 16, entry);
	tap(rd(v, VDSA_MSIX_TABLE + 16, 8) == entry && !rd(v, VDSA_MSIX_TABLE, 8),
	    "the MSI-X table in BAR0 holds what a driver writes there");
	wr64(v, VDSA_MSIX_TABLE + 16, 0);
}

/* BAR0's capabilities and read-only configuration; WQ size in *@wqsz. */
static void registers(struct vdev *v, unsigned int *wqsz)
{
	static const uint8_t ops[] = {
		DSA_OPCODE_NOOP, DSA_OPCODE_BATCH, DSA_OPCODE_MEMMOVE,
		DSA_OPCODE_MEMFILL, DSA_OPCODE_COMPARE, DSA_OPCODE_CRCGEN,
	};
	uint64_t gencap = rd(v, VDSA_GENCAP, 8), wqcap = rd(v, VDSA_WQCAP, 8);
	uint64_t offs = rd(v, VDSA_OFFSETS, 8), ver = rd(v, VDSA_VERSION, 4);
	unsigned int wq = VDSA_OFF_WQCFG(offs), grp = VDSA_OFF_GRPCFG(offs);
	unsigned int perm = VDSA_OFF_MSIX_PERM(offs);
	bool ok = true;

	*wqsz = VDSA_WQCAP_SIZE(wqcap);
	tap(ver >> 8 == 1 && (*wqsz == 16 || *wqsz == 64) && VDSA_WQCAP_NUM_WQS(wqcap) == 1 &&
	    (rd(v, VDSA_GRPCAP, 8) & 0xff) == 1 && (rd(v, VDSA_ENGCAP, 8) & 0xff) == 1,
	    "BAR0: version %#x, one WQ of %u entries, one group, one engine",
	    (unsigned int)ver, *wqsz);
	tap(!(gencap & VDSA_GENCAP_CONFIG_EN),
	    "GENCAP: configuration support (bit 31) is 0: WQs and groups are read-only");
	for (unsigned int i = 0; i < sizeof(ops); i++)
		ok &= opcap(v, ops[i]);
	tap(ok && !opcap(v, BAD_OPCODE) && !opcap(v, 255),
	    "OPCAP: NOOP, BATCH, MEMMOVE, MEMFILL, COMPARE, CRCGEN; not opcode %#x",
	    BAD_OPCODE);
	tap(wq && grp && perm && wq != grp && wq != perm && grp != perm &&
	    wq < VDSA_SB_STATUS && grp < VDSA_SB_STATUS && perm < VDSA_SB_STATUS,
	    "OFFSETS: GRPCFG at %#x, WQCFG at %#x, MSIX_PERM at %#x", grp, wq, perm);
	tap(wqcfg(v, 0) == *wqsz && (wqcfg(v, 2) & 1) &&
	    (wqcfg(v, 3) & 0x1f) == VDSA_GENCAP_MAX_XFER_SHIFT(gencap) &&
	    (wqcfg(v, 3) >> 5 & 0xf) == VDSA_GENCAP_MAX_BATCH_SHIFT(gencap) && !wq_on(v),
	    "WQCFG: a dedicated WQ of %u, GENCAP's limits (2^%u bytes, 2^%u descriptors), disabled",
	    wqcfg(v, 0), (unsigned int)VDSA_GENCAP_MAX_XFER_SHIFT(gencap),
	    (unsigned int)VDSA_GENCAP_MAX_BATCH_SHIFT(gencap));
	tap(rd(v, grp, 8) == 1 && rd(v, grp + 32, 8) == 1,
	    "GRPCFG: group 0 holds WQ 0 and engine 0");
}

/* The command interface, from a freshly opened (disabled) device on. */
static void commands(struct vdev *v)
{
	struct dsa_hw_desc d = desc(v, DSA_OPCODE_NOOP, 0);
	uint32_t st;
	bool ok;

	ok = !dev_on(v) && !wq_on(v);
	errno = 0;
	ok &= submit(v, &d) && errno == EAGAIN;
	tap(ok && portal_status(v) == VDSA_PORTAL_DISABLED,
	    "a descriptor to a disabled device is refused and SB_STATUS says why (%u)",
	    portal_status(v));
	st = dsa_cmd(v, VDSA_ENABLE_WQ, 0);
	tap(st == VDSA_ST_DEV_NOTEN && !wq_on(v),
	    "ENABLE_WQ before ENABLE_DEVICE: %#x", st);
	command(v, PCI_COMMAND_MEMORY);
	st = dsa_cmd(v, VDSA_ENABLE_DEVICE, 0);
	tap(st == VDSA_ST_BUSMASTER_EN && !dev_on(v),
	    "ENABLE_DEVICE with bus mastering off: %#x, still disabled", st);
	command(v, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	ok = !dsa_cmd(v, VDSA_RESET_DEVICE, 0) && !dev_on(v);
	st = dsa_cmd(v, VDSA_ENABLE_DEVICE, 0);
	tap(ok && !st && dev_on(v) && !wq_on(v),
	    "RESET_DEVICE, ENABLE_DEVICE: GENSTS enabled, the WQ not yet (%#x)", st);
	st = dsa_cmd(v, VDSA_ENABLE_DEVICE, 0);
	tap(st == VDSA_ST_DEV_ENABLED && dev_on(v), "ENABLE_DEVICE twice: %#x", st);
	st = dsa_cmd(v, VDSA_ENABLE_WQ, 1);
	tap(st == VDSA_ST_INVAL_WQIDX && !wq_on(v), "ENABLE_WQ(1), a WQ that does not exist: %#x",
	    st);
	st = dsa_cmd(v, BAD_COMMAND, 0);
	tap(st == VDSA_ST_INVAL_CMD && rd(v, VDSA_CMD, 4) == VDSA_CMD_WORD(BAD_COMMAND, 0),
	    "an unknown command: %#x, CMD reads it back", st);
	st = dsa_cmd(v, VDSA_ENABLE_WQ, 0);
	tap(!st && wq_on(v) && dev_on(v), "ENABLE_WQ(0): WQCFG says enabled (%#x)", st);
	st = dsa_cmd(v, VDSA_ENABLE_WQ, 0);
	tap(st == VDSA_ST_WQ_ENABLED && wq_on(v), "ENABLE_WQ(0) twice: %#x", st);
	tap(!wait_fd(v->efd[0], 0) && !wait_fd(v->efd[1], 0) && !rd(v, VDSA_INTCAUSE, 4),
	    "commands without INT_REQ raise no interrupt");

	/* an interrupt for every command asking for one, failed or not */
	wr(v, VDSA_CMD, VDSA_CMD_INT_REQ | VDSA_CMD_WORD(VDSA_ENABLE_DEVICE, 0));
	st = rd(v, VDSA_CMDSTS, 4);
	tap(st == VDSA_ST_DEV_ENABLED && (rd(v, VDSA_INTCAUSE, 4) & VDSA_INTC_CMD) &&
	    wait_fd(v->efd[VDSA_VEC_MISC], 1000) && !wait_fd(v->efd[VDSA_VEC_WQ0], 0),
	    "a command with INT_REQ: CMDSTS %#x, INTCAUSE.CMD, MSI-X vector 0 only", st);
	wr(v, VDSA_INTCAUSE, 0);
	st = rd(v, VDSA_INTCAUSE, 4) & VDSA_INTC_CMD;
	wr(v, VDSA_INTCAUSE, VDSA_INTC_CMD);
	tap(st && !rd(v, VDSA_INTCAUSE, 4), "INTCAUSE: writing 0 keeps it, writing 1 clears it");
	wr(v, VDSA_CMD, VDSA_CMD_INT_REQ | VDSA_CMD_WORD(VDSA_DRAIN_ALL, 0));
	st = rd(v, VDSA_CMDSTS, 4);
	tap(!st && (rd(v, VDSA_INTCAUSE, 4) & VDSA_INTC_CMD) &&
	    wait_fd(v->efd[VDSA_VEC_MISC], 1000) && wq_on(v),
	    "DRAIN_ALL with INT_REQ on an idle WQ: success, interrupt, the WQ stays enabled");
	wr(v, VDSA_INTCAUSE, VDSA_INTC_CMD);
}

/* WQCFG, GRPCFG and the capabilities do not change when written. */
static void read_only(struct vdev *v)
{
	unsigned int wq = wqcfg_off(v);
	uint64_t before[12], after[12];
	const unsigned int caps[4] = { VDSA_GENCAP, VDSA_WQCAP, VDSA_OPCAP, VDSA_OFFSETS };
	unsigned int grp = VDSA_OFF_GRPCFG(rd(v, VDSA_OFFSETS, 8));

	for (unsigned int i = 0; i < 4; i++) {
		before[i] = rd(v, wq + 8 * i, 8);
		before[4 + i] = rd(v, caps[i], 8);
		before[8 + i] = rd(v, grp + 8 * (i ? 3 + i : 0), 8);
	}
	for (unsigned int pass = 0; pass < 2; pass++) {
		uint64_t val = pass ? ~0ULL : 0;

		for (unsigned int i = 0; i < 4; i++) {
			wr64(v, wq + 8 * i, val);
			wr(v, wq + 8 * i + 4, val);
			wr64(v, caps[i], val);
			wr64(v, grp + 8 * (i ? 3 + i : 0), val);
		}
	}
	for (unsigned int i = 0; i < 4; i++) {
		after[i] = rd(v, wq + 8 * i, 8);
		after[4 + i] = rd(v, caps[i], 8);
		after[8 + i] = rd(v, grp + 8 * (i ? 3 + i : 0), 8);
	}
	tap(!memcmp(before, after, sizeof(before)) && wq_on(v) &&
	    (wqcfg(v, 0) & 0xffff) == VDSA_WQCAP_SIZE(rd(v, VDSA_WQCAP, 8)),
	    "WQCFG, GRPCFG and the capabilities are read-only: writes change nothing, the WQ stays enabled");
}

/* The largest transfer and batch are those GENCAP gives, rounded down. */
static void limits(struct vdev *v)
{
	uint64_t gencap = rd(v, VDSA_GENCAP, 8);
	unsigned int xs = VDSA_GENCAP_MAX_XFER_SHIFT(gencap);
	unsigned int bs = VDSA_GENCAP_MAX_BATCH_SHIFT(gencap);
	uint8_t *m = v->mem;
	uint8_t st1 = 0, st2 = 0;
	struct dsa_hw_desc d;
	bool ok;

	/* 2^xs bytes fit in SRC and DST, twice that in our whole mapping */
	ok = xs >= 16 && (1UL << xs) <= MEMSZ / 2;
	if (ok) {
		d = desc(v, DSA_OPCODE_MEMFILL, 0);
		d.pattern = 0x5555555555555555ULL;
		d.dst_addr = v->iova + SRC;
		d.xfer_size = 1U << xs;
		st1 = run(v, &d, 0);
		ok = st1 == DSA_COMP_SUCCESS && m[(1UL << xs) - 1] == 0x55 && !m[1UL << xs];
		d = desc(v, DSA_OPCODE_MEMFILL, 0);
		d.pattern = 0x6666666666666666ULL;
		d.dst_addr = v->iova + SRC;
		d.xfer_size = 2U << xs;
		st2 = run(v, &d, 0);
		ok &= st2 == DSA_COMP_XFER_ERANGE && m[0] == 0x55 && !m[1UL << xs];
	}
	tap(ok, "the largest transfer is GENCAP's 2^%u bytes: it runs (%u), twice it is refused (%u)",
	    xs, st1, st2);
	memset(m + SRC, 0, 1UL << 21);

	/* NOOPs without completion records: all-zero descriptors */
	ok = bs >= 1 && (2UL << bs) * 64 <= 0x10000;
	st1 = st2 = 0;
	if (ok) {
		memset(m + AUX + 0x10000, 0, 0x10000);
		d = desc(v, DSA_OPCODE_BATCH, 0);
		d.desc_list_addr = v->iova + AUX + 0x10000;
		d.desc_count = 1U << bs;
		st1 = run(v, &d, 0);
		ok = st1 == DSA_COMP_SUCCESS && cr_at(v, 0)->bytes_completed == 1U << bs;
		d = desc(v, DSA_OPCODE_BATCH, 0);
		d.desc_list_addr = v->iova + AUX + 0x10000;
		d.desc_count = 2U << bs;
		st2 = run(v, &d, 0);
		ok &= st2 == DSA_COMP_DESC_CNT_ERANGE;
	}
	tap(ok, "the largest batch is GENCAP's 2^%u descriptors: it runs (%u), twice it is refused (%u)",
	    bs, st1, st2);
}

/* The portal pages: limited and unlimited take descriptors, the rest none. */
static void portals(struct vdev *v)
{
	uint64_t bar2 = v->off[BAR2], sub;
	uint8_t *m = v->mem, zero[64], back[64];
	struct dsa_hw_desc d;
	bool ok = true;

	d = desc(v, DSA_OPCODE_MEMMOVE, 12);
	d.src_addr = v->iova + SRC;
	d.dst_addr = v->iova + AUX;
	d.xfer_size = 512;
	fill_random(m + SRC, 512, 3);
	memset(m + AUX, 0, 512);
	sub = rd(v, VDSA_SB_SUBMITTED, 8);
	/* a descriptor assembled from 8-byte MMIO writes, as a guest does */
	for (int i = 0; i < 7; i++)
		ok &= pwrite(v->fd, (uint64_t *)&d + i, 8,
			     bar2 + VDSA_PORTAL_LIMITED + 2 * 64 + 8 * i) == 8;
	ok &= rd(v, VDSA_SB_SUBMITTED, 8) == sub;
	ok &= pwrite(v->fd, (uint64_t *)&d + 7, 8, bar2 + VDSA_PORTAL_LIMITED + 2 * 64 + 56) == 8;
	tap(ok && waitcr(v, 12) == DSA_COMP_SUCCESS && !memcmp(m + SRC, m + AUX, 512) &&
	    rd(v, VDSA_SB_SUBMITTED, 8) == sub + 1,
	    "a descriptor written as eight 8-byte writes is submitted on the last, not before");

	d = desc(v, DSA_OPCODE_MEMFILL, 13);
	d.pattern = 0x4242424242424242ULL;
	d.dst_addr = v->iova + AUX;
	d.xfer_size = 256;
	tap(pwrite(v->fd, &d, sizeof(d), bar2 + 5 * 64) == sizeof(d) &&
	    waitcr(v, 13) == DSA_COMP_SUCCESS && m[AUX + 255] == 0x42,
	    "the unlimited portal (BAR2 page 0) takes descriptors too");

	memset(m + AUX, 0, 512);
	sub = rd(v, VDSA_SB_SUBMITTED, 8) + rd(v, VDSA_SB_REFUSED, 8);
	ok = true;
	for (unsigned int page = 2; page < 4; page++) {
		d = desc(v, DSA_OPCODE_MEMFILL, 14);
		d.dst_addr = v->iova + AUX;
		d.xfer_size = 256;
		ok &= pwrite(v->fd, &d, sizeof(d), bar2 + page * 0x1000 + 64) == sizeof(d);
	}
	memset(zero, 0, sizeof(zero));
	memset(back, 0xff, sizeof(back));
	ok &= pread(v->fd, back, sizeof(back), bar2 + VDSA_PORTAL_LIMITED) == sizeof(back);
	usleep(100000);
	tap(ok && rd(v, VDSA_SB_SUBMITTED, 8) + rd(v, VDSA_SB_REFUSED, 8) == sub &&
	    !cr_at(v, 14)->status && all_zero(m + AUX, 256) && !memcmp(back, zero, 64),
	    "BAR2 pages 2 and 3 ignore writes, the portals read 0");
}

/* Completion interrupts: int_handle names the MSI-X vector. */
static void interrupts(struct vdev *v)
{
	struct dsa_hw_desc d;
	int fd;

	drain_fds(v);
	d = desc(v, DSA_OPCODE_NOOP, 9);
	d.flags |= IDXD_OP_FLAG_RCI;
	d.int_handle = VDSA_VEC_WQ0;
	tap(!submit(v, &d) && wait_fd(v->efd[VDSA_VEC_WQ0], 5000) &&
	    waitcr(v, 9) == DSA_COMP_SUCCESS && !wait_fd(v->efd[VDSA_VEC_MISC], 0),
	    "a completion with RCI and int_handle 1 signals MSI-X vector 1 only");
	d = desc(v, DSA_OPCODE_NOOP, 9);
	d.flags |= IDXD_OP_FLAG_RCI;
	d.int_handle = VDSA_VEC_MISC;
	tap(!submit(v, &d) && wait_fd(v->efd[VDSA_VEC_MISC], 5000) &&
	    !wait_fd(v->efd[VDSA_VEC_WQ0], 0), "with int_handle 0, vector 0 only");
	d = desc(v, DSA_OPCODE_NOOP, 9);
	tap(run(v, &d, 9) == DSA_COMP_SUCCESS && !wait_fd(v->efd[0], 100) &&
	    !wait_fd(v->efd[1], 0), "without RCI, no interrupt");

	/* vector 1 alone, as a driver sets up the WQ's vector */
	fd = eventfd(0, EFD_NONBLOCK);
	d = desc(v, DSA_OPCODE_NOOP, 9);
	d.flags |= IDXD_OP_FLAG_RCI;
	d.int_handle = VDSA_VEC_WQ0;
	tap(!set_irq(v, MSIX, VDSA_VEC_WQ0, fd) && !submit(v, &d) && wait_fd(fd, 5000) &&
	    !wait_fd(v->efd[VDSA_VEC_WQ0], 0),
	    "SET_IRQS start 1 count 1 replaces vector 1's eventfd");
	close(fd);
	d = desc(v, DSA_OPCODE_NOOP, 9);
	d.flags |= IDXD_OP_FLAG_RCI;
	d.int_handle = VDSA_VEC_WQ0;
	tap(!irq_none(v, 0, 0) && run(v, &d, 9) == DSA_COMP_SUCCESS &&
	    !wait_fd(v->efd[0], 200) && !wait_fd(v->efd[1], 0),
	    "MSI-X off (DATA_NONE, count 0): nothing is signalled");
	tap(!set_vectors(v) && !irq_none(v, VDSA_VEC_WQ0, 1) &&
	    wait_fd(v->efd[VDSA_VEC_WQ0], 1000) && !wait_fd(v->efd[VDSA_VEC_MISC], 0),
	    "both vectors set again; DATA_NONE on vector 1 fires it only");
	tap(set_irq(v, VFIO_PCI_MSI_IRQ_INDEX, 0, v->efd[0]) < 0 &&
	    set_irq(v, VFIO_PCI_INTX_IRQ_INDEX, 0, v->efd[0]) < 0 &&
	    set_irq(v, MSIX, VDSA_NVEC, v->efd[0]) < 0,
	    "no MSI, no INTx, no third MSI-X vector to set");
}

/* Software errors: SWERR, INTCAUSE.ERR, vector 0. */
static void swerr(struct vdev *v)
{
	struct dsa_hw_desc d;
	uint64_t x;

	wr(v, VDSA_GENCTRL, VDSA_GENCTRL_SOFTERR_INT_EN);
	drain_fds(v);
	d = desc(v, DSA_OPCODE_NOOP, 0);
	d.completion_addr = 0xbad000000ULL;
	d.opcode = BAD_OPCODE;
	submit(v, &d);
	x = wait_swerr(v, 5000);
	tap((x & VDSA_SWERR_VALID) && !(x & VDSA_SWERR_OVERFLOW) &&
	    VDSA_SWERR_ERROR(x) == DSA_COMP_CRA_XLAT &&
	    rd(v, VDSA_SWERR_ADDR, 8) == 0xbad000000ULL,
	    "an unwritable completion record is reported in SWERR: error %#x at %#" PRIx64,
	    (unsigned int)VDSA_SWERR_ERROR(x), rd(v, VDSA_SWERR_ADDR, 8));
	tap(rd(v, VDSA_GENCTRL, 4) == VDSA_GENCTRL_SOFTERR_INT_EN &&
	    (rd(v, VDSA_INTCAUSE, 4) & VDSA_INTC_ERR) &&
	    wait_fd(v->efd[VDSA_VEC_MISC], 1000) && !wait_fd(v->efd[VDSA_VEC_WQ0], 0),
	    "with GENCTRL's software error interrupt on: INTCAUSE.ERR and MSI-X vector 0");
	d = desc(v, DSA_OPCODE_NOOP, 0);
	d.completion_addr = 0xbad001000ULL;
	d.opcode = BAD_OPCODE;
	submit(v, &d);
	for (int i = 0; i < 500 && !(rd(v, VDSA_SWERR, 8) & VDSA_SWERR_OVERFLOW); i++)
		usleep(10000);
	x = rd(v, VDSA_SWERR, 8);
	tap((x & VDSA_SWERR_VALID) && (x & VDSA_SWERR_OVERFLOW) &&
	    rd(v, VDSA_SWERR_ADDR, 8) == 0xbad000000ULL,
	    "a second error sets the overflow bit and keeps the first");
	wr64(v, VDSA_SWERR, VDSA_SWERR_VALID | VDSA_SWERR_OVERFLOW);
	wr(v, VDSA_INTCAUSE, VDSA_INTC_ERR);
	tap(!rd(v, VDSA_SWERR, 8) && !rd(v, VDSA_SWERR_ADDR, 8) &&
	    !(rd(v, VDSA_INTCAUSE, 4) & VDSA_INTC_ERR),
	    "SWERR and INTCAUSE.ERR clear on write-1");
	wr(v, VDSA_GENCTRL, 0);
	drain_fds(v);
}

static void functional(struct vdev *v)
{
	uint8_t *m = v->mem;
	struct dsa_hw_desc d, list[3];
	unsigned int wqsz;
	uint64_t sub, done;
	bool ok;

	config_space(v);
	registers(v, &wqsz);
	tap(!set_vectors(v), "MSI-X eventfds for vector 0 (misc) and vector 1 (WQ 0)");
	commands(v);
	read_only(v);
	limits(v);

	fill_random(m + SRC, 65536, 1);
	memset(m + DST, 0, 65536);
	d = desc(v, DSA_OPCODE_MEMMOVE, 1);
	d.src_addr = v->iova + SRC;
	d.dst_addr = v->iova + DST;
	d.xfer_size = 65536;
	sub = rd(v, VDSA_SB_SUBMITTED, 8);
	done = rd(v, VDSA_SB_COMPLETED, 8);
	ok = !submit(v, &d) && portal_status(v) == VDSA_PORTAL_OK &&
	     rd(v, VDSA_SB_SUBMITTED, 8) == sub + 1;
	tap(ok && waitcr(v, 1) == DSA_COMP_SUCCESS && !memcmp(m + SRC, m + DST, 65536) &&
	    cr_at(v, 1)->bytes_completed == 65536,
	    "MEMMOVE of 64 KiB through the limited portal, completion record in guest memory");
	for (int i = 0; i < 100 && rd(v, VDSA_SB_COMPLETED, 8) != done + 1; i++)
		usleep(10000);
	tap(rd(v, VDSA_SB_COMPLETED, 8) == done + 1,
	    "SB_STATUS OK, SB_SUBMITTED and SB_COMPLETED count it");

	d = desc(v, DSA_OPCODE_MEMFILL, 2);
	d.pattern = 0x1122334455667788ULL;
	d.dst_addr = v->iova + AUX;
	d.xfer_size = 1000;
	ok = run(v, &d, 2) == DSA_COMP_SUCCESS;
	for (int i = 0; i < 1000; i++)
		ok &= m[AUX + i] == (uint8_t)(d.pattern >> (8 * (i % 8)));
	tap(ok && m[AUX + 1000] == 0, "MEMFILL");

	m[DST + 4242] ^= 1;
	d = desc(v, DSA_OPCODE_COMPARE, 3);
	d.src_addr = v->iova + SRC;
	d.src2_addr = v->iova + DST;
	d.xfer_size = 65536;
	tap(run(v, &d, 3) == DSA_COMP_SUCCESS && cr_at(v, 3)->result == 1 &&
	    cr_at(v, 3)->bytes_completed == 4242, "COMPARE finds the difference");

	d = desc(v, DSA_OPCODE_CRCGEN, 4);
	d.src_addr = v->iova + SRC;
	d.xfer_size = 65536;
	tap(run(v, &d, 4) == DSA_COMP_SUCCESS &&
	    (uint32_t)cr_at(v, 4)->crc_val == ~crc32c_sw(~0u, m + SRC, 65536),
	    "CRCGEN equals a software CRC-32C");

	memset(m + DST, 0, 4096);
	list[0] = desc(v, DSA_OPCODE_MEMMOVE, 5);
	list[0].src_addr = v->iova + SRC;
	list[0].dst_addr = v->iova + DST;
	list[0].xfer_size = 4096;
	list[1] = desc(v, DSA_OPCODE_COMPARE, 6);
	list[1].flags |= IDXD_OP_FLAG_FENCE;
	list[1].src_addr = v->iova + SRC;
	list[1].src2_addr = v->iova + DST;
	list[1].xfer_size = 4096;
	list[2] = desc(v, DSA_OPCODE_NOOP, 7);
	memcpy(m + AUX + 8192, list, sizeof(list));
	d = desc(v, DSA_OPCODE_BATCH, 8);
	d.desc_list_addr = v->iova + AUX + 8192;
	d.desc_count = 3;
	tap(run(v, &d, 8) == DSA_COMP_SUCCESS && cr_at(v, 8)->bytes_completed == 3 &&
	    cr_at(v, 5)->status == DSA_COMP_SUCCESS && cr_at(v, 6)->result == 0 &&
	    cr_at(v, 7)->status == DSA_COMP_SUCCESS,
	    "BATCH of MEMMOVE, fenced COMPARE, NOOP");

	interrupts(v);

	memset(m + DST, 0x77, 64);
	d = desc(v, DSA_OPCODE_MEMMOVE, 10);
	d.src_addr = 0xdead00000000ULL;
	d.dst_addr = v->iova + DST;
	d.xfer_size = 64;
	tap(run(v, &d, 10) == DSA_COMP_PAGE_FAULT_NOBOF &&
	    cr_at(v, 10)->fault_addr == 0xdead00000000ULL && m[DST] == 0x77,
	    "an unmapped IOVA completes with a page fault and writes nothing");
	d = desc(v, DSA_OPCODE_MEMFILL, 11);
	d.dst_addr = v->iova + MEMSZ - 32;
	d.xfer_size = 64;
	tap(run(v, &d, 11) == DSA_COMP_PAGE_FAULT_NOBOF,
	    "a transfer running past the mapping faults");

	swerr(v);
	portals(v);

	{
		unsigned int refused = 0, sent = 4 * wqsz;
		/* big enough that the engine lags; SB_BURST_XFER when the
		 * engine is slowed instead (the mediated path's copies are slow)
		 */
		uint32_t burst_xfer = getenv("SB_BURST_XFER") ?
				      strtoul(getenv("SB_BURST_XFER"), NULL, 0) : 1 << 20;
		uint64_t r0 = rd(v, VDSA_SB_REFUSED, 8);
		uint32_t st = VDSA_PORTAL_OK;

		for (unsigned int i = 0; i < sent; i++) {
			d = desc(v, DSA_OPCODE_MEMMOVE, 16 + (i % 64));
			d.src_addr = v->iova + SRC;
			d.dst_addr = v->iova + DST;
			d.xfer_size = burst_xfer;
			if (submit(v, &d) && !refused++)
				st = portal_status(v);
		}
		tap(refused > 0 && refused < sent && st == VDSA_PORTAL_FULL &&
		    rd(v, VDSA_SB_REFUSED, 8) - r0 == refused,
		    "a burst of %u on a %u-entry WQ: %u refused and counted, SB_STATUS says FULL",
		    sent, wqsz, refused);
		usleep(500000);
	}

	ok = !dsa_cmd(v, VDSA_DISABLE_WQ, 1) && dev_on(v) && !wq_on(v);
	d = desc(v, DSA_OPCODE_NOOP, 13);
	errno = 0;
	tap(ok && submit(v, &d) && errno == EAGAIN && portal_status(v) == VDSA_PORTAL_DISABLED,
	    "DISABLE_WQ: the WQ stops, the device stays enabled, the portal says DISABLED");
	d = desc(v, DSA_OPCODE_NOOP, 13);
	tap(!dsa_cmd(v, VDSA_ENABLE_WQ, 0) && wq_on(v) && run(v, &d, 13) == DSA_COMP_SUCCESS,
	    "ENABLE_WQ again: it runs");
	tap(dsa_cmd(v, VDSA_DISABLE_WQ, 2) == VDSA_ST_INVAL_WQIDX && wq_on(v),
	    "DISABLE_WQ of WQ 1, which does not exist: 0x02, WQ 0 stays enabled");
	ok = !dsa_cmd(v, VDSA_DISABLE_DEVICE, 0) && !dev_on(v) && !wq_on(v);
	d = desc(v, DSA_OPCODE_MEMFILL, 13);
	d.dst_addr = v->iova + AUX;
	d.xfer_size = 64;
	memset(m + AUX, 0, 64);
	errno = 0;
	ok &= submit(v, &d) && errno == EAGAIN && portal_status(v) == VDSA_PORTAL_DISABLED;
	usleep(100000);
	tap(ok && all_zero(m + AUX, 64) && !cr_at(v, 13)->status,
	    "DISABLE_DEVICE stops the queue: portal writes then report DISABLED");
	tap(dsa_cmd(v, VDSA_DISABLE_DEVICE, 0) == VDSA_ST_DIS_DEV_EN,
	    "DISABLE_DEVICE of a disabled device: 0x31");

	tap(!enable(v) && dev_on(v) && wq_on(v), "RESET_DEVICE, ENABLE_DEVICE, ENABLE_WQ again");
	wr(v, VDSA_GENCTRL, VDSA_GENCTRL_SOFTERR_INT_EN);
	ioctl(v->fd, VFIO_DEVICE_RESET);
	tap(!dev_on(v) && !wq_on(v) && !rd(v, VDSA_CMD, 4) && !rd(v, VDSA_GENCTRL, 4),
	    "VFIO_DEVICE_RESET disables the device and its WQ, GENCTRL back to 0");
	d = desc(v, DSA_OPCODE_NOOP, 13);
	tap(!enable(v) && run(v, &d, 13) == DSA_COMP_SUCCESS, "and it works again once enabled");
}

/* Two devices, two containers: each reaches only its own memory. */
static void isolation(struct vdev *a, struct vdev *b)
{
	struct dsa_hw_desc d;

	tap(!enable(a) && !enable(b), "both devices enabled");
	memset(a->mem + SRC, 0xaa, 4096);
	memset(b->mem + SRC, 0xbb, 4096);
	/* b's IOVA window starts where a's ends: a's addresses mean nothing to b */
	d = desc(b, DSA_OPCODE_MEMMOVE, 0);
	d.src_addr = a->iova + SRC;
	d.dst_addr = b->iova + DST;
	d.xfer_size = 4096;
	tap(run(b, &d, 0) == DSA_COMP_PAGE_FAULT_NOBOF && b->mem[DST] == 0,
	    "device B cannot read device A's IOVA");
	d = desc(b, DSA_OPCODE_MEMFILL, 1);
	d.dst_addr = a->iova + SRC;
	d.xfer_size = 4096;
	tap(run(b, &d, 1) == DSA_COMP_PAGE_FAULT_NOBOF && a->mem[SRC] == 0xaa,
	    "device B cannot write device A's memory");
	d = desc(a, DSA_OPCODE_MEMMOVE, 0);
	d.src_addr = a->iova + SRC;
	d.dst_addr = a->iova + DST;
	d.xfer_size = 4096;
	tap(run(a, &d, 0) == DSA_COMP_SUCCESS && a->mem[DST] == 0xaa &&
	    b->mem[DST] == 0, "device A copies within its own memory only");
}

static void fuzz(struct vdev *v, long n, unsigned int seed)
{
	static const unsigned int regions[] = {
		CFG, BAR0, BAR2, VFIO_PCI_BAR1_REGION_INDEX, 12,
	};
	uint8_t buf[128];
	long errors = 0;

	srand(seed);
	for (long i = 0; i < n; i++) {
		static const size_t sizes[] = { 1, 2, 4, 8, 64 };
		unsigned int r = regions[rand() % 5];
		size_t len = rand() % 8 ? sizes[rand() % 5] : 1 + (size_t)(rand() % 128);
		uint64_t within = r == CFG ? 256 : r == BAR0 ? VDSA_BAR0_SIZE :
				  r == BAR2 ? VDSA_BAR2_SIZE : 4096;
		uint64_t off = ((uint64_t)r << 40) +
			       (rand() % 8 ? ((uint64_t)rand() % within) & ~(len - 1) :
					     (uint64_t)rand());

		for (size_t k = 0; k < len; k++)
			buf[k] = rand();
		/* descriptors aim at our own memory most of the time */
		if (r == BAR2 && len >= 24 && rand() % 2)
			memcpy(buf + 16, &(uint64_t){ v->iova + rand() % MEMSZ }, 8);
		/* and BAR0 writes at the command register now and then */
		if (r == BAR0 && rand() % 16 == 0)
			off = ((uint64_t)r << 40) + VDSA_CMD;
		if (rand() % 3 == 0) {
			if (pread(v->fd, buf, len, off) < 0)
				errors++;
		} else if (pwrite(v->fd, buf, len, off) < 0) {
			errors++;
		}
		if (rand() % 64 == 0) {
			struct vfio_irq_set *s = (void *)buf;

			for (size_t k = 0; k < sizeof(*s) + 8; k++)
				buf[k] = rand();
			s->argsz = sizeof(*s) + rand() % 12;
			if (ioctl(v->fd, VFIO_DEVICE_SET_IRQS, s))
				errors++;
			irq_none(v, 0, 0);
		}
		if (rand() % 128 == 0) {
			struct vfio_region_info ri = { .argsz = sizeof(ri), .index = rand() % 16 };

			ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO, &ri);
		}
	}
	printf("# %ld random accesses, %ld refused\n", n, errors);
	ioctl(v->fd, VFIO_DEVICE_RESET);
	{
		/* the random config writes may have cleared bus mastering: enable() sets it */
		uint32_t st = enable(v);
		struct dsa_hw_desc d = desc(v, DSA_OPCODE_MEMMOVE, 0);

		fill_random(v->mem + SRC, 4096, 7);
		d.src_addr = v->iova + SRC;
		d.dst_addr = v->iova + DST;
		d.xfer_size = 4096;
		tap(!st && run(v, &d, 0) == DSA_COMP_SUCCESS &&
		    !memcmp(v->mem + SRC, v->mem + DST, 4096),
		    "after %ld random accesses the device still enables (%#x) and copies", n, st);
	}
}

static int hold(struct vdev *v)
{
	int req = eventfd(0, 0);

	if (set_irq(v, VFIO_PCI_REQ_IRQ_INDEX, 0, req))
		return perror("request eventfd"), 1;
	enable(v);
	printf("holding\n");
	fflush(stdout);
	if (!wait_fd(req, 60000)) {
		printf("no request\n");
		return 1;
	}
	printf("request received\n");
	fflush(stdout);
	vclose(v);
	return 0;
}

/*
 * A user that does not cooperate: it sees the kernel's requests to give
 * the device back and keeps it, until its standard input ends or @secs
 * have passed (so that a test of a kernel that waits for it ends).
 */
static int hold_ignoring(struct vdev *v, long secs)
{
	time_t end = time(NULL) + secs;
	int req = eventfd(0, 0);
	struct pollfd p[2] = {
		{ .fd = 0, .events = POLLIN },
		{ .fd = req, .events = POLLIN },
	};
	bool told = false;
	char buf[64];
	uint64_t x;

	if (set_irq(v, VFIO_PCI_REQ_IRQ_INDEX, 0, req))
		return perror("request eventfd"), 1;
	enable(v);
	printf("holding\n");
	fflush(stdout);
	for (;;) {
		int left = end - time(NULL);

		if (left <= 0)
			break;
		if (poll(p, 2, left * 1000) < 0)
			return perror("poll"), 1;
		if (p[1].revents & POLLIN) {
			if (read(req, &x, sizeof(x)) != sizeof(x))
				return perror("request read"), 1;
			if (!told)
				printf("request ignored\n");
			fflush(stdout);
			told = true;
		}
		if (p[0].revents & (POLLIN | POLLHUP) &&
		    read(0, buf, sizeof(buf)) <= 0)
			break;
	}
	printf("releasing\n");
	fflush(stdout);
	vclose(v);
	return 0;
}

static int one_status(struct vdev *v)
{
	struct dsa_hw_desc d = desc(v, DSA_OPCODE_MEMMOVE, 0);

	enable(v);
	d.src_addr = v->iova + SRC;
	d.dst_addr = v->iova + DST;
	d.xfer_size = 4096;
	printf("status %u\n", run(v, &d, 0));
	return 0;
}

static int cpu_bench(struct vdev *v, long n)
{
	struct timespec t0, t1;
	double s;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		memcpy(v->mem + DST, v->mem + SRC, 65536);
		__asm__ volatile("" ::: "memory");
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.1f MB/s\n", n * 65536 / s / 1e6);
	return 0;
}

static int copy_bench(struct vdev *v, long n)
{
	struct timespec t0, t1;
	struct dsa_hw_desc d;
	uint32_t st;
	double s;

	st = enable(v);
	if (st) {
		fprintf(stderr, "enabling the device: CMDSTS %#x\n", st);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		d = desc(v, DSA_OPCODE_MEMMOVE, 0);
		d.src_addr = v->iova + SRC;
		d.dst_addr = v->iova + DST;
		d.xfer_size = 65536;
		if (submit(v, &d) || waitcr_spin(v, 0) != DSA_COMP_SUCCESS)
			return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.1f MB/s\n", n * 65536 / s / 1e6);
	return 0;
}

/*
 * VFIO_IOMMU_UNMAP_DMA while descriptors on that memory are in flight (the
 * engine slowed by the caller): the unmap must wait for them, which then
 * complete normally, and the memory is no longer the device's afterwards.
 */
static int unmap_in_flight(struct vdev *v)
{
	struct vfio_iommu_type1_dma_unmap um = { .argsz = sizeof(um) };
	struct timespec t0, t1;
	struct dsa_hw_desc d;
	bool ok;
	double ms;

	ok = !enable(v);
	for (unsigned int i = 0; i < 4; i++) {
		d = desc(v, DSA_OPCODE_MEMFILL, i);
		d.pattern = 0x5a5a5a5a5a5a5a5aULL;
		d.dst_addr = v->iova + AUX + i * 4096;	/* one page each */
		d.xfer_size = 256;
		ok &= !submit(v, &d);
	}
	tap(ok, "four one-page MEMFILLs submitted");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	um.iova = v->iova;
	um.size = MEMSZ;
	ok = !ioctl(v->container, VFIO_IOMMU_UNMAP_DMA, &um) && um.size == MEMSZ;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	tap(ok, "VFIO_IOMMU_UNMAP_DMA under them succeeds (after %.0f ms)", ms);
	for (unsigned int i = 0; i < 4; i++)
		ok &= cr_at(v, i)->status == DSA_COMP_SUCCESS &&
		      v->mem[AUX + i * 4096 + 255] == 0x5a;
	tap(ok, "they had completed, records and data written, when it returned");
	d = desc(v, DSA_OPCODE_MEMFILL, 4);
	d.dst_addr = v->iova + AUX;
	d.xfer_size = 64;
	submit(v, &d);
	usleep(1500000);
	tap(cr_at(v, 4)->status == 0, "a descriptor on the unmapped IOVA no longer reaches the memory");
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}

/*
 * Four MEMFILLs of 16 bytes into one cache line, all in flight at once
 * (the engine slowed by the caller).  The mediated path may map only one
 * of them in place (the caller checks the slice's counters); each must
 * land whole all the same.
 */
static int one_line(struct vdev *v)
{
	struct dsa_hw_desc d;
	bool ok;

	ok = !enable(v);
	memset(v->mem + AUX, 0, 64);
	for (unsigned int i = 0; i < 4; i++) {
		d = desc(v, DSA_OPCODE_MEMFILL, i);
		d.pattern = 0x1111111111111111ULL * (i + 1);
		d.dst_addr = v->iova + AUX + 16 * i;
		d.xfer_size = 16;
		ok &= !submit(v, &d);
	}
	tap(ok, "four MEMFILLs into one cache line submitted");
	for (unsigned int i = 0; i < 4; i++)
		ok &= waitcr(v, i) == DSA_COMP_SUCCESS;
	tap(ok, "all four complete");
	for (unsigned int i = 0; i < 64; i++)
		ok &= v->mem[AUX + i] == 0x11 * (i / 16 + 1);
	tap(ok, "each wrote its 16 bytes and only those");
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}

/* Descriptors accepted and not completed (dropped ones by a reset too). */
static uint64_t outstanding(struct vdev *v)
{
	return rd(v, VDSA_SB_SUBMITTED, 8) - rd(v, VDSA_SB_COMPLETED, 8);
}

/* Wait until outstanding() is back to @base (or @ms passed). */
static bool drained(struct vdev *v, uint64_t base, int ms)
{
	for (int i = 0; i < ms / 10; i++) {
		if (outstanding(v) == base)
			return true;
		usleep(10000);
	}
	return false;
}

static void memfill(struct vdev *v, unsigned int cri, uint64_t iova,
		    uint32_t len, struct dsa_hw_desc *d)
{
	*d = desc(v, DSA_OPCODE_MEMFILL, cri);
	d->pattern = 0x3c3c3c3c3c3c3c3cULL;
	d->dst_addr = iova;
	d->xfer_size = len;
}

/*
 * Bus master off (PCI_COMMAND): a descriptor submitted then is refused
 * without touching memory, and clearing the bit under descriptors in
 * flight (the engine slowed by the caller) leaves nothing to be written
 * once the config write has returned.
 */
static int bus_master(struct vdev *v)
{
	struct dsa_hw_desc d;
	bool ok = true;

	memfill(v, 0, v->iova + AUX, 256, &d);
	tap(!enable(v) && run(v, &d, 0) == DSA_COMP_SUCCESS,
	    "with bus mastering on, a MEMFILL runs");

	command(v, PCI_COMMAND_MEMORY);
	memset(v->mem + AUX, 0, 8192);
	memfill(v, 1, v->iova + AUX, 4096, &d);
	errno = 0;
	ok = submit(v, &d) && errno == EAGAIN;
	tap(ok && portal_status(v) == VDSA_PORTAL_NO_MASTER,
	    "bus master off: a descriptor is refused, SB_STATUS says why (%u)",
	    portal_status(v));
	tap(dev_on(v) && !wq_on(v),
	    "GENSTS still enabled, WQCFG says the WQ is not running meanwhile");
	usleep(1000000);
	tap(all_zero(v->mem + AUX, 4096) && !cr_at(v, 1)->status,
	    "and neither its destination nor its completion record is written");

	command(v, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	ok = true;
	for (unsigned int i = 0; i < 4; i++) {
		memfill(v, 2 + i, v->iova + AUX + i * 1024, 1024, &d);
		ok &= !submit(v, &d);
	}
	command(v, PCI_COMMAND_MEMORY);
	/* whatever ran before the write returned may have landed: clear it */
	memset(v->mem + AUX, 0, 8192);
	for (unsigned int i = 0; i < 4; i++)
		memset(cr_at(v, 2 + i), 0, 32);
	usleep(1500000);
	ok &= all_zero(v->mem + AUX, 8192);
	for (unsigned int i = 0; i < 4; i++)
		ok &= !cr_at(v, 2 + i)->status;
	tap(ok, "bus master cleared under four descriptors in flight: nothing written after");

	command(v, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	memfill(v, 6, v->iova + AUX, 256, &d);
	tap(run(v, &d, 6) == DSA_COMP_SUCCESS && v->mem[AUX + 255] == 0x3c &&
	    dev_on(v) && wq_on(v),
	    "bus mastering back on: the device runs again, device and WQ still enabled");
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}

#define RIOVA	0x40000000ULL	/* the buffer unmapped under the device */
#define RSZ	(64UL * 1024)

/*
 * The work queue under the device goes away (slicesim's wq_hotplug, as an
 * administrator disabling a real WQ) while the user has it enabled and
 * descriptors in flight (the engine slowed by the caller): the user is
 * asked to release the device, nothing is written once the revocation has
 * returned, SB_STATUS says so for good, a software error is raised, and
 * the open device refuses descriptors until it is given back.
 * $SB_HOTPLUG names the control file.
 */
static int revoked(struct vdev *v, const char *uuid)
{
	const char *ctl = getenv("SB_HOTPLUG");
	int req = eventfd(0, 0);
	struct dsa_hw_desc d;
	uint64_t x;
	uint32_t st;
	bool ok;
	FILE *f;

	if (!ctl || set_irq(v, VFIO_PCI_REQ_IRQ_INDEX, 0, req))
		return perror("SB_HOTPLUG or request eventfd"), 1;
	ok = !enable(v) && !set_vectors(v) && !revoked_bit(v);
	wr(v, VDSA_GENCTRL, VDSA_GENCTRL_SOFTERR_INT_EN);
	for (unsigned int i = 0; i < 8; i++) {
		memfill(v, i, v->iova + AUX + i * 1024, 1024, &d);
		ok &= !submit(v, &d);
	}
	tap(ok, "eight descriptors in flight");
	f = fopen(ctl, "w");
	ok = f && fprintf(f, "revoke %s\n", uuid) > 0;
	ok = f && !fclose(f) && ok;
	tap(ok, "the work queue under the slice goes away");
	memset(v->mem + AUX, 0, 8192);
	for (unsigned int i = 0; i < 8; i++)
		memset(cr_at(v, i), 0, 32);
	tap(wait_fd(req, 5000), "the user is asked to release the device");
	usleep(500000);
	ok = all_zero(v->mem + AUX, 8192);
	for (unsigned int i = 0; i < 8; i++)
		ok &= !cr_at(v, i)->status;
	tap(ok, "nothing is written after the revocation returned");
	x = wait_swerr(v, 1000);
	tap(revoked_bit(v) && (x & VDSA_SWERR_VALID) &&
	    VDSA_SWERR_ERROR(x) == DSA_COMP_HW_ERR1 && !wq_on(v),
	    "SB_STATUS says revoked, SWERR holds a hardware error (%#x), WQCFG not enabled",
	    (unsigned int)VDSA_SWERR_ERROR(x));
	tap((rd(v, VDSA_INTCAUSE, 4) & VDSA_INTC_ERR) && wait_fd(v->efd[VDSA_VEC_MISC], 1000),
	    "the error is signalled: INTCAUSE.ERR, MSI-X vector 0");
	wr64(v, VDSA_SWERR, VDSA_SWERR_VALID | VDSA_SWERR_OVERFLOW);
	tap(!(rd(v, VDSA_SWERR, 8) & VDSA_SWERR_VALID) && revoked_bit(v),
	    "clearing SWERR does not clear revoked");
	memfill(v, 0, v->iova + AUX, 1024, &d);
	submit(v, &d);
	usleep(200000);
	tap(portal_status(v) == VDSA_PORTAL_DISABLED &&
	    all_zero(v->mem + AUX, 1024) && !cr_at(v, 0)->status,
	    "a descriptor after is refused at the portal (%u), nothing written",
	    portal_status(v));
	ioctl(v->fd, VFIO_DEVICE_RESET);
	st = enable(v);
	tap(st == VDSA_ST_HW_ERR && !wq_on(v) && revoked_bit(v),
	    "neither a reset nor enabling brings the queue back: ENABLE_WQ says %#x", st);
	vclose(v);
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}

/*
 * What one user writes into config space and the MSI-X table is not what
 * the next one finds: BARs, MSI-X enable, the table's address and data,
 * the interrupt line are back to reset values when the device is opened
 * again.
 */
static int config_reset(struct vdev *v, const char *uuid)
{
	uint32_t bar = 0xfeed0000, line = 0x5a;
	uint16_t ctl = PCI_MSIX_FLAGS_ENABLE;
	uint64_t entry = 0x00004321fee01234ULL;
	unsigned int cap = cfg32(v, PCI_CAPABILITY_LIST) & 0xff;
	uint32_t before[4], after[4];

	before[0] = cfg32(v, PCI_BASE_ADDRESS_0);
	before[1] = cfg32(v, cap) >> 16;
	before[2] = rd(v, VDSA_MSIX_TABLE, 4);
	before[3] = cfg32(v, PCI_INTERRUPT_LINE) & 0xff;
	cfgw32(v, PCI_BASE_ADDRESS_0, bar);
	pwrite(v->fd, &ctl, 2, v->off[CFG] + cap + PCI_MSIX_FLAGS);
	wr64(v, VDSA_MSIX_TABLE, entry);
	pwrite(v->fd, &line, 1, v->off[CFG] + PCI_INTERRUPT_LINE);
	tap(cfg32(v, PCI_BASE_ADDRESS_0) != before[0] &&
	    (cfg32(v, cap) >> 16 & PCI_MSIX_FLAGS_ENABLE) &&
	    rd(v, VDSA_MSIX_TABLE, 8) == entry &&
	    (cfg32(v, PCI_INTERRUPT_LINE) & 0xff) == line,
	    "a user programs BAR0, MSI-X enable and table, the interrupt line (%08x %04x %08x %02x)",
	    cfg32(v, PCI_BASE_ADDRESS_0), cfg32(v, cap) >> 16,
	    (uint32_t)rd(v, VDSA_MSIX_TABLE, 4), cfg32(v, PCI_INTERRUPT_LINE) & 0xff);
	vclose(v);
	if (vopen(v, uuid, IOVA))
		return 1;
	after[0] = cfg32(v, PCI_BASE_ADDRESS_0);
	after[1] = cfg32(v, cap) >> 16;
	after[2] = rd(v, VDSA_MSIX_TABLE, 4);
	after[3] = cfg32(v, PCI_INTERRUPT_LINE) & 0xff;
	tap(!memcmp(before, after, sizeof(before)) && !rd(v, VDSA_MSIX_TABLE, 8),
	    "the next user finds them as they were before (BAR0 %08x, MSI-X %04x, table %08x, line %02x)",
	    after[0], after[1], after[2], after[3]);
	vclose(v);
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}

struct hammer {
	struct vdev *v;
	volatile bool stop;
	unsigned long sent;
};

/* Submit one-page MEMFILLs into the buffer as fast as the portal takes them. */
static void *hammer_fn(void *arg)
{
	struct hammer *h = arg;
	struct dsa_hw_desc d;

	for (unsigned int i = 0; !h->stop; i++) {
		memfill(h->v, 64 + i % 64, RIOVA + (i % (RSZ / 4096)) * 4096, 128, &d);
		if (!submit(h->v, &d))
			h->sent++;
	}
	return NULL;
}

/*
 * @n times: map a buffer, put descriptors writing it in flight, unmap it
 * while another thread keeps submitting into it; once the unmap has
 * returned, the buffer (still ours, at its old address) must never be
 * written again, and every descriptor completes with success or a page
 * fault.  The caller counts the unmap notifications (one per unmap: a
 * descriptor pinning the buffer after the first one makes type1 retry).
 */
static int unmap_race(struct vdev *v, long n)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_dma_unmap um = { .argsz = sizeof(um) };
	uint8_t *rbuf = mmap(NULL, RSZ, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long written = 0, bad = 0, sent = 0;
	bool ok, mapped = true, unmapped = true;
	struct dsa_hw_desc d;
	uint64_t base;

	if (rbuf == MAP_FAILED)
		return perror("mmap"), 1;
	ok = !enable(v);
	tap(ok, "the device is enabled");
	base = outstanding(v);
	for (long it = 0; it < n && ok; it++) {
		struct hammer h = { .v = v };
		pthread_t t;

		memset(rbuf, 0, RSZ);
		map.vaddr = (uintptr_t)rbuf;
		map.iova = RIOVA;
		map.size = RSZ;
		map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
		mapped &= !ioctl(v->container, VFIO_IOMMU_MAP_DMA, &map);
		for (unsigned int i = 0; i < 8; i++) {
			memfill(v, i, RIOVA + i * 4096, 256, &d);
			submit(v, &d);
		}
		pthread_create(&t, NULL, hammer_fn, &h);
		usleep(1000);
		um.iova = RIOVA;
		um.size = RSZ;
		unmapped &= !ioctl(v->container, VFIO_IOMMU_UNMAP_DMA, &um) &&
			    um.size == RSZ;
		h.stop = true;
		pthread_join(t, NULL);
		sent += h.sent;
		memset(rbuf, 0, RSZ);	/* what ran before the unmap may have landed */
		ok &= drained(v, base, 10000);
		if (!all_zero(rbuf, RSZ))
			written++;
		for (unsigned int i = 0; i < 128; i++) {
			uint8_t st = cr_at(v, i)->status & DSA_COMP_STATUS_MASK;

			if (st && st != DSA_COMP_SUCCESS && st != DSA_COMP_PAGE_FAULT_NOBOF)
				bad++;
			memset(cr_at(v, i), 0, 32);
		}
	}
	tap(mapped && unmapped, "%ld map/unmap cycles of the buffer succeed", n);
	tap(ok, "every descriptor completes (%lu racing submissions)", sent);
	tap(!written, "the buffer is never written after its unmap returned (%lu times it was)",
	    written);
	tap(!bad, "every completion is a success or a page fault (%lu others)", bad);
	printf("# unmaps %ld\n", n);
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}

/*
 * Malformed region accesses and ioctl arguments are refused, and a reset
 * or a stop (VFIO_DEVICE_RESET, RESET_DEVICE, DISABLE_DEVICE, DISABLE_WQ,
 * ABORT_WQ) under descriptors in flight (the engine slowed by the caller)
 * leaves nothing to be written once it has returned.
 */
static int attacks(struct vdev *v)
{
	char buf[sizeof(struct vfio_irq_set) + 4 * sizeof(int)];
	struct vfio_irq_set *is = (void *)buf;
	int efd = eventfd(0, EFD_NONBLOCK);
	struct dsa_hw_desc d;
	uint64_t x = 0;
	bool ok;

	ok = pread(v->fd, &x, 8, v->off[CFG] + 252) == 4 &&
	     pread(v->fd, &x, 8, v->off[CFG] + 256) < 0 &&
	     pread(v->fd, &x, 8, v->off[BAR0] + VDSA_BAR0_SIZE - 4) == 4 &&
	     pread(v->fd, &x, 8, v->off[BAR0] + VDSA_BAR0_SIZE) < 0 &&
	     pread(v->fd, &x, 8, v->off[BAR2] + VDSA_BAR2_SIZE) < 0 &&
	     pread(v->fd, &x, 8, v->off[BAR2] + (1ULL << 40) - 4) < 0 &&
	     pread(v->fd, &x, 2, v->off[BAR0] + VDSA_CMDSTS) < 0 &&
	     pwrite(v->fd, &x, 2, v->off[BAR0] + VDSA_CMD) < 0 &&
	     pwrite(v->fd, &x, 2, v->off[BAR2] + VDSA_PORTAL_LIMITED + 62) < 0 &&
	     pread(v->fd, &x, 8, 0x7ffffffffffffffcLL) < 0;
	tap(ok, "region accesses past an end, at a wrapping offset or partial registers are refused");

	/* real eventfds: what is refused is refused for its header */
	memset(buf, 0, sizeof(buf));
	for (unsigned int i = 0; i < 4; i++)
		((int *)is->data)[i] = efd;
	is->argsz = sizeof(buf);
	is->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	is->index = MSIX;
	is->start = 1;
	is->count = UINT32_MAX;
	ok = ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	is->start = 0;
	is->count = VDSA_NVEC + 1;
	ok &= ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	is->start = VDSA_NVEC;
	is->count = 1;
	ok &= ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	is->start = 0;
	is->argsz = sizeof(*is) + 2;
	ok &= ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	is->argsz = sizeof(buf);
	is->flags = VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER;
	ok &= ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	is->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_MASK;
	ok &= ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	is->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	is->index = VFIO_PCI_MSI_IRQ_INDEX;
	ok &= ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	is->index = VFIO_PCI_INTX_IRQ_INDEX;
	ok &= ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	is->index = 77;
	ok &= ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	tap(ok, "SET_IRQS: start/count overflow, count 3, vector 2, short argsz, BOOL data, "
	    "MASK, MSI, INTx, bad index refused");

	for (int how = 0; how < 5; how++) {
		static const char *const what[] = {
			"VFIO_DEVICE_RESET", "RESET_DEVICE", "DISABLE_DEVICE",
			"DISABLE_WQ", "ABORT_WQ",
		};
		uint32_t st = 0;

		ok = !enable(v);
		for (unsigned int i = 0; i < 8; i++) {
			memfill(v, i, v->iova + AUX + i * 1024, 1024, &d);
			ok &= !submit(v, &d);
		}
		if (how == 0)
			ioctl(v->fd, VFIO_DEVICE_RESET);
		else if (how == 1)
			st = dsa_cmd(v, VDSA_RESET_DEVICE, 0);
		else if (how == 2)
			st = dsa_cmd(v, VDSA_DISABLE_DEVICE, 0);
		else if (how == 3)
			st = dsa_cmd(v, VDSA_DISABLE_WQ, 1);
		else
			st = dsa_cmd(v, VDSA_ABORT_WQ, 1);
		ok &= !st && wq_on(v) == (how == 4);
		memset(v->mem + AUX, 0, 8192);
		for (unsigned int i = 0; i < 8; i++)
			memset(cr_at(v, i), 0, 32);
		usleep(1500000);
		ok &= all_zero(v->mem + AUX, 8192);
		for (unsigned int i = 0; i < 8; i++)
			ok &= !cr_at(v, i)->status;
		if (how == 4) {
			/* an abort drops what was queued; the WQ goes on */
			memfill(v, 9, v->iova + AUX, 64, &d);
			ok &= run(v, &d, 9) == DSA_COMP_SUCCESS && v->mem[AUX + 63] == 0x3c;
		}
		tap(ok, "%s under eight descriptors in flight: nothing written after%s", what[how],
		    how == 4 ? ", and the WQ runs on" : "");
	}
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}

/*
 * DRAIN_WQ and ABORT_WQ with descriptors queued (the engine slowed by the
 * caller): after a drain every record is written; after an abort, those
 * still queued never are.  More descriptors than slicesim has engines
 * (4), so that some wait in the queue while the others run.
 */
#define DRAIN_N	8
#define ABORT_N	12

static int drain_abort(struct vdev *v)
{
	struct dsa_hw_desc d;
	unsigned int i, done = 0;
	const char *slow;
	uint32_t st;

	tap(enable(v) == 0, "drain: device and WQ enabled");
	for (i = 0; i < DRAIN_N; i++) {
		memfill(v, i, v->iova + DST + i * 4096, 4096, &d);
		submit(v, &d);
	}
	st = dsa_cmd(v, VDSA_DRAIN_WQ, 1);
	for (i = 0; i < DRAIN_N; i++)
		done += cr_at(v, i)->status == DSA_COMP_SUCCESS;
	tap(st == VDSA_ST_SUCCESS && done == DRAIN_N,
	    "DRAIN_WQ returns once all %u queued descriptors completed (status 0x%x, %u records)",
	    DRAIN_N, st, done);
	/*
	 * Slow the engines further for the abort, so that a loaded host taking
	 * long between the submissions and the command still finds some queued.
	 */
	slow = getenv("VT_DELAY_FILE");
	if (slow) {
		FILE *f = fopen(slow, "w");

		if (f) {
			fputs("400000\n", f);
			fclose(f);
		}
	}
	for (i = 0; i < ABORT_N; i++) {
		memfill(v, 16 + i, v->iova + DST + i * 4096, 4096, &d);
		submit(v, &d);
	}
	st = dsa_cmd(v, VDSA_ABORT_WQ, 1);
	usleep(1000000);
	done = 0;
	for (i = 0; i < ABORT_N; i++)
		done += cr_at(v, 16 + i)->status != 0;
	tap(st == VDSA_ST_SUCCESS && done < ABORT_N,
	    "ABORT_WQ drops the queued descriptors: %u of %u records written, none after",
	    done, ABORT_N);
	tap(wq_on(v), "the WQ runs on after the drain and the abort");
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct vdev a, b;
	long n = 0;
	int opt;
	char mode = 't';

	while ((opt = getopt(argc, argv, "f:ri:c:xm:uobU:aRCD")) != -1) {
		mode = opt;
		if (optarg)
			n = strtol(optarg, NULL, 0);
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: vfio_test [-f N | -r | -i S | -c N | -x | -m N | -u | -o | -b | -U N | -a | -R | -C | -D] UUID [UUID2]\n");
		return 2;
	}
	if (vopen(&a, argv[optind], IOVA))
		return 1;
	if (mode == 'r')
		return hold(&a);
	if (mode == 'i')
		return hold_ignoring(&a, n);
	if (mode == 'c')
		return copy_bench(&a, n);
	if (mode == 'x')
		return one_status(&a);
	if (mode == 'm')
		return cpu_bench(&a, n);
	if (mode == 'u')
		return unmap_in_flight(&a);
	if (mode == 'o')
		return one_line(&a);
	if (mode == 'b')
		return bus_master(&a);
	if (mode == 'U')
		return unmap_race(&a, n);
	if (mode == 'a')
		return attacks(&a);
	if (mode == 'R')
		return revoked(&a, argv[optind]);
	if (mode == 'C')
		return config_reset(&a, argv[optind]);
	if (mode == 'D')
		return drain_abort(&a);
	if (mode == 'f') {
		fuzz(&a, n, 1);
	} else {
		functional(&a);
		if (optind + 1 < argc) {
			if (vopen(&b, argv[optind + 1], IOVA + MEMSZ))
				return 1;
			isolation(&a, &b);
			vclose(&b);
		}
	}
	vclose(&a);
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
