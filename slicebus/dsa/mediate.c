// SPDX-License-Identifier: GPL-2.0
/*
 * The mediated path: holders with an address space of their own (a VFIO
 * user's IOVAs, a vhost IOTLB) on providers whose hardware reaches memory
 * only by DMA addresses (idxd, or slicesim loaded with mediate=1).
 *
 * This layer stands between the holder and the provider: it enables the
 * provider's queue as a kernel holder of its own and, for every descriptor,
 * parses its operands (xlate.c), copies them in from the holder's space
 * into bounce buffers mapped for the slice's DMA device, points the
 * descriptor at them and at a completion record of its own, and submits
 * it.  A batch's descriptor list is rebuilt the same way, member by member.
 * Operands that overlap in the holder's space share one bounce region, so
 * that what one member of a batch writes, a later (fenced) member reads,
 * and an overlapping MEMMOVE stays one.  When the hardware completes it
 * (interrupt on our record's slot), a work item copies the written ranges
 * back in member order, writes the holder's completion records (status
 * byte last) and raises the holder's interrupts.  When the holder can pin
 * its memory (VFIO) and a region's pages are physically contiguous, the
 * region is mapped in place instead of copied (zero-copy) and unpinned at
 * completion.  The hardware never sees an address of the holder's space:
 * only operands the parser knows are passed on, and the flags that could
 * name memory are refused.
 *
 * A descriptor the hardware would reject without touching memory, or whose
 * source cannot be read, is completed here with the status the hardware
 * would give.  Batch members that fail so are replaced with no-ops and
 * their status restored at completion; a fenced member after such a failure
 * fails as on the hardware.
 *
 * Regions are mapped with the direction of their use (read only: to the
 * device; written: from it, or both).  A written region is not mapped in
 * place over a cache line that another written region still maps (two
 * requests in flight on one buffer): it is bounced instead, so that no
 * cache line is ever mapped for the device to write twice at once, as the
 * DMA API requires.  Small bounce buffers are allocated a power of two of
 * at least a cache line, so that they are aligned and share no line.
 *
 * What a holder may make the host spend is bounded before anything is
 * allocated for it: every request reserves, from its slice's budget, the
 * bytes of its bookkeeping (known from the descriptor count), then those
 * of its regions (known once the operands are parsed and merged) and of a
 * batch's rebuilt list.  A request over %SB_MED_REQ_CAP completes with
 * transfer-size-out-of-range; one that does not fit in what is left of
 * %SB_MED_SLICE_CAP is refused as a full queue would refuse it, and the
 * holder retries once some complete.  Pinned regions count as bounced
 * ones.  The parser (xlate.c) refuses operands that wrap past 2^64, and
 * every operand is checked to lie inside its merged region before a
 * descriptor is pointed at it, so that nothing the holder writes makes the
 * hardware, or a copy, run past what was allocated or pinned.
 *
 * The memory is charged to the memory cgroup of the process that enabled
 * the queue (the VFIO user or the vhost owner): it is taken at creation
 * and made the active one around every allocation of a submission, since
 * submissions may come from a worker rather than from that process.
 *
 * Locking: sb_med.lock (a spinlock: the provider's interrupt callback may
 * run in atomic context) guards the slot table, the done list, the
 * reserved byte count and its peak, and the list of written in-place
 * regions.
 * Submissions come from the holder in process context and may run
 * concurrently: a request is private to its submitter until its slot is
 * taken under the lock.  Completions are finished by one
 * work item, in the order the hardware reported them.  Lifetime: created by
 * slicebus_dsa_queue_enable() before the provider's queue is enabled, destroyed
 * by slicebus_dsa_queue_disable() after the provider's queue is disabled (no
 * callback can come any more) and the work item flushed; requests the
 * provider discarded are freed then, without a completion.
 */
#include <linux/build_bug.h>
#include <linux/cache.h>
#include <linux/dma-mapping.h>
#include <linux/log2.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/slicebus_dsa.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>

#include "dsa.h"
#include "xlate.h"

#define SB_MED_CHUNK	PAGE_SIZE
#define SB_REC_SIZE	sizeof(struct dsa_completion_record)
/*
 * Host memory (bounce buffers, pinned ranges, bookkeeping) one request may
 * take, and all the requests of one slice in flight.  One descriptor of
 * the largest transfer always fits a request.
 */
#define SB_MED_REQ_CAP		(8U << 20)
#define SB_MED_SLICE_CAP	(16U << 20)
/* largest bounce region (overlapping operands merged): kmalloc()'s limit */
#define SB_MED_MAX_REGION	(4U << 20)

/* one bounce region: a merged range of the holder's space, both ends in */
struct sb_mregion {
	u64 start, last;
	void *va;		/* bounce buffer, or NULL when pinned */
	struct page **pages;	/* pinned pages, or NULL */
	unsigned int npages;
	dma_addr_t dma;
	phys_addr_t phys;	/* pinned: where the range starts */
	struct list_head node;	/* pinned and written: on sb_med.inplace */
	bool read;
	bool write;
	bool mapped;
	bool listed;
};

