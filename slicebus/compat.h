/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel interfaces that differ between the kernels
 * slicebus supports (6.12 LTS, 6.18 LTS and the newest stable, 7.3).
 *
 * The code is written for the newest kernel; each shim below gives an
 * older kernel that kernel's spelling of the same thing.  This is the only
 * place with kernel version checks: include it after the kernel headers it
 * adapts.  When the oldest supported kernel has an interface, its shim goes.
 */
#ifndef _SLICEBUS_COMPAT_H
#define _SLICEBUS_COMPAT_H

#include <linux/module.h>
#include <linux/version.h>

/*
 * 6.13 made the namespace of MODULE_IMPORT_NS() and EXPORT_SYMBOL_NS() a
 * string literal; before, the macro stringified a bare identifier.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
#undef MODULE_IMPORT_NS
#define MODULE_IMPORT_NS(ns)	MODULE_INFO(import_ns, ns)
#endif

#ifdef _LINUX_VDPA_H
/*
 * 6.18 gave a vDPA device map operations of its own (virtio_map_ops, an
 * argument of vdpa_alloc_device() after the config ops) and moved the DMA
 * device into union virtio_map (vdpa_device.vmap.dma_dev).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 18, 0)
struct virtio_map_ops;
#define sb_vdpa_alloc_device(type, member, parent, config, map, ngroups, nas, \
			     name, use_va)				     \
	vdpa_alloc_device(type, member, parent, config, ngroups, nas, name,  \
			  use_va)
#define sb_vdpa_dma_dev(vdev)	((vdev)->dma_dev)
#else
#define sb_vdpa_alloc_device	vdpa_alloc_device
#define sb_vdpa_dma_dev(vdev)	((vdev)->vmap.dma_dev)
#endif
#endif /* _LINUX_VDPA_H */

#ifdef _LINUX_DMA_MAP_OPS_H
/*
 * 6.19 turned dma_map_ops' .map_page/.unmap_page (a page and an offset)
 * into .map_phys/.unmap_phys (a physical address).  Providers write the
 * phys form; SB_DMA_MAP_PHYS_OPS() fills in the struct for either kernel,
 * SB_DEFINE_DMA_MAP_PAGE() makes the page form of a phys map function.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 19, 0)
#define SB_DEFINE_DMA_MAP_PAGE(map_phys)				    \
static dma_addr_t map_phys##_page(struct device *dev, struct page *page,   \
				  unsigned long offset, size_t size,	    \
				  enum dma_data_direction dir,		    \
				  unsigned long attrs)			    \
{									    \
	return map_phys(dev, page_to_phys(page) + offset, size, dir, attrs); \
}

#define SB_DMA_MAP_PHYS_OPS(map, unmap)					    \
	.map_page = map##_page, .unmap_page = unmap
#else
#define SB_DEFINE_DMA_MAP_PAGE(map_phys)
#define SB_DMA_MAP_PHYS_OPS(map, unmap)					    \
	.map_phys = map, .unmap_phys = unmap
#endif
#endif /* _LINUX_DMA_MAP_OPS_H */

#ifdef VFIO_H
/*
 * 6.19 moved VFIO_DEVICE_GET_REGION_INFO into the vfio core, which checks
 * the argument size, calls the driver's .get_region_info_caps() and copies
 * the answer and its capability chain out; before, the driver's .ioctl got
 * the command.  Drivers write the op; SB_VFIO_REGION_INFO_OP() sets it
 * where the member exists, and sb_vfio_region_info_ioctl() answers the
 * ioctl with it where it does not (where it does, the core never passes
 * the command on).  Drivers of slicebus report no capabilities.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 19, 0)
#define SB_VFIO_REGION_INFO_OP(fn)
static inline long sb_vfio_region_info_ioctl(struct vfio_device *vdev,
					     void __user *uarg,
					     int (*fn)(struct vfio_device *vdev,
						       struct vfio_region_info *info,
						       struct vfio_info_cap *caps))
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_region_info info = {};
	struct vfio_info_cap caps = {};
	long ret;

	if (copy_from_user(&info, uarg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	ret = fn(vdev, &info, &caps);
	if (!ret && WARN_ON_ONCE(caps.size))
		ret = -EINVAL;
	if (!ret && copy_to_user(uarg, &info, minsz))
		ret = -EFAULT;
	kfree(caps.buf);
	return ret;
}
#else
#define SB_VFIO_REGION_INFO_OP(fn)	.get_region_info_caps = (fn),
static inline long sb_vfio_region_info_ioctl(struct vfio_device *vdev,
					     void __user *uarg,
					     int (*fn)(struct vfio_device *vdev,
						       struct vfio_region_info *info,
						       struct vfio_info_cap *caps))
{
	return -ENOTTY;
}
#endif
#endif /* VFIO_H */

#endif /* _SLICEBUS_COMPAT_H */
