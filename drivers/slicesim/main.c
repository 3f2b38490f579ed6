// SPDX-License-Identifier: GPL-2.0
/*
 * slicesim: a software DSA-like device, the default slicebus provider.
 *
 * Each of the ndev platform devices "slicesim.N" is a slicebus parent "simN"
 * (and so is each QEMU pci-testdev function, see sim_pci_probe()) that
 * mirrors one Intel DSA 1.0 device: "wqs" work queues sharing
 * "wq_entries" descriptor slots.  A slice is one dedicated WQ of 16 or 64
 * entries (types dwq-16, dwq-64).
 *
 * WQ hot-plug, for tests (debugfs simN/wq_hotplug), as an administrator
 * enabling and disabling a real device's work queues one by one does:
 * "add N" makes a WQ of N entries appear (capacity +1 wq, +N wq-entries),
 * "remove N" takes a free one away, "revoke SLICE" takes away the WQ under
 * a slice: the slice is revoked (slicebus_slice_revoke()) and the capacity
 * lowered by its cost.  No other slice is touched.
 *
 * Lifetime: the platform driver's probe registers the parent, its remove
 * (module unload, or unbinding the platform device) unregisters it, which
 * tears down every slice first, then stops the engines.  WQ ids come from a
 * per-device IDA; each slice owns a &struct sim_wq (engine.c) from
 * @slice_init to @slice_release.
 *
 * DMA: the platform device does the DMA for all its slices, as a PCI
 * function does for its work queues (so their dmaengine channels share one
 * dma_device); it has a 64-bit mask and no IOMMU: DMA addresses are
 * physical ones.  A pci-testdev function may sit behind a guest's IOMMU,
 * which this engine does not walk: there each slice is its own DMA device.
 * With dma_offset=1 the device that does the DMA is the platform device or
 * the PCI function, and it sees RAM at %SIM_DMA_OFFSET (a platform device;
 * a PCI function keeps its own DMA ops): memory mapped against any other
 * device (the slice, say) gives addresses the engine cannot translate, and
 * the descriptor completes with a page fault.  The offset map is the
 * device's until its driver unbinds (the driver core frees it then).
 */
#include <linux/debugfs.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "sim.h"

static unsigned int ndev = 1;
module_param(ndev, uint, 0444);
MODULE_PARM_DESC(ndev, "number of simulated devices (sim0, sim1, ...), default 1");

static unsigned int wqs = 8;
module_param(wqs, uint, 0444);
MODULE_PARM_DESC(wqs, "work queues per device (resource \"wq\"), default 8");

static unsigned int wq_entries = 128;
module_param(wq_entries, uint, 0444);
MODULE_PARM_DESC(wq_entries, "descriptor slots shared by all WQs of a device (resource \"wq-entries\"), default 128");

static unsigned int engines = 4;
module_param(engines, uint, 0444);
MODULE_PARM_DESC(engines, "engine threads per device executing descriptors, default 4");

static unsigned int poll_us = 50;
module_param(poll_us, uint, 0444);
MODULE_PARM_DESC(poll_us, "how long an idle engine looks for new work before it sleeps, in us (0: sleeps at once), default 50");

static bool mediate;
module_param(mediate, bool, 0444);
MODULE_PARM_DESC(mediate, "behave as DMA-address-only hardware (as idxd): VFIO and vDPA holders go through slicebus's mediated path, default 0");

static bool dma_offset;
module_param(dma_offset, bool, 0444);
MODULE_PARM_DESC(dma_offset, "DMA through the platform device, which sees RAM at an offset (tests that holders map against the slice's DMA device), default 0");

/* where the platform device sees RAM with dma_offset=1, and how much */
#define SIM_DMA_OFFSET	BIT_ULL(46)

#define SIM_MAX_DEVS	64
#define SIM_MAX_WQS	65536

static const struct slicebus_type_info sim_types[] = {
	{
		.name = "dwq-16",
		.description = "dedicated work queue, 16 entries (DSA descriptors)",
		.cost = { [SIM_RES_WQ] = 1, [SIM_RES_WQ_ENTRIES] = 16 },
	},
	{
		.name = "dwq-64",
		.description = "dedicated work queue, 64 entries (DSA descriptors)",
		.cost = { [SIM_RES_WQ] = 1, [SIM_RES_WQ_ENTRIES] = 64 },
	},
};