/* one descriptor of a request: the request's own, or a batch member */
struct sb_mmember {
	struct dsa_hw_desc orig;
	struct sb_xlate x;
	struct dsa_completion_record local;	/* status != 0: failed here */
};

struct sb_mreq {
	struct list_head node;
	unsigned int slot;
	struct dsa_hw_desc orig;
	struct dsa_completion_record cr;
	bool batch;
	unsigned int nr_members;
	struct sb_mmember *members;
	unsigned int nr_regions;
	struct sb_mregion *regions;
	size_t bytes;		/* reserved from sb_med.reserved */
	/* BATCH: the rebuilt list, then the members' records */
	void *area;
	dma_addr_t area_dma;
	size_t area_size;
	bool area_mapped;
};

struct sb_med {
	struct slicebus_slice *slice;
	struct device *dev;
	const struct slicebus_dsa_queue_cfg *hcfg;
	struct slicebus_dsa_queue_cfg cfg;
	u32 max_xfer;
	unsigned int max_batch;
	unsigned int nr;
	struct dsa_completion_record *recs;
	dma_addr_t recs_dma;
	spinlock_t lock;	/* see above */
	struct sb_mreq **slots;
	struct list_head done;
	struct work_struct work;
	size_t reserved;	/* host memory of the requests in flight */
	size_t peak;		/* the most @reserved ever was */
	struct list_head inplace;	/* written regions mapped in place */
	struct mem_cgroup *memcg;	/* the opener's, charged for it all */
	struct device_attribute attr;	/* queue/mediated */
	bool attr_added;
};

/* ---- holder memory ------------------------------------------------------ */

/*
 * Copy with the holder.  On a fault, *@fault is the start of the first
 * page that failed (the range is retried page by page to find it).
 */
static int sb_med_rw(struct sb_med *m, u64 addr, void *buf, u32 len,
		     bool write, u64 *fault)
{
	const struct slicebus_dsa_mem_ops *mem = m->hcfg->mem;
	u32 off, n;

	if (!mem->rw(m->hcfg->mem_priv, addr, buf, len, write))
		return 0;
	for (off = 0; off < len; off += n) {
		n = min_t(u32, len - off,
			  SB_MED_CHUNK - ((addr + off) & (SB_MED_CHUNK - 1)));
		if (mem->rw(m->hcfg->mem_priv, addr + off, buf + off, n, write))
			break;
	}
	*fault = addr + off;
	return -EFAULT;
}

/* Write a completion record at the holder's @addr, status byte last. */
static void sb_med_record(struct sb_med *m, const struct dsa_hw_desc *d,
			  const struct dsa_completion_record *cr)
{
	const struct slicebus_dsa_queue_cfg *h = m->hcfg;
	u8 status = cr->status;
	bool fail = DSA_COMP_STATUS(status) != DSA_COMP_SUCCESS;
	u64 fault;

	if (!(d->flags & IDXD_OP_FLAG_CRAV) ||
	    (!(d->flags & IDXD_OP_FLAG_RCR) && !fail))
		return;
	if ((d->completion_addr & 31) ||
	    sb_med_rw(m, d->completion_addr + 1, (void *)cr + 1,
		      SB_REC_SIZE - 1, true, &fault) ||
	    sb_med_rw(m, d->completion_addr, &status, 1, true, &fault)) {
		if (h->error)
			h->error(h->priv, d->completion_addr);
	}
}

static void sb_med_irq_holder(struct sb_med *m, const struct dsa_hw_desc *d)
{
	if ((d->flags & IDXD_OP_FLAG_RCI) && m->hcfg->irq)
		m->hcfg->irq(m->hcfg->priv, d->int_handle);
}

/* ---- bounce regions ----------------------------------------------------- */

