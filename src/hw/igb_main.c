/*
 * igb_main.c - the igb driver's life cycle (drivers/net/ethernet/intel/
 * igb/igb_main.c): module init and PCI probe, open/close with ring
 * allocation, hardware configuration (RSS, RX/TX queues), statistics.
 * The MSI-X vectors, the interrupt handler and interrupt moderation
 * (igb_set_itr) are in igb_irq.c; the receive and transmit paths in
 * igb_txrx.c.
 *
 * Departures: the adapter is netdev_priv() as in igb, but probe also keeps
 * it as PCI drvdata so hw teardown can free the rings after the stack is
 * gone; MSI-X lines are kept across down/up (pci_enable_msix at probe in
 * igb) and allocated at the first open.  igb_poll returns the RX work
 * done, as current Linux does (3.10 returned 0 when complete).
 */
#include "igb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/probe.h"
#include "hw.h"
#include "igb_priv.h"
#include "sched/host.h"
#include "sched/irq.h"

static const char igb_driver_name[] = "igb";

static const struct pci_device_id igb_pci_tbl[] = {
	{ PCI_VENDOR_ID_INTEL, E1000_DEV_ID_82576 },
	{ 0, 0 },
};

static int igb_probe(struct pci_dev *pdev, const struct pci_device_id *ent);
static void igb_kp_release(struct pci_dev *pdev);

static const struct pci_driver igb_driver = {
	.name = igb_driver_name,
	.id_table = igb_pci_tbl,
	.probe = igb_probe,
	.kp_release = igb_kp_release,
};

static const struct net_device_ops igb_netdev_ops = {
	.ndo_open = igb_open,
	.ndo_stop = igb_close,
	.ndo_start_xmit = igb_xmit_frame,
};

int igb_init_module(void)
{
	KP_FUNC0(igb_init_module);
	return pci_register_driver(&igb_driver);
}

/* ---- q_vectors: one per queue pair (TxRx), each with its NAPI ---- */

static int igb_alloc_q_vectors(struct igb_adapter *adapter)
{
	unsigned int n = adapter->rss_queues;
	for (unsigned int v = 0; v < n; v++) {
		struct igb_q_vector *q = calloc(1, sizeof(*q));
		if (!q)
			return -ENOMEM;
		q->adapter = adapter;
		q->v_idx = (int)v;
		q->cpu = -1;
		q->itr_val = IGB_START_ITR;
		if (!adapter->rx_itr_setting || adapter->rx_itr_setting > 3)
			q->itr_val = adapter->rx_itr_setting;
		q->tx.work_limit = IGB_DEFAULT_TX_WORK;
		q->tx.itr = q->rx.itr = low_latency;
		netif_napi_add(adapter->netdev, &q->napi, igb_poll, 64);
		struct igb_ring *t = &q->tx_ring, *r = &q->rx_ring;
		t->q_vector = r->q_vector = q;
		t->netdev = r->netdev = adapter->netdev;
		t->dev = r->dev = adapter->pdev;
		t->queue_index = t->reg_idx = (uint8_t)v;
		r->queue_index = r->reg_idx = (uint8_t)v;
		r->is_rx = true;
		t->count = adapter->tx_ring_count;
		r->count = adapter->rx_ring_count;
		q->tx.ring = t;
		q->rx.ring = r;
		q->tx.count = q->rx.count = 1;
		adapter->tx_ring[v] = t;
		adapter->rx_ring[v] = r;
		adapter->q_vector[v] = q;
	}
	adapter->num_q_vectors = n;
	adapter->num_tx_queues = adapter->num_rx_queues = n;
	adapter->netdev->real_num_tx_queues = n;
	adapter->netdev->real_num_rx_queues = n;
	return 0;
}

static void igb_free_q_vectors(struct igb_adapter *adapter)
{
	for (unsigned int v = 0; v < adapter->num_q_vectors; v++) {
		struct igb_q_vector *q = adapter->q_vector[v];
		if (!q)
			continue;
		netif_napi_del(&q->napi);
		free(q);
		adapter->q_vector[v] = NULL;
		adapter->tx_ring[v] = adapter->rx_ring[v] = NULL;
	}
	adapter->num_q_vectors = 0;
}

