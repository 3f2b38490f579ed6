// SPDX-License-Identifier: GPL-2.0
/*
 * A userspace driver for the slicebus VFIO device, on the container/group/
 * type1 uAPI as QEMU uses it.  Prints TAP.
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
#include <linux/slicebus_vfio.h>
#include <linux/vfio.h>

#define IOVA	0x10000000ULL
#define MEMSZ	(4UL << 20)
#define SRC	0x000000UL	/* offsets in the mapped memory */
#define DST	0x100000UL
#define AUX	0x200000UL
#define CRS	0x300000UL	/* completion records */

struct vdev {
	int container, group, fd, efd, req;
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

static int vopen(struct vdev *v, const char *uuid, uint64_t iova)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	char path[512], link[512];
	ssize_t n;

	memset(v, 0, sizeof(*v));
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
	{
		/* as pci_enable_device() and pci_set_master() do */
		uint16_t cmd = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;

		pwrite(v->fd, &cmd, 2, v->off[VFIO_PCI_CONFIG_REGION_INDEX] + PCI_COMMAND);
	}
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

	pread(v->fd, &x, 4, v->off[VFIO_PCI_CONFIG_REGION_INDEX] + off);
	return x;
}

static uint64_t rd(struct vdev *v, unsigned int off, int size)
{
	uint64_t x = 0;

	pread(v->fd, &x, size, v->off[VFIO_PCI_BAR0_REGION_INDEX] + off);
	return x;
}

static void wr(struct vdev *v, unsigned int off, uint32_t val)
{
	pwrite(v->fd, &val, 4, v->off[VFIO_PCI_BAR0_REGION_INDEX] + off);
}

/* Submit through the next portal slot; -1 with errno on refusal. */
static int submit(struct vdev *v, const struct dsa_hw_desc *d)
{
	uint64_t off = v->off[VFIO_PCI_BAR2_REGION_INDEX] +
		       (v->slot++ % (SBV_BAR2_SIZE / SBV_PORTAL_SLOT)) * SBV_PORTAL_SLOT;

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

static uint8_t run(struct vdev *v, struct dsa_hw_desc *d, unsigned int cri)
{
	if (submit(v, d))
		return 0xfe;
	return waitcr(v, cri);
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

static int set_irq(struct vdev *v, unsigned int index, int fd)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int)];
	struct vfio_irq_set *s = (void *)buf;

	s->argsz = sizeof(buf);
	s->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	s->index = index;
	s->start = 0;
	s->count = 1;
	memcpy(s->data, &fd, sizeof(fd));
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

