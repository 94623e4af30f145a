/*
 * pci.h - the host's PCI bus as a driver sees it (include/linux/pci.h,
 * drivers/pci/pci-driver.c) and the DMA mapping API
 * (include/linux/dma-mapping.h).
 *
 * Each host's hardware state (h->hw) is a struct kp_hw: its PCI devices
 * in slot order.  pci_register_driver() probes every device whose
 * vendor/device id the driver's id_table lists.  Left out: config space,
 * BARs (a driver reaches the registers through pdev->nic), hot plug,
 * power management, bus mastering bits.
 */
#ifndef KP_HW_PCI_H
#define KP_HW_PCI_H

#include <stddef.h>
#include <stdint.h>

#include "e1000_regs.h"

struct kp_host;
struct kp_nic;

#define PCI_VENDOR_ID_INTEL 0x8086
#define E1000_DEV_ID_82576 0x10C9
#define KP_MAX_PCI_DEVS 8

struct pci_device_id {
	uint32_t vendor, device;
};

struct pci_dev {
	struct kp_host *host;
	char slot_name[16];          /* "0000:01:00.0" */
	uint32_t vendor, device;
	struct kp_nic *nic;          /* the device behind the BARs */
	const struct pci_driver *driver;   /* bound driver, or NULL */
	void *driver_data;
};

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table; /* ends with vendor 0 */
	int (*probe)(struct pci_dev *pdev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *pdev);
	/* kpath: free what probe allocated when the world goes away, with
	 * no CPU to run on (the netdev is gone by then). */
	void (*kp_release)(struct pci_dev *pdev);
};

/* A host's hardware (h->hw). */
struct kp_hw {
	struct kp_host *host;
	struct pci_dev *devs[KP_MAX_PCI_DEVS];
	int nr_devs;
};

int pci_register_driver(const struct pci_driver *drv);
static inline void pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	pdev->driver_data = data;
}
static inline void *pci_get_drvdata(struct pci_dev *pdev)
{
	return pdev->driver_data;
}
static inline const char *pci_name(const struct pci_dev *pdev)
{
	return pdev->slot_name;
}

/* DMA mapping: what the device may reach, by a handle it can resolve. */
dma_addr_t dma_map_single(struct pci_dev *pdev, void *ptr, size_t size);
void dma_unmap_single(struct pci_dev *pdev, dma_addr_t addr, size_t size);
static inline int dma_mapping_error(struct pci_dev *pdev, dma_addr_t addr)
{
	(void)pdev;
	return addr == 0;
}
/* Zeroed memory shared with the device (descriptor rings). */
void *dma_alloc_coherent(struct pci_dev *pdev, size_t size,
			 dma_addr_t *handle);
void dma_free_coherent(struct pci_dev *pdev, size_t size, void *cpu,
		       dma_addr_t handle);

#endif