static void igb_default_rss(struct igb_adapter *adapter)
{
	for (int j = 0; j < IGB_RETA_SIZE; j++)
		adapter->rss_indir_tbl[j] =
			(uint8_t)(j % (int)adapter->rss_queues);
}

/* ---- probe ---- */

static int igb_probe(struct pci_dev *pdev, const struct pci_device_id *ent)
{
	KP_FUNC0(igb_probe);
	(void)ent;
	struct kp_host *h = current_host();
	struct kp_nic *nic = pdev->nic;
	struct net_device *netdev = alloc_etherdev_mqs(
		sizeof(struct igb_adapter), IGB_MAX_TX_QUEUES,
		IGB_MAX_RX_QUEUES);
	if (!netdev)
		return -ENOMEM;
	struct igb_adapter *adapter = netdev_priv(netdev);
	adapter->netdev = netdev;
	adapter->pdev = pdev;
	adapter->hw.nic = nic;
	struct e1000_hw *hw = &adapter->hw;

	/* the MAC address the EEPROM loaded into RAL0/RAH0 */
	uint32_t ral = rd32(E1000_RAL0), rah = rd32(E1000_RAH0);
	for (int i = 0; i < 4; i++)
		netdev->dev_addr[i] = (uint8_t)(ral >> (8 * i));
	netdev->dev_addr[4] = (uint8_t)rah;
	netdev->dev_addr[5] = (uint8_t)(rah >> 8);
	memcpy(hw->mac_addr, netdev->dev_addr, ETH_ALEN);

	netdev->netdev_ops = &igb_netdev_ops;
	igb_set_ethtool_ops(netdev);
	netdev->features = NETIF_F_SG | NETIF_F_RXCSUM | NETIF_F_RXHASH;
	netdev->hw_features = netdev->features;

	/* igb_sw_init */
	adapter->tx_ring_count = IGB_DEFAULT_TXD;
	adapter->rx_ring_count = IGB_DEFAULT_RXD;
	adapter->rx_itr_setting = IGB_DEFAULT_ITR;
	adapter->tx_itr_setting = IGB_DEFAULT_ITR;
	adapter->max_frame_size = netdev->mtu + ETH_HLEN + ETH_FCS_LEN + 4;
	unsigned int q = (unsigned int)nic->nr_queues;
	if (q > (unsigned int)h->nr_cpus)
		q = (unsigned int)h->nr_cpus; /* rss_queues: one per CPU */
	adapter->rss_queues = q;
	adapter->down = true;
	/* netdev_rss_key_fill: a random key, from the world's PRNG */
	for (int i = 0; i < IGB_RSS_KEY_SIZE; i += 8) {
		uint64_t r = kp_prng_next(&h->world->prng);
		memcpy(&adapter->rss_key[i], &r, 8);
	}
	igb_default_rss(adapter);
	if (igb_alloc_q_vectors(adapter))
		goto err;
	if (register_netdev(netdev))
		goto err;
	netif_carrier_off(netdev);
	snprintf(nic->ifname, sizeof(nic->ifname), "%s", netdev->name);
	nic->netdev = netdev;
	pci_set_drvdata(pdev, adapter);
	return 0;
err:
	igb_free_q_vectors(adapter);
	free_netdev(netdev);
	return -ENOMEM;
}

