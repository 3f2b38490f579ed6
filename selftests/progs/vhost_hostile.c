// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile vhost-vdpa user of a slicebus vDPA device.  It drives the
 * device's virtqueues itself and names memory it never mapped: host
 * physical addresses, IOVAs outside its IOTLB, buffers that straddle the
 * end of a mapping, read-only mappings for receive buffers, ring indices
 * that run past the ring.  Every check asserts that nothing outside its own
 * writable mappings changed and that no host memory came back.  TAP.
 *
 * usage: vhost_hostile /dev/vhost-vdpa-N phys    no IOTLB, physical addresses
 *        vhost_hostile /dev/vhost-vdpa-N iotlb   one mapping, bad addresses
 *        vhost_hostile /dev/vhost-vdpa-N fuzz ROUNDS SEED
 *        vhost_hostile /dev/vhost-vdpa-N loop COUNT LEN   throughput (bench)
 *
 * Memory: one locked area of AREA_PAGES pages.  Pages MAP_FIRST ..
 * MAP_FIRST + MAP_PAGES - 1 are mapped read-write at IOVA_BASE, pages
 * RO_FIRST .. + RO_PAGES - 1 read-only at IOVA_RO; every other page is a
 * canary the device can never reach; the read-only pages hold a pattern of
 * their own.  The kernel's linux_banner is the host memory to look for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#define PG		4096UL
#define AREA_PAGES	64
#define MAP_FIRST	8
#define MAP_PAGES	32
#define RO_FIRST	44
#define RO_PAGES	2
#define IOVA_BASE	0x4000000000ULL		/* far above any RAM */
#define IOVA_RO		0x5000000000ULL
#define IOVA_END	(IOVA_BASE + MAP_PAGES * PG)
#define QSZ		8
#define HDR		((uint32_t)sizeof(struct virtio_net_hdr_v1))
#define CANARY		0xa5
#define RX_BUFS		4

enum { RXQ, TXQ };

/* Offsets inside the mapped pages. */
#define OFF_RING(q)	((q) * PG)		/* desc, avail, used of queue q */
#define OFF_TXBUF	(2 * PG)
#define OFF_RXBUF(i)	((4 + (i)) * PG)

static int n, failed;
static uint8_t *area;		/* AREA_PAGES pages */
static int fd, kick[2];
static uint16_t avail_idx[2], used_seen[2], next_desc[2];

static void tap(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failed += !ok;
}

static uint8_t *mp(uint64_t off)
{
	return area + MAP_FIRST * PG + off;
}

static uint64_t iova(uint64_t off)
{
	return IOVA_BASE + off;
}

static struct vring_desc *desc_of(int q)
{
	return (void *)mp(OFF_RING(q));
}

static struct vring_avail *avail_of(int q)
{
	return (void *)mp(OFF_RING(q) + 0x400);
}

static struct vring_used *used_of(int q)
{
	return (void *)mp(OFF_RING(q) + 0x800);
}

/* ---- host facts -------------------------------------------------------- */

static uint64_t ksym(const char *name)
{
	char line[256], sym[128], t;
	unsigned long long a;
	FILE *f = fopen("/proc/kallsyms", "r");
	uint64_t r = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %127s", &a, &t, sym) == 3 &&
		    !strcmp(sym, name)) {
			r = a;
			break;
		}
	fclose(f);
	return r;
}

/* The physical address of linux_banner: "Kernel code" starts at _text. */
static uint64_t banner_phys(void)
{
	uint64_t banner = ksym("linux_banner"), text = ksym("_text");
	unsigned long long s, e;
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");
	uint64_t code = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "Kernel code") &&
		    sscanf(line, " %llx-%llx", &s, &e) == 2) {
			code = s;
			break;
		}
	fclose(f);
	if (!banner || !text || !code || banner < text)
		return 0;
	return code + (banner - text);
}

static uint64_t phys_of(void *p)
{
	uint64_t ent = 0;
	int pm = open("/proc/self/pagemap", O_RDONLY);
	uintptr_t va = (uintptr_t)p;

	if (pm < 0)
		return 0;
	if (pread(pm, &ent, 8, (va / PG) * 8) != 8)
		ent = 0;
	close(pm);
	if (!(ent & (1ULL << 63)) || !(ent & ((1ULL << 55) - 1)))
		return 0;
	return (ent & ((1ULL << 55) - 1)) * PG + (va & (PG - 1));
}