static void functional(struct vdev *v, const char *uuid)
{
	struct vfio_device_info di = { .argsz = sizeof(di) };
	struct vfio_irq_info ii = { .argsz = sizeof(ii), .index = VFIO_PCI_MSI_IRQ_INDEX };
	uint8_t *m = v->mem;
	struct dsa_hw_desc d, list[3];
	uint32_t wqsz, cap;
	bool ok;

	tap(!ioctl(v->fd, VFIO_DEVICE_GET_INFO, &di) &&
	    (di.flags & VFIO_DEVICE_FLAGS_PCI) && (di.flags & VFIO_DEVICE_FLAGS_RESET) &&
	    di.num_regions >= VFIO_PCI_NUM_REGIONS, "device info: a resettable PCI device");
	tap(v->size[VFIO_PCI_CONFIG_REGION_INDEX] == 256 &&
	    v->size[VFIO_PCI_BAR0_REGION_INDEX] == SBV_BAR0_SIZE &&
	    v->size[VFIO_PCI_BAR2_REGION_INDEX] == SBV_BAR2_SIZE &&
	    !v->size[VFIO_PCI_BAR1_REGION_INDEX],
	    "regions: config 256, BAR0 and BAR2 4 KiB, no others");
	tap(!ioctl(v->fd, VFIO_DEVICE_GET_IRQ_INFO, &ii) && ii.count == 1 &&
	    (ii.flags & VFIO_IRQ_INFO_EVENTFD), "one MSI vector through an eventfd");
	tap((cfg32(v, PCI_VENDOR_ID) & 0xffff) == SBV_PCI_VENDOR_ID &&
	    cfg32(v, PCI_VENDOR_ID) >> 16 == SBV_PCI_DEVICE_ID &&
	    cfg32(v, PCI_CLASS_REVISION) >> 8 == SBV_PCI_CLASS,
	    "config space: vendor, device and class of the uapi header");
	cap = cfg32(v, PCI_CAPABILITY_LIST) & 0xff;
	tap(cap == SBV_PCI_MSI_CAP && (cfg32(v, cap) & 0xff) == PCI_CAP_ID_MSI,
	    "the capability list holds MSI");
	{
		uint32_t all = 0xffffffff, orig = cfg32(v, PCI_BASE_ADDRESS_0);

		pwrite(v->fd, &all, 4, v->off[VFIO_PCI_CONFIG_REGION_INDEX] +
		       PCI_BASE_ADDRESS_0);
		tap(cfg32(v, PCI_BASE_ADDRESS_0) == 0xfffff000,
		    "BAR0 sizing reads back a 4 KiB memory BAR");
		pwrite(v->fd, &orig, 4, v->off[VFIO_PCI_CONFIG_REGION_INDEX] +
		       PCI_BASE_ADDRESS_0);
	}
	wqsz = rd(v, SBV_REG_WQ_SIZE, 4);
	tap(rd(v, SBV_REG_VERSION, 4) == SBV_VERSION && (wqsz == 16 || wqsz == 64) &&
	    rd(v, SBV_REG_MAX_XFER, 4) >= 65536 &&
	    (rd(v, SBV_REG_OPCAP, 4) & (1u << DSA_OPCODE_MEMMOVE)),
	    "BAR0: version, WQ size %u, max transfer, opcode capabilities", wqsz);

	d = desc(v, DSA_OPCODE_NOOP, 0);
	errno = 0;
	tap(submit(v, &d) && errno == EAGAIN &&
	    rd(v, SBV_REG_PORTAL_STATUS, 4) == SBV_PORTAL_DISABLED,
	    "a descriptor to a disabled device is refused and says why");
	wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
	tap(rd(v, SBV_REG_STATUS, 4) & SBV_STATUS_ENABLED, "enabling through CTRL");

	v->efd = eventfd(0, EFD_NONBLOCK);
	tap(!set_irq(v, VFIO_PCI_MSI_IRQ_INDEX, v->efd), "MSI eventfd set");

	fill_random(m + SRC, 65536, 1);
	memset(m + DST, 0, 65536);
	d = desc(v, DSA_OPCODE_MEMMOVE, 1);
	d.src_addr = v->iova + SRC;
	d.dst_addr = v->iova + DST;
	d.xfer_size = 65536;
	tap(run(v, &d, 1) == DSA_COMP_SUCCESS && !memcmp(m + SRC, m + DST, 65536) &&
	    cr_at(v, 1)->bytes_completed == 65536,
	    "MEMMOVE of 64 KiB through BAR2, completion record in guest memory");

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

	wait_fd(v->efd, 0);
	d = desc(v, DSA_OPCODE_NOOP, 9);
	d.flags |= IDXD_OP_FLAG_RCI;
	tap(!submit(v, &d) && wait_fd(v->efd, 5000),
	    "a descriptor asking for an interrupt signals the MSI eventfd");

	{
		int xfd = eventfd(0, EFD_NONBLOCK);

		set_irq(v, VFIO_PCI_MSI_IRQ_INDEX, -1);
		d = desc(v, DSA_OPCODE_NOOP, 9);
		d.flags |= IDXD_OP_FLAG_RCI;
		tap(!set_irq(v, VFIO_PCI_MSIX_IRQ_INDEX, xfd) && !submit(v, &d) &&
		    wait_fd(xfd, 5000) && !wait_fd(v->efd, 0),
		    "with MSI-X instead, the MSI-X eventfd is signalled");
		set_irq(v, VFIO_PCI_MSIX_IRQ_INDEX, -1);
		set_irq(v, VFIO_PCI_MSI_IRQ_INDEX, v->efd);
		close(xfd);
	}

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

	d = desc(v, DSA_OPCODE_NOOP, 0);
	d.flags |= IDXD_OP_FLAG_RCR;
	d.completion_addr = 0xbad000000ULL;
	d.opcode = 0x7f;
	submit(v, &d);
	usleep(200000);
	tap((rd(v, SBV_REG_STATUS, 4) & SBV_STATUS_ERROR) &&
	    rd(v, SBV_REG_SWERR, 4) == SBV_SWERR_CR_WRITE &&
	    rd(v, SBV_REG_SWERR_ADDR, 8) == 0xbad000000ULL,
	    "an unwritable completion record is reported in SWERR");
	wr(v, SBV_REG_SWERR, SBV_SWERR_CR_WRITE);
	tap(!(rd(v, SBV_REG_STATUS, 4) & SBV_STATUS_ERROR), "SWERR clears on write-1");

	/* a descriptor assembled from 8-byte MMIO writes, as a guest does */
	d = desc(v, DSA_OPCODE_MEMMOVE, 12);
	d.src_addr = v->iova + SRC;
	d.dst_addr = v->iova + AUX;
	d.xfer_size = 512;
	for (int i = 0; i < 8; i++)
		pwrite(v->fd, (uint64_t *)&d + i, 8,
		       v->off[VFIO_PCI_BAR2_REGION_INDEX] + 128 + 8 * i);
	tap(waitcr(v, 12) == DSA_COMP_SUCCESS && !memcmp(m + SRC, m + AUX, 512),
	    "a descriptor written as eight 8-byte writes is submitted on the last");

	{
		unsigned int refused = 0, sent = 4 * wqsz;
		/* big enough that the engine lags; SB_BURST_XFER when the
		 * engine is slowed instead (the mediated path's copies are slow)
		 */
		uint32_t burst_xfer = getenv("SB_BURST_XFER") ?
				      strtoul(getenv("SB_BURST_XFER"), NULL, 0) : 1 << 20;
		uint64_t r0 = rd(v, SBV_REG_REFUSED, 8);

		for (unsigned int i = 0; i < sent; i++) {
			d = desc(v, DSA_OPCODE_MEMMOVE, 16 + (i % 64));
			d.src_addr = v->iova + SRC;
			d.dst_addr = v->iova + DST;
			d.xfer_size = burst_xfer;
			if (submit(v, &d))
				refused++;
		}
		tap(refused > 0 && refused < sent &&
		    rd(v, SBV_REG_REFUSED, 8) - r0 == refused,
		    "a burst of %u on a %u-entry WQ: %u refused and counted", sent,
		    wqsz, refused);
		usleep(500000);
	}

	ioctl(v->fd, VFIO_DEVICE_RESET);
	tap(!(rd(v, SBV_REG_STATUS, 4) & SBV_STATUS_ENABLED) &&
	    !rd(v, SBV_REG_CTRL, 4), "VFIO_DEVICE_RESET disables the device");
	wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
	d = desc(v, DSA_OPCODE_NOOP, 13);
	tap(run(v, &d, 13) == DSA_COMP_SUCCESS, "and it works again once enabled");
	(void)uuid;
}

