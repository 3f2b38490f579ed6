// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile VFIO user of a slicebus slice, the virtual DSA of
 * progs/vdsa.h (enabled as a DSA driver enables it, descriptors written to
 * WQ 0's portals): descriptors whose operands wrap past 2^64, run past the
 * end of a mapping or straddle mapped and unmapped IOVA, and the largest
 * batches of the largest DUALCASTs.  Each check asserts the completion
 * status and that no byte outside the operands changed: in the mappings
 * around them (their canaries), in a mapping at IOVA 0 that a wrapping
 * operand would reach, and in memory that was mapped once and unmapped
 * again.  Prints TAP.
 *
 *   vfio_hostile [-m] UUID
 *
 * -m: the slice is on the mediated path; then a refused operand must not
 * have been written at all, and the peak bounce memory the host spent
 * (the slice's queue/mediated counters) must stay within its cap.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/idxd.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>

#include "vdsa.h"

#define KIB		((uint64_t)1024)
#define MIB		(1024 * KIB)
/*
 * 2 MiB just below the last page of IOVA.  That page stays unmapped: VFIO
 * type1 maps a range ending at 2^64 but its lookups never find it (the
 * range's end wraps to 0), so the device could not reach it anyway.
 */
#define TOP_SIZE	(2 * MIB)
#define TOP_END		(0 - 4 * KIB)
#define TOP		(TOP_END - TOP_SIZE)
#define LOW		0x10000000ULL		/* 1 MiB: records, buffers */
#define LOW_SIZE	MIB
#define ZERO_SIZE	(64 * KIB)		/* at IOVA 0: where a wrap lands */
#define GONE		0x20000000ULL		/* mapped, then unmapped */
#define GONE_SIZE	(64 * KIB)
#define BIG		0x100000000ULL		/* one buffer at many IOVAs */
#define BIG_SIZE	(2 * MIB)
#define BIG_MAPS	96
#define RO		0x30000000ULL		/* mapped read-only */
#define RO_SIZE		(64 * KIB)
#define CRS		0x0		/* offsets in LOW */
#define BUF		0x40000
#define LIST		0x80000
#define NREC		2048

struct map {
	uint64_t iova, size;
	uint8_t *mem, *shadow;
};

static struct {
	int container, group, fd;
	uint64_t off[VFIO_PCI_NUM_REGIONS];
	unsigned int slot, max_batch, wq_size;
	uint32_t max_xfer;
	struct map low, top, zero, gone;
	uint8_t *big;
	bool mediated;
	char stats[512];
} v;

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
	n_fail += !ok;
}

static void *anon(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	return p;
}

static int dma_map(void *mem, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m), .vaddr = (uintptr_t)mem, .iova = iova,
		.size = size,
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
	};

	return ioctl(v.container, VFIO_IOMMU_MAP_DMA, &m);
}

/* A mapping filled with a pattern of its own, and its expected content. */
static void map_new(struct map *m, uint64_t iova, uint64_t size, uint8_t seed)
{
	m->iova = iova;
	m->size = size;
	m->mem = anon(size);
	m->shadow = anon(size);
	for (uint64_t i = 0; i < size; i++)
		m->mem[i] = seed ^ (i * 131 >> 3);
	memcpy(m->shadow, m->mem, size);
	if (dma_map(m->mem, iova, size)) {
		fprintf(stderr, "map %#" PRIx64 "+%#" PRIx64 ": %s\n", iova,
			size, strerror(errno));
		exit(1);
	}
}

static uint8_t *at(struct map *m, uint64_t iova)
{
	return m->mem + (iova - m->iova);
}

/* What the device may have written in @m: the bytes @first .. @last. */
static void excuse_range(struct map *m, uint64_t first, uint64_t last)
{
	uint64_t end = m->iova + (m->size - 1);

	if (last < m->iova || first > end)
		return;
	first = first > m->iova ? first : m->iova;
	last = last < end ? last : end;
	memcpy(m->shadow + (first - m->iova), m->mem + (first - m->iova),
	       last - first + 1);
}

/* @len bytes at @iova, and where they land if they wrap past 2^64 */
static void excuse(struct map *m, uint64_t iova, uint64_t len)
{
	uint64_t last = iova + (len - 1);

	if (!len)
		return;
	if (last < iova) {
		excuse_range(m, iova, ~0ULL);
		excuse_range(m, 0, last);
	} else {
		excuse_range(m, iova, last);
	}
}

