// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: WARNs once when loaded, so that the test VM's splat detector
 * can be shown to fail a run.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init sb_warn_init(void)
{
	WARN(1, "sb_warn: deliberate warning for the splat detector test\n");
	return 0;
}

static void __exit sb_warn_exit(void)
{
}

module_init(sb_warn_init);
module_exit(sb_warn_exit);
MODULE_DESCRIPTION("slicebus selftest: a deliberate WARN");
MODULE_LICENSE("GPL");