/* A slice is one WQ of its type's size. */
static int sim_slice_init(struct slicebus_slice *slice)
{
	struct sim_dev *sim = slicebus_parent_priv(slice->parent);
	const struct slicebus_type_info *type =
		slicebus_parent_type(slice->parent, slice->type);
	struct sim_wq *wq;
	int id;

	if (atomic_dec_if_positive(&sim->fail_alloc) >= 0)
		return -ENOMEM;	/* injected */
	if (dma_offset || !dev_is_pci(sim->dev)) {
		slice->dma_dev = sim->dev;
	} else {
		/* Holders map memory against the slice, which no IOMMU stands
		 * behind: DMA addresses are physical ones.
		 */
		id = dma_coerce_mask_and_coherent(&slice->dev, DMA_BIT_MASK(64));
		if (id)
			return id;
		slice->dma_dev = &slice->dev;
	}
	/* the accountant keeps the number of slices within "wq" */
	id = ida_alloc_max(&sim->wq_ida, SIM_MAX_WQS - 1, GFP_KERNEL);
	if (id < 0)
		return id;
	wq = sim_wq_create(sim, slice, id, type->cost[SIM_RES_WQ_ENTRIES]);
	if (!wq) {
		ida_free(&sim->wq_ida, id);
		return -ENOMEM;
	}
	mutex_lock(&sim->hp_lock);
	id = xa_err(xa_store(&sim->wqs, wq->id, wq, GFP_KERNEL));
	mutex_unlock(&sim->hp_lock);
	if (id) {
		ida_free(&sim->wq_ida, wq->id);
		sim_wq_destroy(wq);
		return id;
	}
	slice->provider_priv = wq;
	return 0;
}

static void sim_slice_release(struct slicebus_slice *slice)
{
	struct sim_dev *sim = slicebus_parent_priv(slice->parent);
	struct sim_wq *wq = slice->provider_priv;
	unsigned int id = wq->id;

	mutex_lock(&sim->hp_lock);
	xa_erase(&sim->wqs, id);
	mutex_unlock(&sim->hp_lock);
	sim_wq_destroy(wq);
	ida_free(&sim->wq_ida, id);
}

/* Capacity @dwq WQs and @dentries entries away from now; hp_lock held. */
static int sim_resize(struct sim_dev *sim, s64 dwq, s64 dentries)
{
	u64 total[SIM_NR_RES] = {
		sim->res[SIM_RES_WQ].total + dwq,
		sim->res[SIM_RES_WQ_ENTRIES].total + dentries,
	};
	int ret;

	lockdep_assert_held(&sim->hp_lock);
	if ((s64)total[SIM_RES_WQ] < 0 || total[SIM_RES_WQ] > SIM_MAX_WQS ||
	    (s64)total[SIM_RES_WQ_ENTRIES] < 0)
		return -ERANGE;
	ret = slicebus_parent_resize(sim->parent, total, SIM_NR_RES);
	if (ret)
		return ret;
	sim->res[SIM_RES_WQ].total = total[SIM_RES_WQ];
	sim->res[SIM_RES_WQ_ENTRIES].total = total[SIM_RES_WQ_ENTRIES];
	return 0;
}

/* The WQ under slice @name goes away: revoke the slice, lower capacity. */
static int sim_revoke(struct sim_dev *sim, const char *name)
{
	struct slicebus_slice *slice = NULL;
	struct sim_wq *wq;
	unsigned long id;
	u64 entries;
	int ret;

	mutex_lock(&sim->hp_lock);
	xa_for_each(&sim->wqs, id, wq) {
		if (!strcmp(slicebus_slice_name(wq->slice), name)) {
			slice = wq->slice;
			get_device(&slice->dev);
			break;
		}
	}
	mutex_unlock(&sim->hp_lock);
	if (!slice)
		return -ENOENT;
	entries = slicebus_parent_type(sim->parent, slice->type)->cost[SIM_RES_WQ_ENTRIES];
	slicebus_slice_revoke(slice);	/* its @slice_release takes hp_lock */
	put_device(&slice->dev);
	mutex_lock(&sim->hp_lock);
	ret = sim_resize(sim, -1, -(s64)entries);
	mutex_unlock(&sim->hp_lock);
	return ret;
}

static ssize_t sim_hotplug_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct sim_dev *sim = file->private_data;
	char buf[SLICEBUS_NAME_LEN + 16], arg[SLICEBUS_NAME_LEN + 1];
	unsigned int n;
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "revoke %63s", arg) == 1) {
		ret = sim_revoke(sim, arg);
	} else if (sscanf(buf, "add %u", &n) == 1 && n) {
		mutex_lock(&sim->hp_lock);
		ret = sim_resize(sim, 1, n);
		mutex_unlock(&sim->hp_lock);
	} else if (sscanf(buf, "remove %u", &n) == 1 && n) {
		mutex_lock(&sim->hp_lock);
		ret = sim_resize(sim, -1, -(s64)n);
		mutex_unlock(&sim->hp_lock);
	} else {
		ret = -EINVAL;
	}
	return ret ?: len;
}