static bool has_banner(const uint8_t *p, size_t len)
{
	return memmem(p, len, "Linux version", 13) != NULL;
}

/* ---- the canaries -------------------------------------------------------- */

static void fill_canaries(void)
{
	memset(area, CANARY, MAP_FIRST * PG);
	memset(area + (MAP_FIRST + MAP_PAGES) * PG, CANARY,
	       (AREA_PAGES - MAP_FIRST - MAP_PAGES) * PG);
}

/* 0 when every page the device cannot reach still holds its pattern. */
static int canaries_changed(void)
{
	unsigned int i, bad = 0;

	for (i = 0; i < AREA_PAGES * PG; i++) {
		if ((i >= MAP_FIRST * PG && i < (MAP_FIRST + MAP_PAGES) * PG) ||
		    (i >= RO_FIRST * PG && i < (RO_FIRST + RO_PAGES) * PG))
			continue;
		bad += area[i] != CANARY;
	}
	return bad;
}

/* ---- vhost-vdpa ------------------------------------------------------------ */

static int set_status(uint8_t s)
{
	return ioctl(fd, VHOST_VDPA_SET_STATUS, &s);
}

static uint8_t get_status(void)
{
	uint8_t s = 0;

	ioctl(fd, VHOST_VDPA_GET_STATUS, &s);
	return s;
}

static int iotlb(uint8_t type, uint64_t io, uint64_t size, void *uaddr,
		 uint8_t perm)
{
	struct vhost_msg_v2 m = { .type = VHOST_IOTLB_MSG_V2 };

	m.iotlb.type = type;
	m.iotlb.iova = io;
	m.iotlb.size = size;
	m.iotlb.uaddr = (uintptr_t)uaddr;
	m.iotlb.perm = perm;
	return write(fd, &m, sizeof(m)) == sizeof(m) ? 0 : -errno;
}

static int dev_open(const char *path)
{
	uint64_t bf = 1ULL << VHOST_BACKEND_F_IOTLB_MSG_V2;
	uint64_t f = (1ULL << VIRTIO_F_VERSION_1) |
		     (1ULL << VIRTIO_F_ACCESS_PLATFORM);

	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, VHOST_SET_OWNER) ||
	    ioctl(fd, VHOST_SET_BACKEND_FEATURES, &bf) || set_status(0) ||
	    set_status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER) ||
	    ioctl(fd, VHOST_SET_FEATURES, &f) ||
	    set_status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		       VIRTIO_CONFIG_S_FEATURES_OK))
		return -errno;
	return 0;
}

/* Rings at device addresses @ring[q] (IOVAs, or physical addresses). */
static int vqs_setup(const uint64_t ring[2])
{
	int q;

	for (q = RXQ; q <= TXQ; q++) {
		struct vhost_vring_state num = { q, QSZ }, base = { q, 0 };
		struct vhost_vring_state en = { q, 1 };
		struct vhost_vring_addr a = {
			.index = q,
			.desc_user_addr = ring[q],
			.avail_user_addr = ring[q] + 0x400,
			.used_user_addr = ring[q] + 0x800,
		};
		struct vhost_vring_file k;

		memset(mp(OFF_RING(q)), 0, 0xc00);
		avail_idx[q] = used_seen[q] = next_desc[q] = 0;
		kick[q] = eventfd(0, EFD_NONBLOCK);
		k.index = q;
		k.fd = kick[q];
		if (ioctl(fd, VHOST_SET_VRING_NUM, &num) ||
		    ioctl(fd, VHOST_SET_VRING_BASE, &base) ||
		    ioctl(fd, VHOST_SET_VRING_ADDR, &a) ||
		    ioctl(fd, VHOST_SET_VRING_KICK, &k) ||
		    ioctl(fd, VHOST_VDPA_SET_VRING_ENABLE, &en))
			return -errno;
	}
	return set_status(VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			  VIRTIO_CONFIG_S_FEATURES_OK |
			  VIRTIO_CONFIG_S_DRIVER_OK) ? -errno : 0;
}

static void dev_close(void)
{
	close(kick[0]);
	close(kick[1]);
	close(fd);
}

