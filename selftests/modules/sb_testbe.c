// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only slicebus backend: binds slices of one backend kind without any
 * framework behind it, so that the core's creation, binding, probe-failure
 * and teardown paths can be tested on their own.
 */
#include <linux/module.h>
#include <linux/slicebus.h>

static char *backend = "dma";
module_param(backend, charp, 0444);
MODULE_PARM_DESC(backend, "backend to stand in for: vfio, vdpa or dma");

static char *serves;
module_param(serves, charp, 0444);
MODULE_PARM_DESC(serves, "the one slice class served (default: every class)");

static const char *sb_testbe_classes[2];

static int fail_probe;
module_param(fail_probe, int, 0644);
MODULE_PARM_DESC(fail_probe, "negative errno to fail the next probes with");

static atomic_t probes = ATOMIC_INIT(0);
static atomic_t removes = ATOMIC_INIT(0);

static int get_count(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops count_ops = {
	.get = get_count,
};
module_param_cb(probes, &count_ops, &probes, 0444);
module_param_cb(removes, &count_ops, &removes, 0444);

static int sb_testbe_probe(struct slicebus_slice *slice)
{
	int err = READ_ONCE(fail_probe);

	if (err)
		return err;
	snprintf(slice->handle, sizeof(slice->handle), "test:%s",
		 slicebus_slice_name(slice));
	atomic_inc(&probes);
	return 0;
}

static void sb_testbe_remove(struct slicebus_slice *slice)
{
	atomic_inc(&removes);
}

static struct slicebus_driver sb_testbe = {
	.probe = sb_testbe_probe,
	.remove = sb_testbe_remove,
	.driver.name = "sb_testbe",
};

static int __init sb_testbe_init(void)
{
	static const char *const names[] = { "vfio", "vdpa", "dma" };
	int b = match_string(names, ARRAY_SIZE(names), backend);

	if (b < 0)
		return -EINVAL;
	sb_testbe.backend = b;
	if (serves) {
		sb_testbe_classes[0] = serves;
		sb_testbe.classes = sb_testbe_classes;
	}
	return slicebus_driver_register(&sb_testbe);
}

static void __exit sb_testbe_exit(void)
{
	slicebus_driver_unregister(&sb_testbe);
}

module_init(sb_testbe_init);
module_exit(sb_testbe_exit);
MODULE_DESCRIPTION("slicebus selftest: a backend with no framework");
MODULE_LICENSE("GPL");
