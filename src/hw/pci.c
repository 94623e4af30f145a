/*
 * pci.c - the host's PCI bus: devices plugged in before power-on
 * (kp_nic_create), driver registration and probing
 * (drivers/pci/pci-driver.c: pci_register_driver -> driver_register ->
 * __driver_attach -> pci_device_probe, folded into one loop), and the
 * DMA mapping calls, which program the device's DMA window.
 */
#include "pci.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "hw.h"
#include "nic.h"
#include "sched/host.h"

static void kp_hw_free(struct kp_host *h)
{
	struct kp_hw *hw = h->hw;
	if (!hw)
		return;
	for (int i = 0; i < hw->nr_devs; i++) {
		struct pci_dev *pdev = hw->devs[i];
		if (pdev->driver && pdev->driver->kp_release)
			pdev->driver->kp_release(pdev);
		kp_nic_free(pdev->nic);
		free(pdev);
	}
	free(hw);
	h->hw = NULL;
}

static struct kp_hw *host_hw(struct kp_host *h)
{
	if (!h->hw) {
		struct kp_hw *hw = calloc(1, sizeof(*hw));
		if (!hw)
			return NULL;
		hw->host = h;
		h->hw = hw;
		h->hw_free = kp_hw_free;
	}
	return h->hw;
}

struct kp_nic *kp_nic_create(struct kp_host *h, const char *pci_slot,
			     const uint8_t mac[6], int nr_queues)
{
	struct kp_hw *hw = host_hw(h);
	if (!hw || hw->nr_devs >= KP_MAX_PCI_DEVS || !pci_slot || !mac)
		return NULL;
	struct pci_dev *pdev = calloc(1, sizeof(*pdev));
	if (!pdev)
		return NULL;
	pdev->nic = kp_nic_alloc(h->world, h, mac, nr_queues);
	if (!pdev->nic) {
		free(pdev);
		return NULL;
	}
	pdev->host = h;
	snprintf(pdev->slot_name, sizeof(pdev->slot_name), "%s", pci_slot);
	pdev->vendor = PCI_VENDOR_ID_INTEL;
	pdev->device = E1000_DEV_ID_82576;
	pdev->nic->pdev = pdev;
	pdev->nic->index = hw->nr_devs;
	snprintf(pdev->nic->slot, sizeof(pdev->nic->slot), "%s", pci_slot);
	hw->devs[hw->nr_devs++] = pdev;
	return pdev->nic;
}

/* @ifname is "eth@i" (the name of a device not yet renamed). */
static bool is_default_name(const char *ifname, int i)
{
	if (strncmp(ifname, "eth", 3))
		return false;
	const char *p = ifname + 3;
	if (!*p || (*p == '0' && p[1]))
		return false;
	long n = 0;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || n > 100000)
			return false;
		n = n * 10 + (*p - '0');
	}
	return n == i;
}

struct kp_nic *kp_nic_by_name(struct kp_host *h, const char *ifname)
{
	struct kp_hw *hw = h ? h->hw : NULL;
	if (!hw || !ifname)
		return NULL;
	for (int i = 0; i < hw->nr_devs; i++) {
		struct kp_nic *nic = hw->devs[i]->nic;
		if (nic->ifname[0] ? !strcmp(nic->ifname, ifname)
				   : is_default_name(ifname, i))
			return nic;
	}
	return NULL;
}

static const struct pci_device_id *pci_match(const struct pci_driver *drv,
					     const struct pci_dev *pdev)
{
	for (const struct pci_device_id *id = drv->id_table; id->vendor; id++)
		if (id->vendor == pdev->vendor && id->device == pdev->device)
			return id;
	return NULL;
}

int pci_register_driver(const struct pci_driver *drv)
{
	KP_FUNC0(pci_register_driver);
	struct kp_hw *hw = current_host()->hw;
	if (!hw)
		return 0;
	for (int i = 0; i < hw->nr_devs; i++) {
		struct pci_dev *pdev = hw->devs[i];
		const struct pci_device_id *id = pci_match(drv, pdev);
		if (pdev->driver || !id)
			continue;
		pdev->driver = drv;
		if (drv->probe(pdev, id))
			pdev->driver = NULL; /* probe failed: stays unbound */
	}
	return 0;
}

dma_addr_t dma_map_single(struct pci_dev *pdev, void *ptr, size_t size)
{
	return kp_dma_map(pdev->nic, ptr, size);
}

void dma_unmap_single(struct pci_dev *pdev, dma_addr_t addr, size_t size)
{
	(void)size;
	kp_dma_unmap(pdev->nic, addr);
}

void *dma_alloc_coherent(struct pci_dev *pdev, size_t size,
			 dma_addr_t *handle)
{
	void *cpu = calloc(1, size);
	if (!cpu)
		return NULL;
	*handle = kp_dma_map(pdev->nic, cpu, size);
	if (!*handle) {
		free(cpu);
		return NULL;
	}
	return cpu;
}

void dma_free_coherent(struct pci_dev *pdev, size_t size, void *cpu,
		       dma_addr_t handle)
{
	(void)size;
	kp_dma_unmap(pdev->nic, handle);
	free(cpu);
}