/* Post a chain of @nseg buffers on @q; the last one ends the chain. */
static void post(int q, const uint64_t *addr, const uint32_t *len,
		 unsigned int nseg, bool write)
{
	struct vring_desc *d = desc_of(q);
	uint16_t head = next_desc[q];
	unsigned int i;

	for (i = 0; i < nseg; i++) {
		uint16_t k = (head + i) % QSZ;

		d[k].addr = addr[i];
		d[k].len = len[i];
		d[k].flags = (write ? VRING_DESC_F_WRITE : 0) |
			     (i + 1 < nseg ? VRING_DESC_F_NEXT : 0);
		d[k].next = (head + i + 1) % QSZ;
	}
	next_desc[q] = (head + nseg) % QSZ;
	avail_of(q)->ring[avail_idx[q] % QSZ] = head;
	__atomic_store_n(&avail_of(q)->idx, ++avail_idx[q], __ATOMIC_RELEASE);
}

static void kick_q(int q)
{
	uint64_t one = 1;

	if (write(kick[q], &one, 8) != 8)
		perror("kick");
}

/* Wait for @q's used index to move; the new used element's length or -1. */
static int64_t wait_used(int q, int ms)
{
	struct vring_used *u = used_of(q);
	int t;

	for (t = 0; t < ms; t++) {
		if (__atomic_load_n(&u->idx, __ATOMIC_ACQUIRE) != used_seen[q])
			return u->ring[used_seen[q]++ % QSZ].len;
		usleep(1000);
	}
	return -1;
}

/* ---- the attacks ------------------------------------------------------------- */

/*
 * No IOTLB at all; the rings sit at the physical addresses of the user's
 * pages and the frame's payload is the kernel's banner.  A device that
 * trusted physical addresses would loop the banner into the RX buffer.
 */
static void attack_phys(const char *path)
{
	uint64_t bp = banner_phys(), ring[2], a[2];
	uint32_t l[2];
	uint8_t *rx = mp(OFF_RXBUF(0));
	int q;

	if (!bp || !phys_of(mp(0))) {
		printf("ok %d - no IOTLB: physical addresses # SKIP needs root (kallsyms, pagemap)\n",
		       ++n);
		return;
	}
	tap(dev_open(path) == 0, "open and negotiate, no IOTLB update sent");
	for (q = RXQ; q <= TXQ; q++)
		ring[q] = phys_of(mp(OFF_RING(q)));
	tap(vqs_setup(ring) == 0, "rings at physical addresses accepted by vhost");
	memset(rx, CANARY, PG);
	a[0] = phys_of(rx);
	l[0] = 2048;
	post(RXQ, a, l, 1, true);
	a[0] = phys_of(mp(OFF_TXBUF));
	l[0] = HDR;
	a[1] = bp;
	l[1] = 256;
	memset(mp(OFF_TXBUF), 0, HDR);
	post(TXQ, a, l, 2, false);
	kick_q(RXQ);
	kick_q(TXQ);
	usleep(500 * 1000);
	tap(!has_banner(area, AREA_PAGES * PG),
	    "the kernel's banner (phys 0x%llx) never reaches user memory",
	    (unsigned long long)bp);
	tap(used_of(TXQ)->idx == 0 && used_of(RXQ)->idx == 0,
	    "nothing is completed through unmapped rings (used %u/%u)",
	    used_of(RXQ)->idx, used_of(TXQ)->idx);
	tap(rx[0] == CANARY && !memcmp(rx, rx + 1, PG - 1),
	    "the RX buffer is untouched");
	dev_close();
}

/* Send one frame: header + @plen bytes at @paddr, into @rxaddr/@rxlen. */
static void frame(uint64_t paddr, uint32_t plen, uint64_t rxaddr,
		  uint32_t rxlen, int64_t *txlen, int64_t *rxused)
{
	uint64_t a[2] = { iova(OFF_TXBUF), paddr };
	uint32_t l[2] = { HDR, plen };

	post(RXQ, &rxaddr, &rxlen, 1, true);
	post(TXQ, a, l, 2, false);
	kick_q(RXQ);
	kick_q(TXQ);
	*txlen = wait_used(TXQ, 3000);
	*rxused = *txlen < 0 ? -1 : wait_used(RXQ, 1000);
}

