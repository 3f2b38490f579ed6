/* SPDX-License-Identifier: GPL-2.0 */
/* Just enough of <linux/types.h> to build kernel arithmetic on the host. */
#ifndef _HOST_LINUX_TYPES_H
#define _HOST_LINUX_TYPES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;
#endif