static int sb_mregion_cmp(const void *a, const void *b)
{
	const struct sb_mregion *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static size_t sb_mregion_len(const struct sb_mregion *rg)
{
	return rg->last - rg->start + 1;
}

/* The region that holds all of @op, or NULL. */
static struct sb_mregion *sb_mreq_region(struct sb_mreq *r,
					 const struct sb_xlate_op *op)
{
	u64 last = op->addr + (op->len - 1);
	unsigned int i;

	for (i = 0; i < r->nr_regions; i++)
		if (op->addr >= r->regions[i].start &&
		    op->addr <= r->regions[i].last)
			return last >= op->addr && last <= r->regions[i].last ?
			       &r->regions[i] : NULL;
	return NULL;
}

/* Reserve @bytes of the slice's budget for @r; false when it has not got them. */
static bool sb_mreq_reserve(struct sb_med *m, struct sb_mreq *r, size_t bytes)
{
	bool ok;

	spin_lock_irq(&m->lock);
	ok = m->reserved + bytes <= SB_MED_SLICE_CAP;
	if (ok) {
		m->reserved += bytes;
		m->peak = max(m->peak, m->reserved);
		r->bytes += bytes;
	}
	spin_unlock_irq(&m->lock);
	return ok;
}

static bool sb_mmember_ok(const struct sb_mmember *mb)
{
	return !mb->local.status;
}

/*
 * What to allocate for a bounce buffer of @len: kmalloc() aligns power of
 * two sizes naturally, and larger ones to a page at least.
 */
static size_t sb_bounce_size(size_t len)
{
	len = max3(len, (size_t)L1_CACHE_BYTES,
		   (size_t)dma_get_cache_alignment());
	return len < PAGE_SIZE ? roundup_pow_of_two(len) : len;
}

/*
 * The operands of every member still going to the hardware, merged where
 * they overlap, and what they will cost in *@bytes.  Returns 0, or a DSA
 * status for the whole request when a region would be too large to
 * bounce.  The parser refused operands that wrap; an operand outside its
 * region after all would make the hardware run past what is allocated, so
 * it is checked for before anything is.
 */
static u8 sb_mreq_regions(struct sb_mreq *r, size_t *bytes)
{
	struct sb_mregion *rg = r->regions;
	unsigned int i, j, n = 0;

	for (i = 0; i < r->nr_members; i++) {
		const struct sb_mmember *mb = &r->members[i];

		if (!sb_mmember_ok(mb))
			continue;
		for (j = 0; j < mb->x.nr_ops; j++) {
			const struct sb_xlate_op *op = &mb->x.ops[j];

			if (!op->len)
				continue;
			rg[n++] = (struct sb_mregion){
				.start = op->addr, .last = op->addr + (op->len - 1),
				.read = !op->write, .write = op->write,
			};
		}
	}
	sort(rg, n, sizeof(*rg), sb_mregion_cmp, NULL);
	r->nr_regions = 0;
	*bytes = 0;
	for (i = 0; i < n; i++) {
		struct sb_mregion *last = r->nr_regions ?
					  &rg[r->nr_regions - 1] : NULL;

		if (last && rg[i].start <= last->last) {
			last->last = max(last->last, rg[i].last);
			last->read |= rg[i].read;
			last->write |= rg[i].write;
		} else {
			rg[r->nr_regions++] = rg[i];
		}
	}
	for (i = 0; i < r->nr_regions; i++) {
		/* chained overlaps */
		if (rg[i].last - rg[i].start >= SB_MED_MAX_REGION)
			return DSA_COMP_XFER_ERANGE;
		*bytes += sb_bounce_size(sb_mregion_len(&rg[i]));
	}
	for (i = 0; i < r->nr_members; i++) {
		const struct sb_mmember *mb = &r->members[i];

		for (j = 0; sb_mmember_ok(mb) && j < mb->x.nr_ops; j++)
			if (WARN_ON_ONCE(mb->x.ops[j].len &&
					 !sb_mreq_region(r, &mb->x.ops[j])))
				return DSA_COMP_XFER_ERANGE;
	}
	return 0;
}

static enum dma_data_direction sb_mregion_dir(const struct sb_mregion *rg)
{
	if (!rg->write)
		return DMA_TO_DEVICE;
	return rg->read ? DMA_BIDIRECTIONAL : DMA_FROM_DEVICE;
}

/* Do pinned @a and @b share a cache line? */
static bool sb_mregion_share_line(const struct sb_mregion *a,
				  const struct sb_mregion *b)
{
	return ALIGN_DOWN(a->phys, L1_CACHE_BYTES) <
	       ALIGN(b->phys + sb_mregion_len(b), L1_CACHE_BYTES) &&
	       ALIGN_DOWN(b->phys, L1_CACHE_BYTES) <
	       ALIGN(a->phys + sb_mregion_len(a), L1_CACHE_BYTES);
}

/*
 * Put written, pinned @rg on the in-place list unless a cache line of it
 * is mapped for writing by another region in flight.  The list holds at
 * most the written regions of the requests in flight (queue size times
 * the operands of a batch), and stays short in practice.  Taken off by
 * sb_mregion_unclaim() once @rg is unmapped.
 */
static bool sb_mregion_claim(struct sb_med *m, struct sb_mregion *rg)
{
	struct sb_mregion *o;
	unsigned long flags;
	bool ok = true;

	spin_lock_irqsave(&m->lock, flags);
	list_for_each_entry(o, &m->inplace, node) {
		if (sb_mregion_share_line(rg, o)) {
			ok = false;
			break;
		}
	}
	if (ok) {
		list_add_tail(&rg->node, &m->inplace);
		rg->listed = true;
	}
	spin_unlock_irqrestore(&m->lock, flags);
	return ok;
}

static void sb_mregion_unclaim(struct sb_med *m, struct sb_mregion *rg)
{
	unsigned long flags;

	if (!rg->listed)
		return;
	spin_lock_irqsave(&m->lock, flags);
	list_del(&rg->node);
	rg->listed = false;
	spin_unlock_irqrestore(&m->lock, flags);
}

/* Fail @mb here with @status (and @fault for a page fault). */
static void sb_mmember_fail(struct sb_mmember *mb, u8 status, u64 fault)
{
	if (mb->local.status)
		return;
	mb->local.status = status;
	mb->local.fault_addr = fault;
}

/*
 * Use @rg in place: pin its pages and, when they are physically
 * contiguous, map them for the device.  Returns true when it did.
 */
static bool sb_mregion_pin(struct sb_med *m, struct sb_mregion *rg)
{
	const struct slicebus_dsa_mem_ops *mem = m->hcfg->mem;
	u64 first = rg->start & PAGE_MASK;
	unsigned int i, n;

	if (!mem->pin || !mem->unpin)
		return false;
	n = (((rg->last & PAGE_MASK) - first) >> PAGE_SHIFT) + 1;
	rg->pages = kcalloc(n, sizeof(*rg->pages),
			    GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!rg->pages)
		return false;
	if (mem->pin(m->hcfg->mem_priv, first, n, rg->write, rg->pages))
		goto free;
	for (i = 1; i < n; i++)
		if (page_to_pfn(rg->pages[i]) != page_to_pfn(rg->pages[0]) + i)
			goto unpin;
	rg->phys = page_to_phys(rg->pages[0]) + (rg->start - first);
	if (rg->write && !sb_mregion_claim(m, rg))
		goto unpin;
	rg->dma = dma_map_page(m->dev, rg->pages[0], rg->start - first,
			       sb_mregion_len(rg), sb_mregion_dir(rg));
	if (dma_mapping_error(m->dev, rg->dma))
		goto unclaim;
	rg->npages = n;
	rg->mapped = true;
	atomic64_inc(&sb_dsa(m->slice)->med_pinned);
	return true;
unclaim:
	sb_mregion_unclaim(m, rg);
unpin:
	mem->unpin(m->hcfg->mem_priv, first, n);
free:
	kfree(rg->pages);
	rg->pages = NULL;
	return false;
}

/*
 * Allocate, fill and map the regions.  A region read by some member that
 * cannot be read fails the members with an operand in it, with a page
 * fault at the first unreadable chunk (or the operand's start when that
 * chunk is not in it).  Returns 0 or -ENOMEM.
 */
static int sb_mreq_bounce(struct sb_med *m, struct sb_mreq *r)
{
	unsigned int i, j, k;
	u64 fault;

	for (i = 0; i < r->nr_regions; i++) {
		struct sb_mregion *rg = &r->regions[i];
		size_t len = sb_mregion_len(rg);

		if (sb_mregion_pin(m, rg))
			continue;
		rg->va = kmalloc(sb_bounce_size(len),
				 GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!rg->va)
			return -ENOMEM;
		if (sb_med_rw(m, rg->start, rg->va, len, false, &fault)) {
			/* written only: what is not written is not copied back */
			memset(rg->va, 0, len);
			for (j = 0; rg->read && j < r->nr_members; j++) {
				struct sb_mmember *mb = &r->members[j];

				for (k = 0; k < mb->x.nr_ops; k++) {
					const struct sb_xlate_op *op = &mb->x.ops[k];

					if (!op->len || op->addr < rg->start ||
					    op->addr > rg->last)
						continue;
					sb_mmember_fail(mb, DSA_COMP_PAGE_FAULT_NOBOF,
							fault >= op->addr &&
							fault - op->addr < op->len ?
							fault : op->addr);
				}
			}
		}
		rg->dma = dma_map_single(m->dev, rg->va, len, sb_mregion_dir(rg));
		if (dma_mapping_error(m->dev, rg->dma))
			return -ENOMEM;
		rg->mapped = true;
	}
	return 0;
}

/* Point @hw's operands at the bounce regions. */
static void sb_mmember_translate(struct sb_mreq *r, const struct sb_mmember *mb,
				 struct dsa_hw_desc *hw)
{
	unsigned int i;

	for (i = 0; i < mb->x.nr_ops; i++) {
		const struct sb_xlate_op *op = &mb->x.ops[i];
		struct sb_mregion *rg = op->len ? sb_mreq_region(r, op) : NULL;

		/* sb_mreq_regions() checked that every operand has its region */
		sb_xlate_set(hw, op->field,
			     rg ? rg->dma + (op->addr - rg->start) : 0);
	}
}

/* Copy @mb's written ranges back; a fault turns @cr into a page fault. */
static void sb_mmember_copy_back(struct sb_med *m, struct sb_mreq *r,
				 const struct sb_mmember *mb,
				 struct dsa_completion_record *cr)
{
	unsigned int i;
	u64 fault;

	for (i = 0; i < mb->x.nr_ops; i++) {
		const struct sb_xlate_op *op = &mb->x.ops[i];
		u32 n = sb_xlate_written(&mb->orig, op, cr);
		struct sb_mregion *rg = n ? sb_mreq_region(r, op) : NULL;

		if (!rg || !rg->va)	/* nothing written, or used in place */
			continue;
		if (sb_med_rw(m, op->addr, rg->va + (op->addr - rg->start), n,
			      true, &fault)) {
			cr->status = DSA_COMP_PAGE_FAULT_NOBOF;
			cr->fault_addr = fault;
			cr->bytes_completed = fault - op->addr;
		}
	}
}

/* ---- requests ----------------------------------------------------------- */

static void sb_mreq_free(struct sb_med *m, struct sb_mreq *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_regions; i++) {
		struct sb_mregion *rg = &r->regions[i];

		if (rg->mapped && rg->pages)
			dma_unmap_page(m->dev, rg->dma, sb_mregion_len(rg),
				       sb_mregion_dir(rg));
		else if (rg->mapped)
			dma_unmap_single(m->dev, rg->dma, sb_mregion_len(rg),
					 sb_mregion_dir(rg));
		sb_mregion_unclaim(m, rg);
		if (rg->pages) {
			m->hcfg->mem->unpin(m->hcfg->mem_priv,
					    rg->start & PAGE_MASK, rg->npages);
			kfree(rg->pages);
		}
		kfree(rg->va);
	}
	kfree(r->regions);
	kfree(r->members);
	if (r->area_mapped)
		dma_unmap_single(m->dev, r->area_dma, r->area_size,
				 DMA_BIDIRECTIONAL);
	kfree(r->area);
	spin_lock_irq(&m->lock);
	m->reserved -= r->bytes;
	spin_unlock_irq(&m->lock);
	kfree(r);
}