/* World teardown, after the stack: its skbs and devices list are gone. */
static void igb_kp_release(struct pci_dev *pdev)
{
	struct igb_adapter *adapter = pci_get_drvdata(pdev);
	if (!adapter)
		return;
	for (unsigned int i = 0; i < adapter->num_q_vectors; i++) {
		struct igb_ring *t = adapter->tx_ring[i], *r = adapter->rx_ring[i];
		if (t) {
			free(t->tx_buffer_info);
			free(t->desc);
		}
		if (r && r->rx_buffer_info)
			for (unsigned int j = 0; j < r->count; j++)
				free(r->rx_buffer_info[j].page);
		if (r) {
			free(r->rx_buffer_info);
			free(r->desc);
		}
		/* NAPI list heads live in the freed device list: unhook */
		INIT_LIST_HEAD(&adapter->q_vector[i]->napi.dev_list);
		INIT_LIST_HEAD(&adapter->q_vector[i]->napi.poll_list);
		free(adapter->q_vector[i]);
	}
	struct net_device *netdev = adapter->netdev;
	INIT_LIST_HEAD(&netdev->napi_list);
	INIT_LIST_HEAD(&netdev->dev_list);
	pdev->nic->netdev = NULL;
	pci_set_drvdata(pdev, NULL);
	free_netdev(netdev); /* frees the adapter too */
}

/* ---- resources ---- */

static int igb_setup_tx_resources(struct igb_ring *tx_ring)
{
	tx_ring->tx_buffer_info =
		calloc(tx_ring->count, sizeof(struct igb_tx_buffer));
	if (!tx_ring->tx_buffer_info)
		return -ENOMEM;
	tx_ring->size = tx_ring->count * sizeof(union e1000_adv_tx_desc);
	tx_ring->desc = dma_alloc_coherent(tx_ring->dev, tx_ring->size,
					   &tx_ring->dma);
	if (!tx_ring->desc) {
		free(tx_ring->tx_buffer_info);
		tx_ring->tx_buffer_info = NULL;
		return -ENOMEM;
	}
	tx_ring->next_to_use = tx_ring->next_to_clean = 0;
	return 0;
}

static int igb_setup_all_tx_resources(struct igb_adapter *adapter)
{
	KP_FUNC0(igb_setup_all_tx_resources);
	for (unsigned int i = 0; i < adapter->num_tx_queues; i++) {
		adapter->tx_ring[i]->count = adapter->tx_ring_count;
		if (igb_setup_tx_resources(adapter->tx_ring[i]))
			return -ENOMEM;
	}
	return 0;
}

static int igb_setup_rx_resources(struct igb_ring *rx_ring)
{
	rx_ring->rx_buffer_info =
		calloc(rx_ring->count, sizeof(struct igb_rx_buffer));
	if (!rx_ring->rx_buffer_info)
		return -ENOMEM;
	rx_ring->size = rx_ring->count * sizeof(union e1000_adv_rx_desc);
	rx_ring->desc = dma_alloc_coherent(rx_ring->dev, rx_ring->size,
					   &rx_ring->dma);
	if (!rx_ring->desc) {
		free(rx_ring->rx_buffer_info);
		rx_ring->rx_buffer_info = NULL;
		return -ENOMEM;
	}
	rx_ring->next_to_alloc = rx_ring->next_to_clean = 0;
	rx_ring->next_to_use = 0;
	return 0;
}

static int igb_setup_all_rx_resources(struct igb_adapter *adapter)
{
	KP_FUNC0(igb_setup_all_rx_resources);
	for (unsigned int i = 0; i < adapter->num_rx_queues; i++) {
		adapter->rx_ring[i]->count = adapter->rx_ring_count;
		if (igb_setup_rx_resources(adapter->rx_ring[i]))
			return -ENOMEM;
	}
	return 0;
}

static void igb_free_tx_resources(struct igb_ring *tx_ring)
{
	igb_clean_tx_ring(tx_ring);
	free(tx_ring->tx_buffer_info);
	tx_ring->tx_buffer_info = NULL;
	if (tx_ring->desc)
		dma_free_coherent(tx_ring->dev, tx_ring->size, tx_ring->desc,
				  tx_ring->dma);
	tx_ring->desc = NULL;
}

static void igb_free_rx_resources(struct igb_ring *rx_ring)
{
	igb_clean_rx_ring(rx_ring);
	free(rx_ring->rx_buffer_info);
	rx_ring->rx_buffer_info = NULL;
	if (rx_ring->desc)
		dma_free_coherent(rx_ring->dev, rx_ring->size, rx_ring->desc,
				  rx_ring->dma);
	rx_ring->desc = NULL;
}