static void attack_iotlb(const char *path)
{
	uint64_t ring[2] = { iova(OFF_RING(RXQ)), iova(OFF_RING(TXQ)) };
	uint64_t bp = banner_phys();
	uint8_t *rx = mp(OFF_RXBUF(0)), *ro = area + RO_FIRST * PG;
	const char msg[] = "a frame the user owns";
	int64_t tl, rl;
	int i;

	tap(dev_open(path) == 0, "open and negotiate");
	tap(iotlb(VHOST_IOTLB_UPDATE, IOVA_BASE, MAP_PAGES * PG,
		  area + MAP_FIRST * PG, VHOST_ACCESS_RW) == 0,
	    "map %d pages read-write at 0x%llx", MAP_PAGES,
	    (unsigned long long)IOVA_BASE);
	memset(ro, 0x5a, RO_PAGES * PG);
	tap(iotlb(VHOST_IOTLB_UPDATE, IOVA_RO, RO_PAGES * PG, ro,
		  VHOST_ACCESS_RO) == 0, "map %d pages read-only at 0x%llx",
	    RO_PAGES, (unsigned long long)IOVA_RO);
	tap(vqs_setup(ring) == 0, "rings in the mapping, DRIVER_OK");
	memset(mp(OFF_TXBUF), 0, PG);
	memcpy(mp(OFF_TXBUF + 64), msg, sizeof(msg));

	/* the positive control: a frame in the user's own memory loops */
	memset(rx, CANARY, PG);
	frame(iova(OFF_TXBUF + 64), 64, iova(OFF_RXBUF(0)), 2048, &tl, &rl);
	tap(rl == HDR + 64 && !memcmp(rx + HDR, msg, sizeof(msg)),
	    "a frame in mapped memory comes back (used len %lld)", (long long)rl);

	memset(rx, CANARY, PG);
	frame(IOVA_END + 0x100000, 64, iova(OFF_RXBUF(0)), 2048, &tl, &rl);
	tap(tl >= 0 && rl == 0 && rx[HDR + 1] == CANARY,
	    "a payload at an unmapped IOVA completes as an error (tx %lld, rx %lld)",
	    (long long)tl, (long long)rl);

	if (bp) {
		frame(bp, 256, iova(OFF_RXBUF(0)), 2048, &tl, &rl);
		tap(rl == 0 && !has_banner(area, AREA_PAGES * PG),
		    "a host physical address is not an IOVA (rx %lld)",
		    (long long)rl);
	}

	frame(IOVA_END - 16, 64, iova(OFF_RXBUF(0)), 2048, &tl, &rl);
	tap(rl == 0, "a payload straddling the mapping's end is refused (rx %lld)",
	    (long long)rl);

	frame(iova(OFF_TXBUF + 64), 1024, IOVA_END - 512, 2048, &tl, &rl);
	tap(rl == 0 && !canaries_changed(),
	    "an RX buffer straddling the mapping's end: error, the page after it untouched (rx %lld)",
	    (long long)rl);

	frame(iova(OFF_TXBUF + 64), 64, IOVA_RO, 2048, &tl, &rl);
	for (i = 0; i < (int)(RO_PAGES * PG) && ro[i] == 0x5a; i++)
		;
	tap(rl == 0 && i == (int)(RO_PAGES * PG),
	    "an RX buffer in a read-only mapping is never written (rx %lld)",
	    (long long)rl);

	frame(0xfffffffffffffff0ULL, 64, iova(OFF_RXBUF(0)), 2048, &tl, &rl);
	tap(rl == 0, "a payload whose end wraps past 2^64 is refused (rx %lld)",
	    (long long)rl);

	memset(rx, CANARY, PG);
	frame(iova(OFF_TXBUF + 64), 64, iova(OFF_RXBUF(0)), 2048, &tl, &rl);
	tap(rl == HDR + 64 && !memcmp(rx + HDR, msg, sizeof(msg)),
	    "the device still works after the refusals (rx %lld)", (long long)rl);

	/* an avail index that runs past the ring is a broken ring */
	avail_idx[TXQ] += 1000;
	__atomic_store_n(&avail_of(TXQ)->idx, avail_idx[TXQ], __ATOMIC_RELEASE);
	kick_q(TXQ);
	for (i = 0; i < 2000 && !(get_status() & VIRTIO_CONFIG_S_NEEDS_RESET); i++)
		usleep(1000);
	tap(get_status() & VIRTIO_CONFIG_S_NEEDS_RESET,
	    "an avail index 1000 entries ahead of a ring of %d sets NEEDS_RESET",
	    QSZ);

	tap(!canaries_changed(), "no page outside the writable mapping changed");
	tap(!has_banner(area, AREA_PAGES * PG), "no host memory in user memory");
	tap(iotlb(VHOST_IOTLB_INVALIDATE, IOVA_BASE, MAP_PAGES * PG, NULL, 0) == 0,
	    "the mapping can be removed with the device running");
	dev_close();
}