/* Complete a descriptor here, without the hardware. */
static void sb_med_local(struct sb_med *m, const struct dsa_hw_desc *d,
			 struct dsa_completion_record *cr)
{
	atomic64_inc(&sb_dsa(m->slice)->med_count);
	atomic64_inc(&sb_dsa(m->slice)->med_local);
	if (DSA_COMP_STATUS(cr->status) != DSA_COMP_SUCCESS)
		atomic64_inc(&sb_dsa(m->slice)->med_failed);
	sb_med_record(m, d, cr);
	sb_med_irq_holder(m, d);
}

/* The descriptors the hardware gets for @mb: a no-op when it failed here. */
static void sb_mmember_hw(struct sb_mreq *r, const struct sb_mmember *mb,
			  struct dsa_hw_desc *hw)
{
	*hw = mb->orig;
	if (sb_mmember_ok(mb)) {
		sb_mmember_translate(r, mb, hw);
	} else {
		memset(hw, 0, sizeof(*hw));
		hw->opcode = DSA_OPCODE_NOOP;
		hw->flags = mb->orig.flags & IDXD_OP_FLAG_FENCE;
	}
	hw->pasid = 0;
	hw->priv = 0;
	hw->rsvd = 0;
}

/* A batch's rebuilt list and its members' records. */
static size_t sb_mreq_area_size(const struct sb_mreq *r)
{
	return r->batch ? sb_bounce_size(r->orig.desc_count *
					 (sizeof(struct dsa_hw_desc) + SB_REC_SIZE)) : 0;
}