/* ---- hardware configuration ---- */

void igb_write_rss_indir_tbl(struct igb_adapter *adapter)
{
	struct e1000_hw *hw = &adapter->hw;
	for (int i = 0; i < IGB_RETA_SIZE; i += 4) {
		const uint8_t *e = &adapter->rss_indir_tbl[i];
		wr32(E1000_RETA(i / 4), e[0] | (uint32_t)e[1] << 8 |
					      (uint32_t)e[2] << 16 |
					      (uint32_t)e[3] << 24);
	}
}

static void igb_setup_mrqc(struct igb_adapter *adapter)
{
	struct e1000_hw *hw = &adapter->hw;
	for (int i = 0; i < IGB_RSS_KEY_SIZE; i += 4) {
		const uint8_t *k = &adapter->rss_key[i];
		wr32(E1000_RSSRK(i / 4), k[0] | (uint32_t)k[1] << 8 |
					       (uint32_t)k[2] << 16 |
					       (uint32_t)k[3] << 24);
	}
	igb_write_rss_indir_tbl(adapter);
	uint32_t rxcsum = 0;
	if (adapter->netdev->features & NETIF_F_RXCSUM)
		rxcsum = E1000_RXCSUM_IPOFL | E1000_RXCSUM_TUOFL;
	wr32(E1000_RXCSUM, rxcsum);
	uint32_t mrqc = E1000_MRQC_ENABLE_RSS_4Q | E1000_MRQC_RSS_FIELD_IPV4 |
			E1000_MRQC_RSS_FIELD_IPV4_TCP;
	if (adapter->flags & IGB_FLAG_RSS_FIELD_IPV4_UDP)
		mrqc |= E1000_MRQC_RSS_FIELD_IPV4_UDP;
	wr32(E1000_MRQC, mrqc);
}

static void igb_configure_tx_ring(struct igb_adapter *adapter,
				  struct igb_ring *ring)
{
	struct e1000_hw *hw = &adapter->hw;
	int r = ring->reg_idx;
	wr32(E1000_TXDCTL(r), 0);
	wr32(E1000_TDLEN(r), ring->count * sizeof(union e1000_adv_tx_desc));
	wr32(E1000_TDBAL(r), (uint32_t)ring->dma);
	wr32(E1000_TDBAH(r), (uint32_t)(ring->dma >> 32));
	wr32(E1000_TDH(r), 0);
	wr32(E1000_TDT(r), 0);
	wr32(E1000_TXDCTL(r), E1000_TXDCTL_QUEUE_ENABLE);
}

static void igb_configure_rx_ring(struct igb_adapter *adapter,
				  struct igb_ring *ring)
{
	struct e1000_hw *hw = &adapter->hw;
	int r = ring->reg_idx;
	wr32(E1000_RXDCTL(r), 0);
	wr32(E1000_RDBAL(r), (uint32_t)ring->dma);
	wr32(E1000_RDBAH(r), (uint32_t)(ring->dma >> 32));
	wr32(E1000_RDLEN(r), ring->count * sizeof(union e1000_adv_rx_desc));
	wr32(E1000_RDH(r), 0);
	wr32(E1000_RDT(r), 0);
	uint32_t srrctl = IGB_RX_BUFSZ >> E1000_SRRCTL_BSIZEPKT_SHIFT;
	if (adapter->num_rx_queues > 1)
		srrctl |= E1000_SRRCTL_DROP_EN; /* no flow control */
	wr32(E1000_SRRCTL(r), srrctl);
	wr32(E1000_RXDCTL(r), E1000_RXDCTL_QUEUE_ENABLE);
}