/* Bytes of @m that differ from what is expected (the records excepted). */
static uint64_t changed(struct map *m)
{
	uint64_t n = 0, from = m == &v.low ? BUF : 0;

	for (uint64_t i = from; i < m->size; i++)
		n += m->mem[i] != m->shadow[i];
	return n;
}

static bool canaries(const char *what)
{
	uint64_t l = changed(&v.low), t = changed(&v.top);
	uint64_t z = changed(&v.zero), g = 0;

	for (uint64_t i = 0; i < GONE_SIZE; i++)
		g += v.gone.mem[i] != v.gone.shadow[i];
	if (l || t || z || g)
		printf("# %s: bytes changed outside the operands: low %" PRIu64
		       ", top %" PRIu64 ", IOVA 0 %" PRIu64 ", unmapped %" PRIu64 "\n",
		       what, l, t, z, g);
	/* make the next check start from what is there */
	memcpy(v.low.shadow, v.low.mem, v.low.size);
	memcpy(v.top.shadow, v.top.mem, v.top.size);
	memcpy(v.zero.shadow, v.zero.mem, v.zero.size);
	return !l && !t && !z && !g;
}

static uint64_t rd(unsigned int off, int size)
{
	uint64_t x = 0;

	if (pread(v.fd, &x, size, v.off[VFIO_PCI_BAR0_REGION_INDEX] + off) != size)
		return 0;
	return x;
}

static void wr(unsigned int off, uint32_t val)
{
	if (pwrite(v.fd, &val, 4, v.off[VFIO_PCI_BAR0_REGION_INDEX] + off) != 4)
		perror("BAR0 write");
}

/* A synchronous command (no interrupt request): its CMDSTS. */
static uint32_t command(unsigned int cmd, uint32_t operand)
{
	wr(VDSA_CMD, VDSA_CMD_WORD(cmd, operand));
	return rd(VDSA_CMDSTS, 4);
}

/* WQ 0's state in its WQCFG (dword 6), at the offset OFFSETS gives */
static unsigned int wq_state(void)
{
	return VDSA_WQCFG_STATE(rd(VDSA_OFF_WQCFG(rd(VDSA_OFFSETS, 8)) + 24, 4));
}

/*
 * One 64-byte write to the next slot of WQ 0's portals, as a driver moves
 * on at each submission; alternately the unlimited and the limited portal
 * page, so that both are used.
 */
static int submit(const struct dsa_hw_desc *d)
{
	unsigned int n = v.slot++;
	uint64_t off = v.off[VFIO_PCI_BAR2_REGION_INDEX] +
		       (n & 1) * VDSA_PORTAL_LIMITED +
		       (n / 2 % VDSA_PORTAL_SLOTS) * sizeof(*d);

	return pwrite(v.fd, d, sizeof(*d), off) == sizeof(*d) ? 0 : -1;
}

static struct dsa_completion_record *cr(unsigned int i)
{
	return (struct dsa_completion_record *)at(&v.low, LOW + CRS + i * 32);
}

static struct dsa_hw_desc desc(uint8_t op, unsigned int cri)
{
	struct dsa_hw_desc d;

	memset(&d, 0, sizeof(d));
	d.opcode = op;
	d.flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR;
	d.completion_addr = LOW + CRS + cri * 32;
	memset(cr(cri), 0, 32);
	return d;
}

static uint8_t waitcr(unsigned int cri, int ms)
{
	volatile uint8_t *st = &cr(cri)->status;

	for (int i = 0; i < ms * 2 && !*st; i++)
		usleep(500);
	return *st ? (*st & DSA_COMP_STATUS_MASK) : 0xff;
}

static uint8_t run(struct dsa_hw_desc *d, unsigned int cri)
{
	if (submit(d))
		return 0xfe;
	return waitcr(cri, 30000);
}