/*
 * Read, parse and bounce a request's members, each step's memory reserved
 * before it is allocated.  Returns 0 (members that cannot run are failed
 * here), -EFAULT when a batch's list cannot be read (*@fault set),
 * -ENOSPC when the slice's budget is short, -ENOMEM, or a positive DSA
 * status for the whole request.
 */
static int sb_mreq_prepare(struct sb_med *m, struct sb_mreq *r, u64 *fault)
{
	unsigned int i, n = r->batch ? r->orig.desc_count : 1;
	size_t meta = sizeof(*r) + n * (sizeof(*r->members) +
					SB_XLATE_MAX_OPS * sizeof(*r->regions));
	size_t bytes;
	bool failed = false;
	u8 status;

	if (meta > SB_MED_REQ_CAP)
		return DSA_COMP_XFER_ERANGE;
	if (!sb_mreq_reserve(m, r, meta))
		return -ENOSPC;
	r->members = kcalloc(n, sizeof(*r->members), GFP_KERNEL_ACCOUNT);
	r->regions = kcalloc(n * SB_XLATE_MAX_OPS, sizeof(*r->regions),
			     GFP_KERNEL_ACCOUNT);
	if (!r->members || !r->regions)
		return -ENOMEM;
	r->nr_members = n;
	if (!r->batch) {
		r->members[0].orig = r->orig;
		sb_xlate_parse(&r->orig, false, m->max_xfer, m->max_batch,
			       &r->members[0].x);
	}
	for (i = 0; r->batch && i < n; i++) {
		struct sb_mmember *mb = &r->members[i];

		if (sb_med_rw(m, r->orig.desc_list_addr + i * sizeof(mb->orig),
			      &mb->orig, sizeof(mb->orig), false, fault))
			return -EFAULT;
		sb_xlate_parse(&mb->orig, true, m->max_xfer, m->max_batch,
			       &mb->x);
		mb->local.status = mb->x.status;
		mb->local.invalid_flags = mb->x.invalid_flags;
		mb->local.fault_addr = mb->x.fault_addr;
	}
	status = sb_mreq_regions(r, &bytes);
	if (status)
		return status;
	bytes += sb_mreq_area_size(r);
	if (r->bytes + bytes > SB_MED_REQ_CAP)
		return DSA_COMP_XFER_ERANGE;
	if (!sb_mreq_reserve(m, r, bytes))
		return -ENOSPC;
	if (sb_mreq_bounce(m, r))
		return -ENOMEM;
	/* a fenced member after one that failed here fails, as on hardware */
	for (i = 0; r->batch && i < n; i++) {
		struct sb_mmember *mb = &r->members[i];

		if (failed && (mb->orig.flags & IDXD_OP_FLAG_FENCE))
			sb_mmember_fail(mb, DSA_COMP_BATCH_FAIL, 0);
		failed |= !sb_mmember_ok(mb);
	}
	return 0;
}

