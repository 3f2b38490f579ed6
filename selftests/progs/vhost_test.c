// SPDX-License-Identifier: GPL-2.0
/*
 * A small vhost-vdpa user: open the char device of a slicebus vDPA device
 * and check features, device id, status, config and IOVA range.  TAP.
 *
 * usage: vhost_test /dev/vhost-vdpa-N MAC
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>

static int n, failed;

static void tap(bool ok, const char *what)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++n, what);
	failed += !ok;
}

int main(int argc, char **argv)
{
	struct vhost_vdpa_iova_range range = { 0 };
	unsigned char cfgbuf[sizeof(struct vhost_vdpa_config) + 6];
	struct vhost_vdpa_config *cfg = (void *)cfgbuf;
	uint64_t features = 0;
	uint32_t id = 0;
	uint16_t num = 0;
	uint8_t status;
	char mac[18];
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: vhost_test /dev/vhost-vdpa-N MAC\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	tap(fd >= 0, "the vhost-vdpa char device opens");
	if (fd < 0)
		return 1;
	tap(!ioctl(fd, VHOST_GET_FEATURES, &features) &&
	    (features & (1ULL << VIRTIO_F_VERSION_1)) &&
	    (features & (1ULL << VIRTIO_F_ACCESS_PLATFORM)) &&
	    (features & (1ULL << VIRTIO_NET_F_MAC)),
	    "VHOST_GET_FEATURES: VERSION_1, ACCESS_PLATFORM, NET_F_MAC");
	tap(!ioctl(fd, VHOST_VDPA_GET_DEVICE_ID, &id) && id == VIRTIO_ID_NET,
	    "VHOST_VDPA_GET_DEVICE_ID: a network device");
	status = 0;
	ioctl(fd, VHOST_VDPA_SET_STATUS, &status);
	status = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	tap(!ioctl(fd, VHOST_VDPA_SET_STATUS, &status), "VHOST_VDPA_SET_STATUS");
	status = 0;
	tap(!ioctl(fd, VHOST_VDPA_GET_STATUS, &status) &&
	    status == (VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER),
	    "VHOST_VDPA_GET_STATUS reads back what was set");
	cfg->off = 0;
	cfg->len = 6;
	if (!ioctl(fd, VHOST_VDPA_GET_CONFIG, cfg)) {
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			 cfg->buf[0], cfg->buf[1], cfg->buf[2], cfg->buf[3],
			 cfg->buf[4], cfg->buf[5]);
		tap(!strcmp(mac, argv[2]), "VHOST_VDPA_GET_CONFIG: the MAC given to vdpa dev add");
	} else {
		tap(false, "VHOST_VDPA_GET_CONFIG");
	}
	tap(!ioctl(fd, VHOST_VDPA_GET_VRING_NUM, &num) && num == 256,
	    "VHOST_VDPA_GET_VRING_NUM: 256");
	tap(!ioctl(fd, VHOST_VDPA_GET_IOVA_RANGE, &range) && range.first == 0 &&
	    range.last < (1ULL << 62),
	    "VHOST_VDPA_GET_IOVA_RANGE stops below bit 62");
	status = 0;
	tap(!ioctl(fd, VHOST_VDPA_SET_STATUS, &status), "reset through status 0");
	close(fd);
	printf("1..%d\n", n);
	return failed ? 1 : 0;
}