static void igb_configure(struct igb_adapter *adapter)
{
	struct e1000_hw *hw = &adapter->hw;
	struct net_device *netdev = adapter->netdev;
	/* igb_rar_set */
	const uint8_t *a = netdev->dev_addr;
	wr32(E1000_RAL0, a[0] | a[1] << 8 | a[2] << 16 | (uint32_t)a[3] << 24);
	wr32(E1000_RAH0, a[4] | a[5] << 8 | E1000_RAH_AV);
	igb_setup_mrqc(adapter);
	/* igb_setup_tctl, igb_configure_tx */
	wr32(E1000_TCTL, E1000_TCTL_EN | E1000_TCTL_PSP);
	for (unsigned int i = 0; i < adapter->num_tx_queues; i++)
		igb_configure_tx_ring(adapter, adapter->tx_ring[i]);
	/* igb_setup_rctl, igb_configure_rx */
	uint32_t rctl = E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_SECRC;
	if (netdev->flags & IFF_PROMISC)
		rctl |= E1000_RCTL_UPE | E1000_RCTL_MPE;
	if (netdev->mtu > ETH_DATA_LEN)
		rctl |= E1000_RCTL_LPE;
	wr32(E1000_RCTL, rctl);
	for (unsigned int i = 0; i < adapter->num_rx_queues; i++)
		igb_configure_rx_ring(adapter, adapter->rx_ring[i]);
	/* give every RX ring its buffers */
	for (unsigned int i = 0; i < adapter->num_rx_queues; i++) {
		struct igb_ring *ring = adapter->rx_ring[i];
		igb_alloc_rx_buffers(ring, igb_desc_unused(ring));
	}
}

/* ---- open / close ---- */

static int __igb_open(struct net_device *netdev, bool resuming)
{
	KP_FUNC(__igb_open, netdev);
	(void)resuming;
	struct igb_adapter *adapter = netdev_priv(netdev);
	int err;
	netif_carrier_off(netdev);
	err = igb_setup_all_tx_resources(adapter);
	if (err)
		goto err_setup_tx;
	err = igb_setup_all_rx_resources(adapter);
	if (err)
		goto err_setup_rx;
	igb_configure(adapter);
	err = igb_request_irq(adapter);
	if (err)
		goto err_req_irq;
	adapter->down = false;
	for (unsigned int i = 0; i < adapter->num_q_vectors; i++)
		napi_enable(&adapter->q_vector[i]->napi);
	igb_irq_enable(adapter);
	netif_tx_start_all_queues(netdev);
	netif_carrier_on(netdev); /* the watchdog's link-up, at once */
	return 0;
err_req_irq:
	igb_free_irq(adapter);
err_setup_rx:
	for (unsigned int i = 0; i < adapter->num_rx_queues; i++)
		igb_free_rx_resources(adapter->rx_ring[i]);
err_setup_tx:
	for (unsigned int i = 0; i < adapter->num_tx_queues; i++)
		igb_free_tx_resources(adapter->tx_ring[i]);
	return err;
}

int igb_open(struct net_device *netdev)
{
	return __igb_open(netdev, false);
}

/* igb_reset, reduced to what the model keeps: the MAC reset (reset_hw
 * sets CTRL.RST) that clears EITR and the interrupt throttle; the
 * next open writes everything else again. */
static void igb_reset(struct igb_adapter *adapter)
{
	struct e1000_hw *hw = &adapter->hw;
	wr32(E1000_CTRL, rd32(E1000_CTRL) | E1000_CTRL_RST);
}

static void igb_down(struct igb_adapter *adapter)
{
	struct e1000_hw *hw = &adapter->hw;
	struct net_device *netdev = adapter->netdev;
	adapter->down = true;
	wr32(E1000_RCTL, rd32(E1000_RCTL) & ~E1000_RCTL_EN);
	for (unsigned int i = 0; i < adapter->num_rx_queues; i++)
		wr32(E1000_RXDCTL(adapter->rx_ring[i]->reg_idx), 0);
	netif_carrier_off(netdev);
	netif_tx_stop_all_queues(netdev);
	wr32(E1000_TCTL, rd32(E1000_TCTL) & ~E1000_TCTL_EN);
	for (unsigned int i = 0; i < adapter->num_tx_queues; i++)
		wr32(E1000_TXDCTL(adapter->tx_ring[i]->reg_idx), 0);
	igb_irq_disable(adapter);
	for (unsigned int i = 0; i < adapter->num_q_vectors; i++)
		napi_disable(&adapter->q_vector[i]->napi);
	igb_update_stats(adapter);
	igb_reset(adapter);
}