static int vopen(const char *uuid)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	char path[512], link[512];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/iommu_group", uuid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return perror(path), -1;
	link[n] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	v.container = open("/dev/vfio/vfio", O_RDWR);
	v.group = open(path, O_RDWR);
	if (v.container < 0 || v.group < 0)
		return perror("open vfio"), -1;
	if (ioctl(v.group, VFIO_GROUP_GET_STATUS, &gs) ||
	    !(gs.flags & VFIO_GROUP_FLAGS_VIABLE) ||
	    ioctl(v.group, VFIO_GROUP_SET_CONTAINER, &v.container) ||
	    ioctl(v.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return perror("container"), -1;
	v.fd = ioctl(v.group, VFIO_GROUP_GET_DEVICE_FD, uuid);
	if (v.fd < 0)
		return perror("device fd"), -1;
	for (unsigned int i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		struct vfio_region_info ri = { .argsz = sizeof(ri), .index = i };

		if (!ioctl(v.fd, VFIO_DEVICE_GET_REGION_INFO, &ri))
			v.off[i] = ri.offset;
	}
	{
		/* as pci_enable_device() and pci_set_master() do */
		uint16_t cmd = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;

		if (pwrite(v.fd, &cmd, 2, v.off[VFIO_PCI_CONFIG_REGION_INDEX] +
			   PCI_COMMAND) != 2)
			return perror("command register"), -1;
	}
	return 0;
}

static void setup(void)
{
	struct vfio_iommu_type1_dma_unmap u = {
		.argsz = sizeof(u), .iova = GONE, .size = GONE_SIZE,
	};
	uint32_t sts[3], gensts;
	uint64_t gencap;

	/* memory the device could reach once, and may never again */
	map_new(&v.gone, GONE, GONE_SIZE, 0x44);
	if (ioctl(v.container, VFIO_IOMMU_UNMAP_DMA, &u) || u.size != GONE_SIZE) {
		perror("unmap");
		exit(1);
	}
	map_new(&v.low, LOW, LOW_SIZE, 0x11);
	map_new(&v.top, TOP, TOP_SIZE, 0x22);
	map_new(&v.zero, 0, ZERO_SIZE, 0x33);
	v.big = anon(BIG_SIZE);
	for (unsigned int k = 0; k < BIG_MAPS; k++)
		if (dma_map(v.big, BIG + k * BIG_SIZE, BIG_SIZE)) {
			perror("map big");
			exit(1);
		}
	gencap = rd(VDSA_GENCAP, 8);
	v.wq_size = VDSA_WQCAP_SIZE(rd(VDSA_WQCAP, 8));
	v.max_xfer = 1U << VDSA_GENCAP_MAX_XFER_SHIFT(gencap);
	v.max_batch = 1U << VDSA_GENCAP_MAX_BATCH_SHIFT(gencap);
	printf("# WQ size %u, max transfer %u, max batch %u\n", v.wq_size,
	       v.max_xfer, v.max_batch);

	/* as a DSA driver enables it: reset, the device, then WQ 0 */
	sts[0] = command(VDSA_RESET_DEVICE, 0);
	sts[1] = command(VDSA_ENABLE_DEVICE, 0);
	sts[2] = command(VDSA_ENABLE_WQ, 0);
	gensts = rd(VDSA_GENSTS, 4);
	tap(rd(VDSA_VERSION, 4) == VDSA_VERSION_1_0 && v.wq_size &&
	    !sts[0] && !sts[1] && !sts[2] &&
	    VDSA_GENSTS_STATE(gensts) == 1 && wq_state() == 1,
	    "a DSA 1.0 register file; RESET_DEVICE, ENABLE_DEVICE, ENABLE_WQ 0 succeed (%#x %#x %#x), device and WQ enabled (GENSTS %#x)",
	    sts[0], sts[1], sts[2], gensts);
}

/* One descriptor that must complete with @want, nothing changed outside. */
static void expect(struct dsa_hw_desc *d, unsigned int cri, uint8_t want,
		   const char *what)
{
	uint8_t st = run(d, cri);
	bool ok = st == want;

	if (!ok)
		printf("# %s: status %#x, want %#x\n", what, st, want);
	ok &= canaries(what);
	tap(ok, "%s: status %#x, canaries intact", what, want);
}

/*
 * The written operands of @d, which a faulting descriptor may have written
 * in part, as a DSA device may.  Except, when @wraps, on the mediated
 * path: it refuses such a descriptor before it touches anything.
 */
static void excuse_writes(const struct dsa_hw_desc *d, bool wraps)
{
	struct map *maps[] = { &v.low, &v.top, &v.zero };

	if (v.mediated && wraps)
		return;
	for (unsigned int i = 0; i < 3; i++) {
		if (d->opcode != DSA_OPCODE_COMPARE && d->opcode != DSA_OPCODE_CRCGEN &&
		    d->opcode != DSA_OPCODE_COMPVAL)
			excuse(maps[i], d->dst_addr, d->xfer_size);
		if (d->opcode == DSA_OPCODE_DUALCAST)
			excuse(maps[i], d->dest2, d->xfer_size);
	}
}

static void boundaries(void)
{
	struct dsa_hw_desc d;
	uint8_t st;

	/*
	 * The DSA rule: the last byte is addr + len - 1, so a page ending at
	 * 2^64 is a valid operand; unmapped, it is a page fault there, not a
	 * descriptor refused as out of range.
	 */
	d = desc(DSA_OPCODE_MEMMOVE, 0);
	d.src_addr = LOW + BUF;
	d.dst_addr = 0 - 4096ULL;
	d.xfer_size = 4096;
	st = run(&d, 0);
	tap(st == DSA_COMP_PAGE_FAULT_NOBOF && cr(0)->fault_addr == d.dst_addr &&
	    canaries("to the top"),
	    "a MEMMOVE ending exactly at 2^64, unmapped: page fault at its page (%#x at %#" PRIx64 ")",
	    st, cr(0)->fault_addr);
	d = desc(DSA_OPCODE_MEMMOVE, 0);
	d.src_addr = LOW + BUF;
	d.dst_addr = TOP_END - 4096;
	d.xfer_size = 4096;
	st = run(&d, 0);
	excuse(&v.top, d.dst_addr, 4096);
	tap(st == DSA_COMP_SUCCESS && !memcmp(at(&v.top, d.dst_addr), at(&v.low, LOW + BUF), 4096) &&
	    canaries("below the top"),
	    "a MEMMOVE ending at the top mapping's last byte succeeds (%#x), writes only its page", st);

	/* a destination wrapping by one byte, by 2 KiB, by the most */
	{
		static const uint64_t over[] = { 1, 2048, 0 };

		for (unsigned int i = 0; i < 3; i++) {
			uint32_t n = over[i] ? 8192 : v.max_xfer;
			uint64_t o = over[i] ? over[i] : 4096;
			char what[80];

			d = desc(DSA_OPCODE_MEMFILL, 1);
			d.pattern = 0x5a5a5a5a5a5a5a5aULL;
			d.dst_addr = 0 - (uint64_t)n + o;
			d.xfer_size = n;
			st = run(&d, 1);
			snprintf(what, sizeof(what), "MEMFILL of %u wrapping by %" PRIu64, n, o);
			excuse_writes(&d, true);
			tap(st == DSA_COMP_PAGE_FAULT_NOBOF &&
			    (!v.mediated || cr(1)->fault_addr == d.dst_addr) &&
			    canaries(what),
			    "%s: page fault (%#x at %#" PRIx64 "), IOVA 0 and the top mapping untouched",
			    what, st, cr(1)->fault_addr);
		}
	}

	/* the report: merged with an operand before it, the region was short */
	d = desc(DSA_OPCODE_DUALCAST, 2);
	d.src_addr = TOP_END - 0x2000;
	d.dst_addr = TOP_END - 0x1000;
	d.dest2 = LOW + BUF + 0x10000;
	d.xfer_size = 0x2800;
	st = run(&d, 2);
	excuse_writes(&d, true);
	tap(st == DSA_COMP_PAGE_FAULT_NOBOF && canaries("dualcast merge"),
	    "DUALCAST whose wrapping destination overlaps its source: page fault (%#x)", st);

	/*
	 * The report: two members of a batch, the first writing a page, the
	 * second from its middle for 1 MiB, wrapping past 2^64.  Merged by
	 * their starts, the region was the page, and the hardware wrote 1 MiB
	 * into it.
	 */
	{
		struct dsa_hw_desc *list = (void *)at(&v.low, LOW + LIST);
		uint64_t x = 0 - MIB;

		list[0] = desc(DSA_OPCODE_MEMFILL, 20);
		list[0].pattern = 0x6b6b6b6b6b6b6b6bULL;
		list[0].dst_addr = x;
		list[0].xfer_size = 4096;
		list[1] = desc(DSA_OPCODE_MEMFILL, 21);
		list[1].pattern = 0x6c6c6c6c6c6c6c6cULL;
		list[1].dst_addr = x + 2048;
		list[1].xfer_size = MIB;
		excuse(&v.low, LOW + LIST, 2 * 64);
		d = desc(DSA_OPCODE_BATCH, 22);
		d.desc_list_addr = LOW + LIST;
		d.desc_count = 2;
		st = run(&d, 22);
		excuse(&v.top, x, 4096);
		excuse_writes(&list[1], true);
		tap(st == DSA_COMP_BATCH_FAIL &&
		    (cr(20)->status & DSA_COMP_STATUS_MASK) == DSA_COMP_SUCCESS &&
		    (cr(21)->status & DSA_COMP_STATUS_MASK) == DSA_COMP_PAGE_FAULT_NOBOF &&
		    at(&v.top, x)[2047] == 0x6b && canaries("merged wrap"),
		    "a batch: a page, then 1 MiB from its middle wrapping past 2^64: %#x, the page filled, the wrap faulted (%#x)",
		    st, cr(21)->status);
	}

	/* a source wrapping into IOVA 0, which is mapped */
	d = desc(DSA_OPCODE_MEMMOVE, 3);
	d.src_addr = 0 - 0x800ULL;
	d.dst_addr = LOW + BUF + 0x20000;
	d.xfer_size = 0x1000;
	st = run(&d, 3);
	excuse_writes(&d, true);
	tap(st == DSA_COMP_PAGE_FAULT_NOBOF && canaries("source wraps"),
	    "MEMMOVE from a source wrapping into mapped IOVA 0: page fault (%#x)", st);

	/* every opcode with a wrapping operand, in a batch */
	{
		static const uint8_t ops[] = { DSA_OPCODE_MEMMOVE, DSA_OPCODE_COMPARE,
			DSA_OPCODE_COMPVAL, DSA_OPCODE_CRCGEN, DSA_OPCODE_DUALCAST,
			DSA_OPCODE_MEMFILL };
		struct dsa_hw_desc *list = (void *)at(&v.low, LOW + LIST);
		unsigned int n = sizeof(ops), good = 0;

		for (unsigned int i = 0; i < n; i++) {
			list[i] = desc(ops[i], 10 + i);
			list[i].src_addr = ops[i] == DSA_OPCODE_MEMFILL ? 0 : 0 - 0x100ULL;
			list[i].dst_addr = ops[i] == DSA_OPCODE_MEMFILL ? 0 - 0x100ULL :
					   LOW + BUF + 0x30000;
			list[i].dest2 = LOW + BUF + 0x31000;
			list[i].xfer_size = 0x200;
		}
		excuse(&v.low, LOW + LIST, n * 64);
		d = desc(DSA_OPCODE_BATCH, 4);
		d.desc_list_addr = LOW + LIST;
		d.desc_count = n;
		st = run(&d, 4);
		for (unsigned int i = 0; i < n; i++) {
			good += (cr(10 + i)->status & DSA_COMP_STATUS_MASK) ==
				DSA_COMP_PAGE_FAULT_NOBOF;
			excuse_writes(&list[i], true);
		}
		tap(st == DSA_COMP_BATCH_FAIL && good == n && canaries("batch of wraps"),
		    "a batch of %u opcodes, each with a wrapping operand: batch fail (%#x), %u members faulted",
		    n, st, good);
	}

	/* a batch list that wraps */
	d = desc(DSA_OPCODE_BATCH, 5);
	d.desc_list_addr = 0 - 64ULL;
	d.desc_count = 2;
	expect(&d, 5, DSA_COMP_BATCH_PAGE_FAULT, "a batch list wrapping into IOVA 0");

	/* past the end of a mapping, and straddling mapped and unmapped */
	d = desc(DSA_OPCODE_MEMMOVE, 6);
	d.src_addr = LOW + LOW_SIZE - 4096;
	d.dst_addr = LOW + BUF + 0x40000;
	d.xfer_size = 8192;
	st = run(&d, 6);
	excuse_writes(&d, false);
	tap(st == DSA_COMP_PAGE_FAULT_NOBOF && canaries("source straddles"),
	    "a source straddling the end of a mapping: page fault (%#x)", st);
	d = desc(DSA_OPCODE_DUALCAST, 7);
	d.src_addr = LOW + BUF;
	d.dst_addr = LOW + LOW_SIZE - 4096;
	d.dest2 = GONE;
	d.xfer_size = 8192;
	st = run(&d, 7);
	excuse_writes(&d, false);
	tap(st == DSA_COMP_PAGE_FAULT_NOBOF && canaries("destination straddles"),
	    "DUALCAST to a straddling and an unmapped destination: page fault (%#x)", st);
	d = desc(DSA_OPCODE_MEMMOVE, 8);
	d.src_addr = GONE;
	d.dst_addr = LOW + BUF + 0x50000;
	d.xfer_size = 4096;
	expect(&d, 8, DSA_COMP_PAGE_FAULT_NOBOF, "a source in memory unmapped again");
}

/* The slice's mediated-path counters, "name value" pairs; -1 if absent. */
static long long counter(const char *name)
{
	char buf[512], *p;
	FILE *f = fopen(v.stats, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strstr(buf, name);
	return p ? strtoll(p + strlen(name), NULL, 0) : -1;
}

/*
 * The largest batch of the largest DUALCASTs, every operand its own 2 MiB
 * of IOVA (one buffer mapped many times): on the mediated path that asks
 * for max_batch * 3 * max_xfer of bounce memory in one request.  Then as
 * many such batches as the queue holds, back to back.
 */
static void maximal(void)
{
	struct dsa_hw_desc *list = (void *)at(&v.low, LOW + LIST);
	unsigned int n = v.max_batch, sent = 0, refused = 0, done = 0;
	uint64_t xfer = v.max_xfer < BIG_SIZE ? v.max_xfer : BIG_SIZE;
	struct dsa_hw_desc d;
	long long peak, cap;
	uint8_t st;

	if (n > NREC / 8 || 3 * n > BIG_MAPS) {
		tap(false, "max batch %u: more than this test maps", n);
		return;
	}
	for (unsigned int i = 0; i < n; i++) {
		list[i] = desc(DSA_OPCODE_DUALCAST, 100 + i);
		list[i].src_addr = BIG + (3 * i) * BIG_SIZE;
		list[i].dst_addr = BIG + (3 * i + 1) * BIG_SIZE;
		list[i].dest2 = BIG + (3 * i + 2) * BIG_SIZE;
		list[i].xfer_size = xfer;
	}
	excuse(&v.low, LOW + LIST, n * 64);
	canaries("setup");
	d = desc(DSA_OPCODE_BATCH, 9);
	d.desc_list_addr = LOW + LIST;
	d.desc_count = n;
	st = run(&d, 9);
	printf("# a batch of %u DUALCASTs of %" PRIu64 " bytes: status %#x\n", n, xfer, st);
	tap((v.mediated ? st == DSA_COMP_XFER_ERANGE : st == DSA_COMP_SUCCESS) &&
	    canaries("maximal batch"),
	    "a batch of %u maximal DUALCASTs (%" PRIu64 " MiB of operands): %s, canaries intact",
	    n, 3 * n * xfer / MIB, v.mediated ? "over the request cap, out of range" :
	    "executed in place");

	/* the queue full of the largest batches the cap admits */
	for (unsigned int i = 0; i < n; i++)
		list[i].xfer_size = xfer / 32;
	excuse(&v.low, LOW + LIST, n * 64);
	for (unsigned int b = 0; b < v.wq_size * 2; b++) {
		d = desc(DSA_OPCODE_BATCH, 1000 + b % 512);
		d.desc_list_addr = LOW + LIST;
		d.desc_count = n;
		if (submit(&d))
			refused++;
		else
			sent++;
	}
	for (unsigned int b = 0; b < sent + refused && b < 512; b++)
		done += waitcr(1000 + b, 200) != 0xff;
	usleep(200000);
	tap(sent > 0 && canaries("queue of batches"),
	    "%u batches of %u DUALCASTs of %" PRIu64 " KiB: %u accepted, %u refused, canaries intact",
	    sent + refused, n, xfer / 32 / KIB, sent, refused);
	if (!v.mediated)
		return;
	peak = counter("peak ");
	cap = counter("slice_cap ");
	printf("# host bounce memory: peak %lld bytes, per-slice cap %lld, per-request cap %lld\n",
	       peak, cap, counter("request_cap "));
	tap(peak > 0 && cap > 0 && peak <= cap,
	    "the peak bounce memory the host spent (%lld) stays within the slice's cap (%lld)",
	    peak, cap);
}

/*
 * Memory the user lets the device read but not write: a copy into it
 * faults and leaves it as it was, a copy out of it (unaligned, across
 * pages, as the engine's page-by-page path copies) moves exactly its bytes.
 */
static void read_only(void)
{
	uint8_t *ro = anon(RO_SIZE), *copy = anon(RO_SIZE);
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m), .vaddr = (uintptr_t)ro, .iova = RO,
		.size = RO_SIZE, .flags = VFIO_DMA_MAP_FLAG_READ,
	};
	struct dsa_hw_desc d;
	uint8_t st;

	for (uint64_t i = 0; i < RO_SIZE; i++)
		ro[i] = 0x55 ^ (i * 7 >> 2);
	memcpy(copy, ro, RO_SIZE);
	if (ioctl(v.container, VFIO_IOMMU_MAP_DMA, &m)) {
		tap(false, "mapping memory read-only: %s", strerror(errno));
		return;
	}
	d = desc(DSA_OPCODE_MEMMOVE, 9);
	d.src_addr = LOW + BUF;
	d.dst_addr = RO + 100;
	d.xfer_size = 3 * 4096 + 77;
	expect(&d, 9, DSA_COMP_PAGE_FAULT_NOBOF, "a MEMMOVE into memory mapped read-only");
	tap(!memcmp(ro, copy, RO_SIZE), "the read-only memory is unchanged");
	d = desc(DSA_OPCODE_MEMMOVE, 10);
	d.src_addr = RO + 100;
	d.dst_addr = LOW + BUF + 0x20000 + 4000;
	d.xfer_size = 3 * 4096 + 77;
	st = run(&d, 10);
	excuse(&v.low, d.dst_addr, d.xfer_size);
	tap(st == DSA_COMP_SUCCESS &&
	    !memcmp(at(&v.low, d.dst_addr), ro + 100, d.xfer_size) &&
	    canaries("out of read-only memory"),
	    "a MEMMOVE out of it, unaligned across pages, copies exactly its bytes (%#x, fault at %#" PRIx64 ")",
	    st, st == DSA_COMP_SUCCESS ? 0 : cr(10)->fault_addr);
}