/* ---- the fuzzer ---------------------------------------------------------------- */

static uint64_t rnd(void)
{
	return ((uint64_t)random() << 33) ^ ((uint64_t)random() << 11) ^ random();
}

static uint64_t fuzz_addr(uint64_t bp)
{
	switch (random() % 12) {
	case 0: return 0;
	case 1: return bp;
	case 2: return IOVA_END - (random() % 64);
	case 3: return IOVA_BASE - (random() % 64);
	case 4: return IOVA_RO + (random() % (RO_PAGES * PG));
	case 5: return -(uint64_t)(random() % 4096);
	case 6: return rnd();
	case 7: return 1ULL << (random() % 64);
	default: return iova(2 * PG + random() % ((MAP_PAGES - 2) * PG));
	}
}

static uint32_t fuzz_len(void)
{
	static const uint32_t l[] = { 0, 1, 12, 13, 64, 1514, 4095, 4096, 65536,
				      0x7fffffff, 0xffffffff };

	return random() % 2 ? l[random() % (sizeof(l) / sizeof(l[0]))] :
	       random() % 8192;
}

#define HOSTILE(odds)	(random() % (odds) == 0)

static void fuzz(const char *path, int rounds, unsigned int seed)
{
	uint64_t ring[2] = { iova(OFF_RING(RXQ)), iova(OFF_RING(TXQ)) };
	uint64_t bp = banner_phys();
	uint8_t *ro = area + RO_FIRST * PG;
	int r, q, i, odds, opened = 0, resets = 0, frames = 0;

	srandom(seed);
	memset(ro, 0x5a, RO_PAGES * PG);
	for (r = 0; r < rounds; r++) {
		if (dev_open(path))
			continue;
		opened++;
		iotlb(VHOST_IOTLB_UPDATE, IOVA_BASE, MAP_PAGES * PG,
		      area + MAP_FIRST * PG, VHOST_ACCESS_RW);
		iotlb(VHOST_IOTLB_UPDATE, IOVA_RO, RO_PAGES * PG, ro,
		      VHOST_ACCESS_RO);
		if (random() % 8 == 0)	/* partial: unmap half of it */
			iotlb(VHOST_IOTLB_INVALIDATE, IOVA_BASE + 16 * PG,
			      16 * PG, NULL, 0);
		if (vqs_setup(ring)) {
			dev_close();
			continue;
		}
		/* one field in @odds is hostile, the rest as a driver writes them */
		odds = 1 + random() % 16;
		for (q = RXQ; q <= TXQ; q++) {
			struct vring_desc *d = desc_of(q);

			for (i = 0; i < QSZ; i++) {
				bool hdr = q == TXQ && !(i & 1);

				d[i].addr = HOSTILE(odds) ? fuzz_addr(bp) :
					    iova(OFF_TXBUF + i * 512);
				d[i].len = HOSTILE(odds) ? fuzz_len() :
					   hdr ? HDR : q == RXQ ? 2048 : 60 + random() % 400;
				d[i].flags = HOSTILE(odds) ? random() % 8 :
					     q == RXQ ? VRING_DESC_F_WRITE :
					     hdr ? VRING_DESC_F_NEXT : 0;
				d[i].next = HOSTILE(odds) ? random() % 0x10000 :
					    (i + 1) % QSZ;
				avail_of(q)->ring[i] = HOSTILE(odds) ?
						       random() % 0x10000 :
						       q == TXQ ? i & ~1 : i;
			}
			avail_of(q)->idx = HOSTILE(odds) ? random() % 0x10000 :
					   q == TXQ ? QSZ / 2 : QSZ;
			avail_of(q)->flags = random() % 2;
			kick_q(q);
		}
		usleep(20 * 1000);
		resets += !!(get_status() & VIRTIO_CONFIG_S_NEEDS_RESET);
		frames += used_of(TXQ)->idx;
		dev_close();
	}
	tap(opened == rounds, "%d of %d rounds set the device up", opened, rounds);
	printf("# %d rounds (seed %u): %d frames completed, %d broken rings\n",
	       rounds, seed, frames, resets);
	tap(!canaries_changed(), "no page outside the writable mapping changed");
	for (i = 0; i < (int)(RO_PAGES * PG) && ro[i] == 0x5a; i++)
		;
	tap(i == (int)(RO_PAGES * PG), "the read-only mapping is intact");
	tap(!has_banner(area, AREA_PAGES * PG), "no host memory in user memory");
}