static const struct file_operations sim_hotplug_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = sim_hotplug_write,
	.llseek = noop_llseek,
};

static struct dentry *sim_debugfs;

/* Fault injection, for tests: /sys/kernel/debug/slicesim/simN/ */
static void sim_debugfs_init(struct sim_dev *sim)
{
	sim->debugfs = debugfs_create_dir(sim->name, sim_debugfs);
	debugfs_create_atomic_t("fail_alloc", 0600, sim->debugfs,
				&sim->fail_alloc);
	debugfs_create_atomic_t("fail_desc", 0600, sim->debugfs,
				&sim->fail_desc);
	debugfs_create_u32("delay_us", 0600, sim->debugfs, &sim->delay_us);
	debugfs_create_u32("poll_us", 0600, sim->debugfs, &sim->poll_us);
	debugfs_create_file("wq_hotplug", 0200, sim->debugfs, sim,
			    &sim_hotplug_fops);
	sim_engine_debugfs(sim);
}

static const struct slicebus_parent_ops sim_parent_ops = {
	.slice_init = sim_slice_init,
	.slice_release = sim_slice_release,
};

static const struct slicebus_dsa_parent_ops sim_dsa_ops = {
	.queue_caps = sim_queue_caps,
	.queue_enable = sim_queue_enable,
	.queue_disable = sim_queue_disable,
	.queue_submit = sim_queue_submit,
	.queue_stats = sim_queue_stats,
};

/* The platform device sees RAM at SIM_DMA_OFFSET (dma_offset=1). */
static int sim_dma_setup(struct device *dev)
{
	struct bus_dma_region *map;

	map = kcalloc(2, sizeof(*map), GFP_KERNEL);	/* zero-terminated */
	if (!map)
		return -ENOMEM;
	map[0].cpu_start = 0;
	map[0].dma_start = SIM_DMA_OFFSET;
	map[0].size = SIM_DMA_OFFSET;
	kfree(dev->dma_range_map);
	dev->dma_range_map = map;
	return dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(64));
}

/* Make @dev (a platform device or a PCI function) the parent "sim<id>". */
static int sim_setup(struct device *dev, int id)
{
	struct slicebus_dsa_parent_ops dsa = sim_dsa_ops;
	struct slicebus_parent_info info = {};
	struct sim_dev *sim;
	int ret;

	sim = devm_kzalloc(dev, sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return -ENOMEM;
	sim->dev = dev;
	if (!dev_is_pci(dev)) {
		ret = dma_offset ? sim_dma_setup(dev) :
			dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(64));
		if (ret)
			return ret;
	}
	ida_init(&sim->wq_ida);
	mutex_init(&sim->hp_lock);
	xa_init(&sim->wqs);
	snprintf(sim->name, sizeof(sim->name), "sim%d", id);
	sim->poll_us = min(poll_us, USEC_PER_SEC);
	ret = sim_engine_start(sim, engines);
	if (ret)
		return ret;
	sim->res[SIM_RES_WQ] = (struct slicebus_resource_info){ "wq", wqs };
	sim->res[SIM_RES_WQ_ENTRIES] =
		(struct slicebus_resource_info){ "wq-entries", wq_entries };

	info.name = sim->name;
	info.dev = dev;
	info.resources = sim->res;
	info.nr_resources = SIM_NR_RES;
	info.types = sim_types;
	info.nr_types = ARRAY_SIZE(sim_types);
	info.ops = &sim_parent_ops;
	dsa.dma_only = mediate;	/* copied by the registration */
	info.slice_class = SLICEBUS_CLASS_DSA;
	info.class_ops = &dsa;
	info.priv = sim;
	sim->parent = slicebus_parent_register(&info);
	if (IS_ERR(sim->parent)) {
		sim_engine_stop(sim);
		return dev_err_probe(dev, PTR_ERR(sim->parent),
				     "cannot register %s with slicebus\n",
				     sim->name);
	}
	/* wq_hotplug works on the parent: from its registration on */
	sim_debugfs_init(sim);
	dev_set_drvdata(dev, sim);
	return 0;
}