int main(int argc, char **argv)
{
	int opt;

	while ((opt = getopt(argc, argv, "m")) != -1)
		v.mediated = opt == 'm';
	if (optind >= argc) {
		fprintf(stderr, "usage: vfio_hostile [-m] UUID\n");
		return 2;
	}
	snprintf(v.stats, sizeof(v.stats), "/sys/bus/slicebus/devices/%s/queue/mediated",
		 argv[optind]);
	if (vopen(argv[optind]))
		return 1;
	setup();
	printf("# as uid %u, %s path\n", getuid(), v.mediated ? "mediated" : "direct");
	boundaries();
	maximal();
	read_only();
	{
		struct dsa_hw_desc d = desc(DSA_OPCODE_MEMMOVE, 0);

		d.src_addr = LOW + BUF;
		d.dst_addr = LOW + BUF + 0x60000;
		d.xfer_size = 4096;
		excuse(&v.low, d.dst_addr, 4096);
		tap(run(&d, 0) == DSA_COMP_SUCCESS &&
		    !memcmp(at(&v.low, LOW + BUF), at(&v.low, d.dst_addr), 4096) &&
		    canaries("after"), "afterwards the device still copies, and only where asked");
	}
	{
		uint32_t sts = command(VDSA_DISABLE_DEVICE, 0);

		tap(!sts && VDSA_GENSTS_STATE(rd(VDSA_GENSTS, 4)) == 0 &&
		    wq_state() == 0,
		    "DISABLE_DEVICE succeeds (%#x): device and WQ disabled", sts);
	}
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}