int igb_close(struct net_device *netdev)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	if (adapter->down)
		return 0;
	igb_down(adapter);
	igb_free_irq(adapter);
	for (unsigned int i = 0; i < adapter->num_tx_queues; i++)
		igb_free_tx_resources(adapter->tx_ring[i]);
	for (unsigned int i = 0; i < adapter->num_rx_queues; i++)
		igb_free_rx_resources(adapter->rx_ring[i]);
	return 0;
}

/* ethtool -G/-L/-X: close, change, open again, as igb_reinit_locked. */
int igb_up_down_for_reconfig(struct igb_adapter *adapter,
			     void (*change)(struct igb_adapter *, void *),
			     void *arg)
{
	struct net_device *netdev = adapter->netdev;
	bool running = netif_running(netdev) && !adapter->down;
	if (running)
		igb_close(netdev);
	change(adapter, arg);
	if (running)
		return igb_open(netdev);
	return 0;
}

/* igb_reinit_queues for ethtool -L: new q_vectors, default RETA. */
void igb_kp_set_queues(struct igb_adapter *adapter, void *arg);
void igb_kp_set_queues(struct igb_adapter *adapter, void *arg)
{
	unsigned int n = *(unsigned int *)arg;
	igb_free_q_vectors(adapter);
	adapter->rss_queues = n;
	igb_default_rss(adapter);
	igb_alloc_q_vectors(adapter);
}

/* ---- statistics ---- */

void igb_update_stats(struct igb_adapter *adapter)
{
	struct e1000_hw *hw = &adapter->hw;
	struct e1000_hw_stats *s = &adapter->stats;
	struct rtnl_link_stats64 *ns = &adapter->netdev->stats;
	uint64_t rqdpc_total = 0;
	uint64_t rxp = 0, rxb = 0, txp = 0, txb = 0;

	for (unsigned int i = 0; i < adapter->num_rx_queues; i++) {
		struct igb_ring *ring = adapter->rx_ring[i];
		ring->rx_stats.drops += rd32(E1000_RQDPC(ring->reg_idx));
		rqdpc_total += ring->rx_stats.drops;
		rxp += ring->stats.packets;
		rxb += ring->stats.bytes;
	}
	for (unsigned int i = 0; i < adapter->num_tx_queues; i++) {
		txp += adapter->tx_ring[i]->stats.packets;
		txb += adapter->tx_ring[i]->stats.bytes;
	}
	s->crcerrs += rd32(E1000_CRCERRS);
	s->mpc += rd32(E1000_MPC);
	s->gprc += rd32(E1000_GPRC);
	s->bprc += rd32(E1000_BPRC);
	s->mprc += rd32(E1000_MPRC);
	s->gptc += rd32(E1000_GPTC);
	s->gorc += rd32(E1000_GORCL);
	s->gotc += rd32(E1000_GOTCL);
	s->rnbc += rd32(E1000_RNBC);
	s->ruc += rd32(E1000_RUC);
	s->roc += rd32(E1000_ROC);
	s->tpr += rd32(E1000_TPR);
	s->tpt += rd32(E1000_TPT);

	ns->rx_packets = rxp;
	ns->rx_bytes = rxb;
	ns->tx_packets = txp;
	ns->tx_bytes = txb;
	ns->multicast = s->mprc;
	ns->rx_fifo_errors = rqdpc_total;
	ns->rx_missed_errors = s->mpc;
	ns->rx_length_errors = s->ruc + s->roc;
	ns->rx_crc_errors = s->crcerrs;
	ns->rx_errors = s->crcerrs + s->ruc + s->roc;
}