/*
 * Lay out a batch's list and member records in memory mapped for the
 * device (a streaming mapping of memory charged like the bounce buffers:
 * no coherent allocation per batch).
 */
static int sb_mreq_batch_list(struct sb_med *m, struct sb_mreq *r,
			      struct dsa_hw_desc *batch)
{
	unsigned int i, n = r->nr_members;
	struct dsa_hw_desc *list;
	dma_addr_t rec_dma;

	/* a power of two: the list 64-byte aligned, as the hardware wants */
	r->area_size = sb_mreq_area_size(r);
	r->area = kzalloc(r->area_size, GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!r->area)
		return -ENOMEM;
	r->area_dma = dma_map_single(m->dev, r->area, r->area_size,
				     DMA_BIDIRECTIONAL);
	if (dma_mapping_error(m->dev, r->area_dma))
		return -ENOMEM;
	r->area_mapped = true;
	list = r->area;
	rec_dma = r->area_dma + n * sizeof(*list);
	for (i = 0; i < n; i++) {
		struct dsa_hw_desc *hw = &list[i];

		sb_mmember_hw(r, &r->members[i], hw);
		hw->flags = (hw->flags & ~IDXD_OP_FLAG_RCI) |
			    IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR;
		hw->completion_addr = rec_dma + i * SB_REC_SIZE;
		hw->int_handle = 0;
	}
	dma_sync_single_for_device(m->dev, r->area_dma, r->area_size,
				   DMA_BIDIRECTIONAL);
	batch->desc_list_addr = r->area_dma;
	return 0;
}

/* The hardware completed @r (its record in our slot): finish it. */
static void sb_mreq_finish(struct sb_med *m, struct sb_mreq *r)
{
	struct dsa_completion_record *recs = NULL, cr;
	bool member_failed = false;
	unsigned int i;

	for (i = 0; i < r->nr_regions; i++)
		if (r->regions[i].mapped && r->regions[i].write)
			dma_sync_single_for_cpu(m->dev, r->regions[i].dma,
						sb_mregion_len(&r->regions[i]),
						sb_mregion_dir(&r->regions[i]));
	if (!r->batch) {
		cr = r->cr;
		if (sb_mmember_ok(&r->members[0]))
			sb_mmember_copy_back(m, r, &r->members[0], &cr);
		else
			cr = r->members[0].local;
		goto done;
	}
	dma_sync_single_for_cpu(m->dev, r->area_dma, r->area_size,
				DMA_BIDIRECTIONAL);
	recs = r->area + r->nr_members * sizeof(struct dsa_hw_desc);
	for (i = 0; i < r->nr_members; i++) {
		struct sb_mmember *mb = &r->members[i];

		if (sb_mmember_ok(mb)) {
			cr = recs[i];
			sb_mmember_copy_back(m, r, mb, &cr);
		} else {
			cr = mb->local;
		}
		if (DSA_COMP_STATUS(cr.status) != DSA_COMP_SUCCESS &&
		    DSA_COMP_STATUS(cr.status) != DSA_COMP_SUCCESS_PRED)
			member_failed = true;
		sb_med_record(m, &mb->orig, &cr);
		sb_med_irq_holder(m, &mb->orig);
	}
	cr = r->cr;
	if (member_failed && cr.status == DSA_COMP_SUCCESS)
		cr.status = DSA_COMP_BATCH_FAIL;
done:
	sb_med_record(m, &r->orig, &cr);
	sb_med_irq_holder(m, &r->orig);
	sb_mreq_free(m, r);
}

static void sb_med_work(struct work_struct *work)
{
	struct sb_med *m = container_of(work, struct sb_med, work);
	struct sb_mreq *r;

	for (;;) {
		spin_lock_irq(&m->lock);
		r = list_first_entry_or_null(&m->done, struct sb_mreq, node);
		if (r) {
			list_del(&r->node);
			m->slots[r->slot] = NULL;
		}
		spin_unlock_irq(&m->lock);
		if (!r)
			break;
		sb_mreq_finish(m, r);
	}
}

/* ---- the provider's side: we are its holder ----------------------------- */

static void sb_med_complete(struct sb_med *m, unsigned int slot, bool hw_err)
{
	unsigned long flags;
	struct sb_mreq *r;

	if (slot >= m->nr)
		return;
	spin_lock_irqsave(&m->lock, flags);
	r = m->slots[slot];
	if (r && list_empty(&r->node)) {
		r->cr = m->recs[slot];
		if (hw_err)
			r->cr.status = DSA_COMP_HW_ERR1;
		list_add_tail(&r->node, &m->done);
		queue_work(system_unbound_wq, &m->work);
	}
	spin_unlock_irqrestore(&m->lock, flags);
}