/* Two devices, two containers: each reaches only its own memory. */
static void isolation(struct vdev *a, struct vdev *b)
{
	struct dsa_hw_desc d;

	wr(a, SBV_REG_CTRL, SBV_CTRL_ENABLE);
	wr(b, SBV_REG_CTRL, SBV_CTRL_ENABLE);
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
		VFIO_PCI_CONFIG_REGION_INDEX, VFIO_PCI_BAR0_REGION_INDEX,
		VFIO_PCI_BAR2_REGION_INDEX, VFIO_PCI_BAR1_REGION_INDEX, 12,
	};
	uint8_t buf[128];
	long errors = 0;

	srand(seed);
	for (long i = 0; i < n; i++) {
		static const size_t sizes[] = { 1, 2, 4, 8, 64 };
		unsigned int r = regions[rand() % 5];
		size_t len = rand() % 8 ? sizes[rand() % 5] : 1 + (size_t)(rand() % 128);
		uint64_t within = r == VFIO_PCI_CONFIG_REGION_INDEX ? 256 : 4096;
		uint64_t off = ((uint64_t)r << 40) +
			       (rand() % 8 ? ((uint64_t)rand() % within) & ~(len - 1) :
					     (uint64_t)rand());

		for (size_t k = 0; k < len; k++)
			buf[k] = rand();
		/* descriptors aim at our own memory most of the time */
		if (r == VFIO_PCI_BAR2_REGION_INDEX && len >= 24 && rand() % 2)
			memcpy(buf + 16, &(uint64_t){ v->iova + rand() % MEMSZ }, 8);
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
			set_irq(v, VFIO_PCI_MSI_IRQ_INDEX, -1);
		}
		if (rand() % 128 == 0) {
			struct vfio_region_info ri = { .argsz = sizeof(ri), .index = rand() % 16 };

			ioctl(v->fd, VFIO_DEVICE_GET_REGION_INFO, &ri);
		}
	}
	printf("# %ld random accesses, %ld refused\n", n, errors);
	ioctl(v->fd, VFIO_DEVICE_RESET);
	{
		/* the random config writes may have cleared bus mastering */
		uint16_t cmd = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;

		pwrite(v->fd, &cmd, 2, v->off[VFIO_PCI_CONFIG_REGION_INDEX] + PCI_COMMAND);
	}
	wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
	{
		struct dsa_hw_desc d = desc(v, DSA_OPCODE_MEMMOVE, 0);

		fill_random(v->mem + SRC, 4096, 7);
		d.src_addr = v->iova + SRC;
		d.dst_addr = v->iova + DST;
		d.xfer_size = 4096;
		tap(run(v, &d, 0) == DSA_COMP_SUCCESS &&
		    !memcmp(v->mem + SRC, v->mem + DST, 4096),
		    "after %ld random accesses the device still copies", n);
	}
}