static void sim_teardown(struct sim_dev *sim)
{
	/* waits for wq_hotplug writes in progress */
	debugfs_remove_recursive(sim->debugfs);
	slicebus_parent_unregister(sim->parent);
	sim_engine_stop(sim);
	ida_destroy(&sim->wq_ida);
	xa_destroy(&sim->wqs);
	mutex_destroy(&sim->hp_lock);
}

static int sim_probe(struct platform_device *pdev)
{
	return sim_setup(&pdev->dev, pdev->id);
}

static void sim_remove(struct platform_device *pdev)
{
	sim_teardown(platform_get_drvdata(pdev));
}

static struct platform_driver sim_driver = {
	.driver.name = "slicesim",
	.probe = sim_probe,
	.remove = sim_remove,
};

/*
 * A PCI function to stand on, as a real provider's parent does (libvirt
 * lists mdev types only on PCI functions): QEMU's "pci-testdev", which no
 * other driver takes.  Its parents are named after the platform ones,
 * sim<ndev>, sim<ndev + 1>, ...; nothing of the function itself is used.
 */
static DEFINE_IDA(sim_pci_ida);

static int sim_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret, nr;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	nr = ida_alloc_max(&sim_pci_ida, SIM_MAX_DEVS - 1, GFP_KERNEL);
	if (nr < 0)
		return nr;
	ret = sim_setup(&pdev->dev, ndev + nr);
	if (ret) {
		ida_free(&sim_pci_ida, nr);
		return ret;
	}
	((struct sim_dev *)pci_get_drvdata(pdev))->pci_nr = nr;
	return 0;
}

static void sim_pci_remove(struct pci_dev *pdev)
{
	struct sim_dev *sim = pci_get_drvdata(pdev);
	int nr = sim->pci_nr;

	sim_teardown(sim);
	ida_free(&sim_pci_ida, nr);
}

static const struct pci_device_id sim_pci_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_REDHAT, 0x0005) },	/* QEMU pci-testdev */
	{ }
};
MODULE_DEVICE_TABLE(pci, sim_pci_ids);

static struct pci_driver sim_pci_driver = {
	.name = "slicesim",
	.id_table = sim_pci_ids,
	.probe = sim_pci_probe,
	.remove = sim_pci_remove,
};

static struct platform_device *sim_pdevs[SIM_MAX_DEVS];

static void sim_destroy_devices(void)
{
	unsigned int i;

	for (i = 0; i < ndev; i++)
		platform_device_unregister(sim_pdevs[i]);
}

static int __init sim_init(void)
{
	unsigned int i;
	int ret;

	if (!ndev || ndev > SIM_MAX_DEVS || !wqs || wqs > SIM_MAX_WQS ||
	    wq_entries < wqs || !engines || engines > SIM_MAX_ENGINES) {
		pr_err("slicesim: need 1 <= ndev <= %d, 1 <= wqs <= %d, wq_entries >= wqs, 1 <= engines <= %d\n",
		       SIM_MAX_DEVS, SIM_MAX_WQS, SIM_MAX_ENGINES);
		return -EINVAL;
	}
	sim_debugfs = debugfs_create_dir("slicesim", NULL);
	ret = platform_driver_register(&sim_driver);
	if (ret) {
		debugfs_remove(sim_debugfs);
		return ret;
	}
	for (i = 0; i < ndev; i++) {
		sim_pdevs[i] = platform_device_register_simple("slicesim", i,
							       NULL, 0);
		if (IS_ERR(sim_pdevs[i])) {
			ret = PTR_ERR(sim_pdevs[i]);
			while (i--)
				platform_device_unregister(sim_pdevs[i]);
			goto err_driver;
		}
	}
	ret = pci_register_driver(&sim_pci_driver);
	if (ret) {
		sim_destroy_devices();
		goto err_driver;
	}
	return 0;

err_driver:
	platform_driver_unregister(&sim_driver);
	debugfs_remove(sim_debugfs);
	return ret;
}

static void __exit sim_exit(void)
{
	pci_unregister_driver(&sim_pci_driver);
	sim_destroy_devices();
	platform_driver_unregister(&sim_driver);
	debugfs_remove(sim_debugfs);
	ida_destroy(&sim_pci_ida);
}

module_init(sim_init);
module_exit(sim_exit);
MODULE_DESCRIPTION("slicesim: software DSA-like slicebus provider");
/* the class of its slices, which no symbol of ours pulls in */
MODULE_SOFTDEP("pre: slicebus_dsa");
MODULE_LICENSE("GPL");