static void sb_med_irq(void *priv, u16 handle)
{
	struct sb_med *m = priv;

	rmb();	/* the record was written before the interrupt */
	sb_med_complete(m, handle, false);
}

static void sb_med_error(void *priv, u64 addr)
{
	struct sb_med *m = priv;

	if (addr >= m->recs_dma && addr < m->recs_dma + m->nr * SB_REC_SIZE)
		sb_med_complete(m, (addr - m->recs_dma) / SB_REC_SIZE, true);
}

static void sb_med_write_record(void *priv, u64 addr,
				const struct dsa_completion_record *cr)
{
	struct sb_med *m = priv;
	struct dsa_completion_record *p;

	if (addr < m->recs_dma || addr >= m->recs_dma + m->nr * SB_REC_SIZE)
		return;
	p = &m->recs[(addr - m->recs_dma) / SB_REC_SIZE];
	memcpy((u8 *)p + 1, (const u8 *)cr + 1, SB_REC_SIZE - 1);
	smp_wmb();	/* the record before its status */
	WRITE_ONCE(p->status, cr->status);
}

/* ---- entry points from queue.c ------------------------------------------ */

/* queue/mediated: the host memory the holder holds now, its peak, the caps */
static ssize_t sb_med_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct sb_med *m = container_of(attr, struct sb_med, attr);
	size_t reserved, peak;

	spin_lock_irq(&m->lock);
	reserved = m->reserved;
	peak = m->peak;
	spin_unlock_irq(&m->lock);
	return sysfs_emit(buf, "reserved %zu peak %zu slice_cap %u request_cap %u\n",
			  reserved, peak, SB_MED_SLICE_CAP, SB_MED_REQ_CAP);
}

/**
 * sb_med_create() - a mediator between @slice's queue and a holder
 * @slice: the slice, its parent DMA-only
 * @hcfg: the holder's configuration (with memory ops)
 *
 * Return: the mediator, whose @cfg the provider's queue is enabled with,
 * or an ERR_PTR().
 */
struct sb_med *sb_med_create(struct slicebus_slice *slice,
			     const struct slicebus_dsa_queue_cfg *hcfg)
{
	struct slicebus_dsa_queue_caps caps;
	struct sb_med *m;

	/* one descriptor of the largest transfer always fits */
	BUILD_BUG_ON(SB_XLATE_MAX_OPS * SLICEBUS_DSA_MEDIATED_MAX_XFER +
		     SZ_1M > SB_MED_REQ_CAP);
	BUILD_BUG_ON(SB_MED_REQ_CAP > SB_MED_SLICE_CAP);
	slicebus_dsa_queue_caps(slice, &caps);
	if (!caps.size || caps.size > U16_MAX)
		return ERR_PTR(-EINVAL);
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	m->slice = slice;
	m->dev = slice->dma_dev;
	m->hcfg = hcfg;
	m->max_xfer = caps.max_xfer;
	m->max_batch = caps.max_batch;
	m->nr = caps.size;
	spin_lock_init(&m->lock);
	INIT_LIST_HEAD(&m->done);
	INIT_LIST_HEAD(&m->inplace);
	INIT_WORK(&m->work, sb_med_work);
	m->memcg = get_mem_cgroup_from_mm(current->mm);
	m->slots = kcalloc(m->nr, sizeof(*m->slots), GFP_KERNEL);
	m->recs = dma_alloc_coherent(m->dev, m->nr * SB_REC_SIZE, &m->recs_dma,
				     GFP_KERNEL);
	if (!m->slots || !m->recs) {
		sb_med_destroy(m);
		return ERR_PTR(-ENOMEM);
	}
	m->cfg.irq = sb_med_irq;
	m->cfg.error = sb_med_error;
	m->cfg.write_record = sb_med_write_record;
	m->cfg.priv = m;
	/* the counters are for the tests and the admin: the path works without */
	sysfs_attr_init(&m->attr.attr);
	m->attr.attr.name = "mediated";
	m->attr.attr.mode = 0444;
	m->attr.show = sb_med_show;
	m->attr_added = !sysfs_add_file_to_group(&slice->dev.kobj,
						 &m->attr.attr, "queue");
	return m;
}

/**
 * sb_med_destroy() - free a mediator
 * @m: the mediator; the provider's queue disabled (no callback any more)
 *
 * Completed requests are finished first; those the provider discarded are
 * freed without a completion, as a disabled queue's are.
 */
