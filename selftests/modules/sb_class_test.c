// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only slice class and provider: the class "sbtest", whose slices
 * carry no data path, and one parent "tcls0" of it.  The core's class
 * registry (ops copied, state allocated, hooks called, sysfs groups added)
 * and the backends' class checks are tested with it, apart from the DSA
 * layer.
 */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/slicebus.h>

#define SBT_MAGIC	0x5b7e57

/* the class's provider ops: only a value the class checks on every slice */
struct sbt_ops {
	u32 magic;
};

struct sbt_slice {
	u32 magic;
};

static atomic_t inits = ATOMIC_INIT(0);
static atomic_t kills = ATOMIC_INIT(0);

static int get_count(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops count_ops = {
	.get = get_count,
};
module_param_cb(inits, &count_ops, &inits, 0444);
module_param_cb(kills, &count_ops, &kills, 0444);

/* the parent's ops as the core copied them: the provider's went away */
static void sbt_slice_init(struct slicebus_slice *slice)
{
	const struct sbt_ops *ops = slicebus_parent_class_ops(slice->parent);
	struct sbt_slice *s = slice->class_priv;

	s->magic = ops->magic;
	atomic_inc(&inits);
}

static void sbt_slice_kill(struct slicebus_slice *slice)
{
	atomic_inc(&kills);
}

static ssize_t magic_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct sbt_slice *s = to_slicebus_slice(dev)->class_priv;

	return sysfs_emit(buf, "%#x\n", s->magic);
}
static DEVICE_ATTR_RO(magic);

static struct attribute *sbt_attrs[] = {
	&dev_attr_magic.attr,
	NULL,
};

static const struct attribute_group sbt_group = {
	.name = "sbtest",
	.attrs = sbt_attrs,
};

static const struct attribute_group *sbt_groups[] = {
	&sbt_group,
	NULL,
};

static struct slicebus_class sbt_class = {
	.name = "sbtest",
	/*
	 * The provider is this module, whose exit removes its parent before
	 * the class: a reference of the parent on it would pin it for good.
	 */
	.owner = NULL,
	.ops_size = sizeof(struct sbt_ops),
	.slice_priv_size = sizeof(struct sbt_slice),
	.slice_init = sbt_slice_init,
	.slice_kill = sbt_slice_kill,
	.slice_groups = sbt_groups,
};

static struct device *sbt_dev;
static struct slicebus_parent *sbt_parent;

static int __init sbt_init(void)
{
	static const struct slicebus_resource_info res[] = { { "unit", 4 } };
	static const struct slicebus_type_info types[] = {
		{ .name = "t1", .description = "one unit", .cost = { 1 } },
	};
	struct sbt_ops ops = { .magic = SBT_MAGIC };	/* gone after init */
	struct slicebus_parent_info info = {
		.name = "tcls0",
		.resources = res,
		.nr_resources = ARRAY_SIZE(res),
		.types = types,
		.nr_types = ARRAY_SIZE(types),
		.slice_class = "sbtest",
		.class_ops = &ops,
	};
	int ret;

	ret = slicebus_class_register(&sbt_class);
	if (ret)
		return ret;
	sbt_dev = root_device_register("sb_class_test");
	if (IS_ERR(sbt_dev)) {
		ret = PTR_ERR(sbt_dev);
		goto err_class;
	}
	info.dev = sbt_dev;
	sbt_parent = slicebus_parent_register(&info);
	if (IS_ERR(sbt_parent)) {
		ret = PTR_ERR(sbt_parent);
		goto err_dev;
	}
	return 0;

err_dev:
	root_device_unregister(sbt_dev);
err_class:
	slicebus_class_unregister(&sbt_class);
	return ret;
}

static void __exit sbt_exit(void)
{
	slicebus_parent_unregister(sbt_parent);
	root_device_unregister(sbt_dev);
	slicebus_class_unregister(&sbt_class);
}

module_init(sbt_init);
module_exit(sbt_exit);
MODULE_DESCRIPTION("slicebus selftest: a slice class and a parent of it");
MODULE_LICENSE("GPL");
