/* SPDX-License-Identifier: GPL-2.0 */
/* slicesim internals: the device model (main.c) and the engine (engine.c). */
#ifndef _SLICESIM_SIM_H
#define _SLICESIM_SIM_H

#include <linux/idr.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slicebus_dsa.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#define SIM_MAX_ENGINES		64
#define SIM_MAX_XFER		(2U << 20)	/* 2 MiB, as idxd's default */
#define SIM_MAX_BATCH		32

enum { SIM_RES_WQ, SIM_RES_WQ_ENTRIES, SIM_NR_RES };

/**
 * struct sim_dev - one simulated device (a slicebus parent)
 * @parent: its slicebus registration
 * @dev: the platform device (the DMA device with dma_offset=1)
 * @res: its resource pools
 * @wq_ida: WQ ids in use
 * @hp_lock: protects @wqs and the capacity in @res[].total while WQs come
 *	and go (wq_hotplug); taken by @slice_init and @slice_release, held
 *	across slicebus_parent_resize() (which calls no provider code)
 * @wqs: the WQs of live slices, by WQ id
 * @name: "simN"
 * @pci_nr: for a parent on a PCI function, its number among them
 * @lock: protects @ready and every WQ's ring, counters and state
 * @ready: WQs with queued descriptors, served round robin
 * @work: engines wait here for @ready to fill
 * @engines: the engine threads
 * @nr_engines: how many run
 * @debugfs: its fault-injection directory
 * @fail_alloc: fail this many next slice allocations (-ENOMEM)
 * @fail_desc: complete this many next descriptors with DSA_COMP_HW_ERR1
 * @delay_us: make the engine take this long per descriptor
 * @poll_us: an engine that finds no work looks again for this long before
 *	it sleeps (0: sleep at once); one engine of a device polls at a time
 * @polling: that engine's claim
 */
struct sim_dev {
	struct slicebus_parent *parent;
	struct device *dev;
	struct slicebus_resource_info res[SIM_NR_RES];
	struct ida wq_ida;
	struct mutex hp_lock;	/* see @hp_lock above */
	struct xarray wqs;
	char name[16];
	int pci_nr;
	spinlock_t lock;	/* see @lock above */
	struct list_head ready;
	wait_queue_head_t work;
	struct task_struct *engines[SIM_MAX_ENGINES];
	unsigned int nr_engines;
	struct dentry *debugfs;
	atomic_t fail_alloc;
	atomic_t fail_desc;
	u32 delay_us;
	u32 poll_us;
	atomic_t polling;
};

/**
 * struct sim_wq - one dedicated work queue, the hardware of one slice
 * @sim: its device
 * @slice: the slice it serves
 * @id: WQ number on the device
 * @size: descriptors it holds (queued + executing)
 * @ring: queued descriptors, @head to @tail; exists while @enabled
 * @head: next to execute
 * @tail: next free
 * @queued: descriptors in @ring
 * @executing: descriptors an engine took and has not completed
 * @enabled: accepting descriptors
 * @draining: a DRAIN waits for earlier descriptors; no new ones start
 * @ready_node: entry in &sim_dev.ready
 * @idle: disable and DRAIN wait here for @executing to fall
 * @cfg: the holder's address space and callbacks
 * @submitted: descriptors accepted, under &sim_dev.lock
 * @refused: descriptors refused for a full WQ, likewise
 * @completed: completions, counted by the engines without the lock
 * @failed: completions with an error status, likewise
 * @bytes: bytes of successful operations, likewise
 */
struct sim_wq {
	struct sim_dev *sim;
	struct slicebus_slice *slice;
	unsigned int id;
	unsigned int size;
	struct dsa_hw_desc *ring;
	unsigned int head, tail, queued, executing;
	bool enabled, draining;
	struct list_head ready_node;
	wait_queue_head_t idle;
	struct slicebus_dsa_queue_cfg cfg;
	u64 submitted, refused;
	atomic64_t completed, failed, bytes;
};

int sim_engine_start(struct sim_dev *sim, unsigned int engines);
void sim_engine_stop(struct sim_dev *sim);
void sim_engine_debugfs(struct sim_dev *sim);
struct sim_wq *sim_wq_create(struct sim_dev *sim, struct slicebus_slice *slice,
			     unsigned int id, unsigned int size);
void sim_wq_destroy(struct sim_wq *wq);

void sim_queue_caps(struct slicebus_slice *slice,
		    struct slicebus_dsa_queue_caps *caps);
int sim_queue_enable(struct slicebus_slice *slice,
		     const struct slicebus_dsa_queue_cfg *cfg);
void sim_queue_disable(struct slicebus_slice *slice);
int sim_queue_submit(struct slicebus_slice *slice,
		     const struct dsa_hw_desc *desc);
void sim_queue_stats(struct slicebus_slice *slice,
		     struct slicebus_dsa_queue_stats *stats);

#endif /* _SLICESIM_SIM_H */