void sb_med_destroy(struct sb_med *m)
{
	unsigned int i;

	/* returns once no reader is in sb_med_show() */
	if (m->attr_added)
		sysfs_remove_file_from_group(&m->slice->dev.kobj, &m->attr.attr,
					     "queue");
	flush_work(&m->work);
	for (i = 0; m->slots && i < m->nr; i++)
		if (m->slots[i])
			sb_mreq_free(m, m->slots[i]);
	if (m->recs)
		dma_free_coherent(m->dev, m->nr * SB_REC_SIZE, m->recs,
				  m->recs_dma);
	kfree(m->slots);
	mem_cgroup_put(m->memcg);
	kfree(m);
}

/**
 * sb_med_cfg() - what the provider's queue is enabled with
 * @m: the mediator
 *
 * Return: the mediator's holder configuration.
 */
const struct slicebus_dsa_queue_cfg *sb_med_cfg(struct sb_med *m)
{
	return &m->cfg;
}

static int sb_med_submit_charged(struct sb_med *m, const struct dsa_hw_desc *d)
{
	const struct slicebus_dsa_parent_ops *ops = sb_dsa_ops(m->slice);
	struct dsa_completion_record cr = {};
	struct sb_xlate x;
	struct dsa_hw_desc hw;
	struct sb_mreq *r;
	unsigned int slot;
	u64 fault = 0;
	int ret;

	sb_xlate_parse(d, false, m->max_xfer, m->max_batch, &x);
	if (x.status) {
		cr.status = x.status;
		cr.invalid_flags = x.invalid_flags;
		cr.fault_addr = x.fault_addr;
		sb_med_local(m, d, &cr);
		return 0;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r) {
		atomic64_inc(&sb_dsa(m->slice)->med_refused);
		return -ENOSPC;
	}
	INIT_LIST_HEAD(&r->node);
	r->orig = *d;
	r->batch = d->opcode == DSA_OPCODE_BATCH;
	ret = sb_mreq_prepare(m, r, &fault);
	if (ret == -EFAULT) {
		cr.status = DSA_COMP_BATCH_PAGE_FAULT;
		cr.fault_addr = fault;
		goto local;
	}
	if (ret > 0) {
		cr.status = ret;
		goto local;
	}
	if (ret)	/* -ENOSPC or -ENOMEM: the holder may try again */
		goto refuse;
	if (!r->batch && !sb_mmember_ok(&r->members[0])) {
		cr = r->members[0].local;
		goto local;
	}
	sb_mmember_hw(r, &r->members[0], &hw);
	if (r->batch) {
		hw = *d;
		hw.pasid = 0;
		hw.priv = 0;
		hw.rsvd = 0;
		if (sb_mreq_batch_list(m, r, &hw))
			goto refuse;
	}

	spin_lock_irq(&m->lock);
	for (slot = 0; slot < m->nr && m->slots[slot]; slot++)
		;
	if (slot < m->nr) {
		m->slots[slot] = r;
		r->slot = slot;
		memset(&m->recs[slot], 0, SB_REC_SIZE);
	}
	spin_unlock_irq(&m->lock);
	if (slot == m->nr)
		goto refuse;

	hw.flags |= IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR | IDXD_OP_FLAG_RCI;
	hw.completion_addr = m->recs_dma + slot * SB_REC_SIZE;
	hw.int_handle = slot;
	ret = ops->queue_submit(m->slice, &hw);
	if (!ret) {
		atomic64_inc(&sb_dsa(m->slice)->med_count);
		return 0;
	}
	spin_lock_irq(&m->lock);
	m->slots[slot] = NULL;
	spin_unlock_irq(&m->lock);
	sb_mreq_free(m, r);
	return ret;

refuse:
	sb_mreq_free(m, r);
	atomic64_inc(&sb_dsa(m->slice)->med_refused);
	return -ENOSPC;
local:
	sb_mreq_free(m, r);
	sb_med_local(m, d, &cr);
	return 0;
}

/**
 * sb_med_submit() - mediate one descriptor of the holder
 * @m: the mediator
 * @d: the holder's descriptor
 *
 * Context: process context (the holder's memory ops may sleep).
 * Return: 0 when the descriptor was accepted (or completed here), -ENOSPC
 * when the queue is full or the slice's budget is short, as the provider's
 * queue_submit otherwise.
 */
int sb_med_submit(struct sb_med *m, const struct dsa_hw_desc *d)
{
	struct mem_cgroup *old = set_active_memcg(m->memcg);
	int ret;

	ret = sb_med_submit_charged(m, d);
	set_active_memcg(old);
	return ret;
}

/**
 * sb_med_stats() - add the mediated path's counts to @stats
 * @slice: the slice
 * @stats: the provider's counters of its queue
 *
 * The counts live in the slice's class state, so that they outlast the
 * mediator.
 */
void sb_med_stats(struct slicebus_slice *slice,
		  struct slicebus_dsa_queue_stats *stats)
{
	struct sb_dsa_slice *ds = sb_dsa(slice);
	u64 local = atomic64_read(&ds->med_local);

	stats->submitted += local;
	stats->completed += local;
	stats->failed += atomic64_read(&ds->med_failed);
	stats->refused += atomic64_read(&ds->med_refused);
	stats->pinned = atomic64_read(&ds->med_pinned);
	stats->mediated = atomic64_read(&ds->med_count);
}