static int hold(struct vdev *v)
{
	int req = eventfd(0, 0);

	if (set_irq(v, VFIO_PCI_REQ_IRQ_INDEX, req))
		return perror("request eventfd"), 1;
	wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
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

	if (set_irq(v, VFIO_PCI_REQ_IRQ_INDEX, req))
		return perror("request eventfd"), 1;
	wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
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

	wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
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
	double s;

	wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		d = desc(v, DSA_OPCODE_MEMMOVE, 0);
		d.src_addr = v->iova + SRC;
		d.dst_addr = v->iova + DST;
		d.xfer_size = 65536;
		if (run(v, &d, 0) != DSA_COMP_SUCCESS)
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
	bool ok = true;
	double ms;

	wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
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
	bool ok = true;

	wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
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

#ifndef SBV_PORTAL_NO_MASTER
#define SBV_PORTAL_NO_MASTER	0x3
#endif

/* Write the PCI command register, as a driver's pci_set_master() does. */
static void command(struct vdev *v, uint16_t bits)
{
	pwrite(v->fd, &bits, 2, v->off[VFIO_PCI_CONFIG_REGION_INDEX] + PCI_COMMAND);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* Descriptors accepted and not completed (dropped ones by a reset too). */
static uint64_t outstanding(struct vdev *v)
{
	return rd(v, SBV_REG_SUBMITTED, 8) - rd(v, SBV_REG_COMPLETED, 8);
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

	command(v, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
	memfill(v, 0, v->iova + AUX, 256, &d);
	tap(run(v, &d, 0) == DSA_COMP_SUCCESS, "with bus mastering on, a MEMFILL runs");

	command(v, PCI_COMMAND_MEMORY);
	memset(v->mem + AUX, 0, 8192);
	memfill(v, 1, v->iova + AUX, 4096, &d);
	errno = 0;
	ok = submit(v, &d) && errno == EAGAIN;
	tap(ok && rd(v, SBV_REG_PORTAL_STATUS, 4) == SBV_PORTAL_NO_MASTER,
	    "bus master off: a descriptor is refused, PORTAL_STATUS says why (%u)",
	    (unsigned int)rd(v, SBV_REG_PORTAL_STATUS, 4));
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
	    (rd(v, SBV_REG_STATUS, 4) & SBV_STATUS_ENABLED),
	    "bus mastering back on: the device runs again, still enabled");
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
 * returned, SWERR says so for good, and the open device refuses
 * descriptors until it is given back.  $SB_HOTPLUG names the control file.
 */
static int revoked(struct vdev *v, const char *uuid)
{
	const char *ctl = getenv("SB_HOTPLUG");
	int req = eventfd(0, 0);
	struct dsa_hw_desc d;
	bool ok = true;
	FILE *f;

	if (!ctl || set_irq(v, VFIO_PCI_REQ_IRQ_INDEX, req))
		return perror("SB_HOTPLUG or request eventfd"), 1;
	command(v, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
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
	tap((rd(v, SBV_REG_SWERR, 4) & SBV_SWERR_REVOKED) &&
	    (rd(v, SBV_REG_STATUS, 4) & (SBV_STATUS_ERROR | SBV_STATUS_ENABLED)) ==
	    SBV_STATUS_ERROR, "SWERR says revoked, STATUS says error, not enabled");
	wr(v, SBV_REG_SWERR, ~0u);
	tap(rd(v, SBV_REG_SWERR, 4) & SBV_SWERR_REVOKED,
	    "clearing SWERR does not clear revoked");
	memfill(v, 0, v->iova + AUX, 1024, &d);
	submit(v, &d);
	usleep(200000);
	tap(rd(v, SBV_REG_PORTAL_STATUS, 4) == SBV_PORTAL_DISABLED &&
	    all_zero(v->mem + AUX, 1024) && !cr_at(v, 0)->status,
	    "a descriptor after is refused at the portal, nothing written");
	ioctl(v->fd, VFIO_DEVICE_RESET);
	wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
	tap(!(rd(v, SBV_REG_STATUS, 4) & SBV_STATUS_ENABLED),
	    "neither a reset nor enabling brings the queue back");
	vclose(v);
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}

/*
 * What one user writes into config space is not what the next one finds:
 * BARs, the MSI address and data, the interrupt line are back to reset
 * values when the device is opened again.
 */
static int config_reset(struct vdev *v, const char *uuid)
{
	uint32_t bar = 0xfeed0000, addr = 0xfee01234, data = 0x4321;
	uint32_t before[3], after[3];
	uint8_t line = 0x5a;
	uint64_t cfg = v->off[VFIO_PCI_CONFIG_REGION_INDEX];

	before[0] = cfg32(v, PCI_BASE_ADDRESS_0);
	before[1] = cfg32(v, SBV_PCI_MSI_CAP + PCI_MSI_ADDRESS_LO);
	before[2] = cfg32(v, PCI_INTERRUPT_LINE) & 0xff;
	pwrite(v->fd, &bar, 4, cfg + PCI_BASE_ADDRESS_0);
	pwrite(v->fd, &addr, 4, cfg + SBV_PCI_MSI_CAP + PCI_MSI_ADDRESS_LO);
	pwrite(v->fd, &data, 2, cfg + SBV_PCI_MSI_CAP + PCI_MSI_DATA_64);
	pwrite(v->fd, &line, 1, cfg + PCI_INTERRUPT_LINE);
	tap(cfg32(v, PCI_BASE_ADDRESS_0) != before[0] &&
	    cfg32(v, SBV_PCI_MSI_CAP + PCI_MSI_ADDRESS_LO) == addr &&
	    (cfg32(v, PCI_INTERRUPT_LINE) & 0xff) == line,
	    "a user programs BAR0, the MSI address and the interrupt line (%08x %08x %02x)",
	    cfg32(v, PCI_BASE_ADDRESS_0),
	    cfg32(v, SBV_PCI_MSI_CAP + PCI_MSI_ADDRESS_LO),
	    cfg32(v, PCI_INTERRUPT_LINE) & 0xff);
	vclose(v);
	if (vopen(v, uuid, IOVA))
		return 1;
	after[0] = cfg32(v, PCI_BASE_ADDRESS_0);
	after[1] = cfg32(v, SBV_PCI_MSI_CAP + PCI_MSI_ADDRESS_LO);
	after[2] = cfg32(v, PCI_INTERRUPT_LINE) & 0xff;
	tap(!memcmp(before, after, sizeof(before)),
	    "the next user finds them as they were before (BAR0 %08x, MSI %08x, line %02x)",
	    after[0], after[1], after[2]);
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
	bool ok = true, mapped = true, unmapped = true;
	struct dsa_hw_desc d;

	if (rbuf == MAP_FAILED)
		return perror("mmap"), 1;
	uint64_t base;

	command(v, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
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
 * (VFIO_DEVICE_RESET, CTRL.RESET, CTRL.ENABLE cleared) under descriptors
 * in flight (the engine slowed by the caller) leaves nothing to be written
 * once it has returned.
 */
static int attacks(struct vdev *v)
{
	char buf[sizeof(struct vfio_irq_set) + 8];
	struct vfio_irq_set *is = (void *)buf;
	struct dsa_hw_desc d;
	uint64_t x = 0;
	bool ok;

	ok = pread(v->fd, &x, 8, v->off[VFIO_PCI_CONFIG_REGION_INDEX] + 252) == 4 &&
	     pread(v->fd, &x, 8, v->off[VFIO_PCI_CONFIG_REGION_INDEX] + 256) < 0 &&
	     pread(v->fd, &x, 8, v->off[VFIO_PCI_BAR0_REGION_INDEX] + SBV_BAR0_SIZE - 4) == 4 &&
	     pread(v->fd, &x, 8, v->off[VFIO_PCI_BAR2_REGION_INDEX] + (1ULL << 40) - 4) < 0 &&
	     pread(v->fd, &x, 2, v->off[VFIO_PCI_BAR0_REGION_INDEX] + SBV_REG_CTRL) < 0 &&
	     pread(v->fd, &x, 8, 0x7ffffffffffffffcLL) < 0;
	tap(ok, "region accesses past an end, at a wrapping offset or partial registers are refused");

	memset(buf, 0, sizeof(buf));
	is->argsz = sizeof(buf);
	is->flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER;
	is->index = VFIO_PCI_MSI_IRQ_INDEX;
	is->start = 1;
	is->count = UINT32_MAX;
	ok = ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	is->start = 0;
	is->count = 2;
	ok &= ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	is->count = 1;
	is->argsz = sizeof(*is) + 2;
	ok &= ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	is->argsz = sizeof(buf);
	is->index = VFIO_PCI_INTX_IRQ_INDEX;
	ok &= ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	is->index = 77;
	ok &= ioctl(v->fd, VFIO_DEVICE_SET_IRQS, is) < 0 && errno == EINVAL;
	tap(ok, "SET_IRQS: start/count overflow, count 2, short argsz, INTx, bad index refused");

	command(v, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	for (int how = 0; how < 3; how++) {
		static const char *const what[] = {
			"VFIO_DEVICE_RESET", "CTRL.RESET", "clearing CTRL.ENABLE",
		};

		wr(v, SBV_REG_CTRL, SBV_CTRL_ENABLE);
		ok = true;
		for (unsigned int i = 0; i < 8; i++) {
			memfill(v, i, v->iova + AUX + i * 1024, 1024, &d);
			ok &= !submit(v, &d);
		}
		if (how == 0)
			ioctl(v->fd, VFIO_DEVICE_RESET);
		else
			wr(v, SBV_REG_CTRL, how == 1 ? SBV_CTRL_RESET : 0);
		memset(v->mem + AUX, 0, 8192);
		for (unsigned int i = 0; i < 8; i++)
			memset(cr_at(v, i), 0, 32);
		usleep(1500000);
		ok &= all_zero(v->mem + AUX, 8192);
		for (unsigned int i = 0; i < 8; i++)
			ok &= !cr_at(v, i)->status;
		tap(ok, "%s under eight descriptors in flight: nothing written after", what[how]);
	}
	printf("1..%d\n", n_test);
	return n_fail ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct vdev a, b;
	long n = 0;
	int opt;
	char mode = 't';

	while ((opt = getopt(argc, argv, "f:ri:c:xm:uobU:aRC")) != -1) {
		mode = opt;
		if (optarg)
			n = strtol(optarg, NULL, 0);
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: vfio_test [-f N | -r | -i S | -c N | -x | -m N | -u | -o | -b | -U N | -a | -R | -C] UUID [UUID2]\n");
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
	if (mode == 'f') {
		fuzz(&a, n, 1);
	} else {
		functional(&a, argv[optind]);
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
