// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only slicebus backend: binds slices without any framework behind
 * them, so that the core's creation, binding, probe-failure and teardown
 * paths can be tested on their own.  It registers one driver per name in
 * its "backend" parameter: one of vfio, vdpa and dma to stand in for that
 * backend, or any other name to add a backend the core did not know
 * (which is the whole of what a new backend module must do).
 */
#include <linux/module.h>
#include <linux/slicebus.h>

/* one more than the core takes, to see it refuse */
#define SB_TESTBE_MAX	(SLICEBUS_MAX_BACKENDS + 1)

static char *backend[SB_TESTBE_MAX] = { "dma" };
static unsigned int nr_backends = 1;
module_param_array(backend, charp, &nr_backends, 0444);
MODULE_PARM_DESC(backend, "backend names to register, comma-separated (vfio, vdpa, dma or new ones)");

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

static struct slicebus_driver sb_testbe[SB_TESTBE_MAX];
static char sb_testbe_names[SB_TESTBE_MAX][24];

static int __init sb_testbe_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < nr_backends; i++) {
		struct slicebus_driver *drv = &sb_testbe[i];

		/* driver names are unique on the bus: the first keeps the plain one */
		if (i)
			snprintf(sb_testbe_names[i], sizeof(sb_testbe_names[i]),
				 "sb_testbe.%u", i);
		else
			strscpy(sb_testbe_names[i], "sb_testbe");
		drv->name = backend[i];
		drv->probe = sb_testbe_probe;
		drv->remove = sb_testbe_remove;
		drv->driver.name = sb_testbe_names[i];
		if (serves) {
			sb_testbe_classes[0] = serves;
			drv->classes = sb_testbe_classes;
		}
		ret = slicebus_driver_register(drv);
		if (ret)
			goto err;
	}
	return 0;

err:
	while (i--)
		slicebus_driver_unregister(&sb_testbe[i]);
	return ret;
}

static void __exit sb_testbe_exit(void)
{
	unsigned int i = nr_backends;

	while (i--)
		slicebus_driver_unregister(&sb_testbe[i]);
}

module_init(sb_testbe_init);
module_exit(sb_testbe_exit);
MODULE_DESCRIPTION("slicebus selftest: a backend with no framework");
MODULE_LICENSE("GPL");