/* ---- throughput (make bench) ------------------------------------------------ */

/* Spin until @q's used index moves, for up to @s seconds; its length or -1. */
static int64_t spin_used(int q, int s)
{
	struct vring_used *u = used_of(q);
	struct timespec t0, t;
	unsigned long i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0;; i++) {
		if (__atomic_load_n(&u->idx, __ATOMIC_ACQUIRE) != used_seen[q])
			return u->ring[used_seen[q]++ % QSZ].len;
		if (!(i & 1023)) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if (t.tv_sec - t0.tv_sec > s)
				return -1;
		}
		sched_yield();
	}
}

/*
 * A well-behaved user, for make bench: @count broadcast frames of @plen
 * bytes, one at a time, TX to RX through the device's loopback (a slicebus
 * slice's, or vdpa_sim_net's, which loops its TX queue into its RX queue).
 * Each comes back whole or the run fails; prints frames per second.
 */
static int loop(const char *path, long count, uint32_t plen)
{
	uint64_t ring[2] = { iova(OFF_RING(RXQ)), iova(OFF_RING(TXQ)) };
	uint64_t tx = iova(OFF_TXBUF), rx = iova(OFF_RXBUF(0));
	uint32_t txlen = HDR + plen, rxlen = HDR + plen;
	uint8_t *f = mp(OFF_TXBUF);
	struct timespec t0, t1;
	double secs;
	long i;

	if (plen < 60 || plen > 1514) {
		fprintf(stderr, "loop: frames of 60..1514 bytes\n");
		return 2;
	}
	if (dev_open(path) ||
	    iotlb(VHOST_IOTLB_UPDATE, IOVA_BASE, MAP_PAGES * PG,
		  area + MAP_FIRST * PG, VHOST_ACCESS_RW) ||
	    vqs_setup(ring)) {
		perror("setting the device up");
		return 1;
	}
	memset(f, 0, HDR);
	memset(f + HDR, 0xff, 6);				/* broadcast */
	memcpy(f + HDR + 6, "\x02\x00\x00\x5b\x00\x01", 6);
	f[HDR + 12] = 0x88;					/* local experimental */
	f[HDR + 13] = 0xb5;
	for (i = HDR + 14; i < txlen; i++)
		f[i] = i * 7;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++) {
		int64_t tl, rl;

		memset(mp(OFF_RXBUF(0)), 0, rxlen);
		post(RXQ, &rx, &rxlen, 1, true);
		post(TXQ, &tx, &txlen, 1, false);
		kick_q(RXQ);
		kick_q(TXQ);
		tl = spin_used(TXQ, 10);
		rl = tl < 0 ? -1 : spin_used(RXQ, 10);
		if (rl != (int64_t)(HDR + plen) ||
		    memcmp(mp(OFF_RXBUF(0)) + HDR, f + HDR, plen)) {
			fprintf(stderr, "frame %ld: TX used %lld, RX used %lld, %s\n", i,
				(long long)tl, (long long)rl,
				rl == (int64_t)(HDR + plen) ? "contents differ" : "lost");
			dev_close();
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.0f frames/s\n", count / secs);
	set_status(0);
	dev_close();
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: vhost_hostile DEV phys|iotlb|fuzz [ROUNDS SEED]|loop COUNT LEN\n");
		return 2;
	}
	area = mmap(NULL, AREA_PAGES * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (area == MAP_FAILED || mlock(area, AREA_PAGES * PG)) {
		perror("mmap");
		return 2;
	}
	memset(area, 0, AREA_PAGES * PG);
	fill_canaries();
	if (!strcmp(argv[2], "phys"))
		attack_phys(argv[1]);
	else if (!strcmp(argv[2], "iotlb"))
		attack_iotlb(argv[1]);
	else if (!strcmp(argv[2], "loop") && argc == 5)
		return loop(argv[1], atol(argv[3]), atoi(argv[4]));
	else if (!strcmp(argv[2], "fuzz") && argc == 5)
		fuzz(argv[1], atoi(argv[3]), strtoul(argv[4], NULL, 0));
	else
		return 2;
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
