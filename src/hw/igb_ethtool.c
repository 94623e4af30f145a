/*
 * igb_ethtool.c - igb's ethtool_ops (drivers/net/ethernet/intel/igb/
 * igb_ethtool.c): driver info, link settings (speed and duplex from
 * STATUS), wake-on and message level, statistics with igb's names, ring
 * sizes, channels, interrupt coalescing and the RSS indirection table.
 *
 * set_ringparam, set_channels and set_rxfh close and reopen the device
 * when it is up (as igb does), so they run kernel code with step points:
 * call them on a CPU (kp_host_call), as the ethtool ioctl would run.
 * Left out from -S: flow control, SMBus/BMC, timestamping counters.
 */
#include "igb.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

struct igb_stats {
	const char *name;
	size_t offset;
	bool netdev; /* in netdev->stats, else adapter->stats */
};

#define IGB_STAT(name, field)                                                 \
	{ name, offsetof(struct e1000_hw_stats, field), false }
#define IGB_NETDEV_STAT(name, field)                                          \
	{ name, offsetof(struct rtnl_link_stats64, field), true }

static const struct igb_stats igb_gstrings_stats[] = {
	IGB_NETDEV_STAT("rx_packets", rx_packets),
	IGB_NETDEV_STAT("tx_packets", tx_packets),
	IGB_NETDEV_STAT("rx_bytes", rx_bytes),
	IGB_NETDEV_STAT("tx_bytes", tx_bytes),
	IGB_STAT("rx_broadcast", bprc),
	IGB_STAT("rx_multicast", mprc),
	IGB_NETDEV_STAT("multicast", multicast),
	IGB_NETDEV_STAT("collisions", collisions),
	IGB_STAT("rx_crc_errors", crcerrs),
	IGB_STAT("rx_no_buffer_count", rnbc),
	IGB_STAT("rx_missed_errors", mpc),
	IGB_NETDEV_STAT("tx_aborted_errors", tx_aborted_errors),
	IGB_NETDEV_STAT("tx_carrier_errors", tx_carrier_errors),
	IGB_NETDEV_STAT("tx_window_errors", tx_window_errors),
	IGB_STAT("rx_long_length_errors", roc),
	IGB_STAT("rx_short_length_errors", ruc),
	IGB_STAT("rx_long_byte_count", gorc),
	IGB_NETDEV_STAT("rx_errors", rx_errors),
	IGB_NETDEV_STAT("tx_errors", tx_errors),
	IGB_NETDEV_STAT("tx_dropped", tx_dropped),
	IGB_NETDEV_STAT("rx_length_errors", rx_length_errors),
	IGB_NETDEV_STAT("rx_over_errors", rx_over_errors),
	IGB_NETDEV_STAT("rx_frame_errors", rx_frame_errors),
	IGB_NETDEV_STAT("rx_fifo_errors", rx_fifo_errors),
	IGB_NETDEV_STAT("tx_fifo_errors", tx_fifo_errors),
	IGB_NETDEV_STAT("tx_heartbeat_errors", tx_heartbeat_errors),
};
#define IGB_GLOBAL_STATS_LEN                                                  \
	(int)(sizeof(igb_gstrings_stats) / sizeof(igb_gstrings_stats[0]))
#define IGB_TX_QUEUE_STATS_LEN 3
#define IGB_RX_QUEUE_STATS_LEN 5

static void igb_get_drvinfo(struct net_device *netdev,
			    struct ethtool_drvinfo *drvinfo)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	memset(drvinfo, 0, sizeof(*drvinfo));
	snprintf(drvinfo->driver, sizeof(drvinfo->driver), "igb");
	snprintf(drvinfo->version, sizeof(drvinfo->version), "5.6.0-k");
	snprintf(drvinfo->fw_version, sizeof(drvinfo->fw_version),
		 "1.2.1");
	snprintf(drvinfo->bus_info, sizeof(drvinfo->bus_info), "%s",
		 pci_name(adapter->pdev));
	drvinfo->n_stats = (uint32_t)IGB_GLOBAL_STATS_LEN;
}

static int igb_get_sset_count(struct net_device *netdev)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	return IGB_GLOBAL_STATS_LEN +
	       (int)adapter->num_tx_queues * IGB_TX_QUEUE_STATS_LEN +
	       (int)adapter->num_rx_queues * IGB_RX_QUEUE_STATS_LEN;
}

static void igb_get_strings(struct net_device *netdev, char *p)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	for (int i = 0; i < IGB_GLOBAL_STATS_LEN; i++, p += ETH_GSTRING_LEN)
		snprintf(p, ETH_GSTRING_LEN, "%s", igb_gstrings_stats[i].name);
	for (unsigned int i = 0; i < adapter->num_tx_queues; i++) {
		snprintf(p, ETH_GSTRING_LEN, "tx_queue_%u_packets", (unsigned char)i);
		p += ETH_GSTRING_LEN;
		snprintf(p, ETH_GSTRING_LEN, "tx_queue_%u_bytes", (unsigned char)i);
		p += ETH_GSTRING_LEN;
		snprintf(p, ETH_GSTRING_LEN, "tx_queue_%u_restart", (unsigned char)i);
		p += ETH_GSTRING_LEN;
	}
	for (unsigned int i = 0; i < adapter->num_rx_queues; i++) {
		snprintf(p, ETH_GSTRING_LEN, "rx_queue_%u_packets", (unsigned char)i);
		p += ETH_GSTRING_LEN;
		snprintf(p, ETH_GSTRING_LEN, "rx_queue_%u_bytes", (unsigned char)i);
		p += ETH_GSTRING_LEN;
		snprintf(p, ETH_GSTRING_LEN, "rx_queue_%u_drops", (unsigned char)i);
		p += ETH_GSTRING_LEN;
		snprintf(p, ETH_GSTRING_LEN, "rx_queue_%u_csum_err", (unsigned char)i);
		p += ETH_GSTRING_LEN;
		snprintf(p, ETH_GSTRING_LEN, "rx_queue_%u_alloc_failed", (unsigned char)i);
		p += ETH_GSTRING_LEN;
	}
}

static void igb_get_ethtool_stats(struct net_device *netdev, uint64_t *data)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	igb_update_stats(adapter); /* register reads: no step points */
	int i = 0;
	for (int j = 0; j < IGB_GLOBAL_STATS_LEN; j++) {
		const struct igb_stats *s = &igb_gstrings_stats[j];
		const char *base = s->netdev ? (const char *)&netdev->stats
					     : (const char *)&adapter->stats;
		memcpy(&data[i++], base + s->offset, sizeof(uint64_t));
	}
	for (unsigned int q = 0; q < adapter->num_tx_queues; q++) {
		struct igb_ring *ring = adapter->tx_ring[q];
		data[i++] = ring->stats.packets;
		data[i++] = ring->stats.bytes;
		data[i++] = ring->tx_stats.restart_queue +
			    ring->tx_stats.restart_queue2;
	}
	for (unsigned int q = 0; q < adapter->num_rx_queues; q++) {
		struct igb_ring *ring = adapter->rx_ring[q];
		data[i++] = ring->stats.packets;
		data[i++] = ring->stats.bytes;
		data[i++] = ring->rx_stats.drops;
		data[i++] = ring->rx_stats.csum_err;
		data[i++] = ring->rx_stats.alloc_failed;
	}
}

static void igb_get_ringparam(struct net_device *netdev,
			      struct ethtool_ringparam *ring)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	memset(ring, 0, sizeof(*ring));
	ring->rx_max_pending = IGB_MAX_RXD;
	ring->tx_max_pending = IGB_MAX_TXD;
	ring->rx_pending = adapter->rx_ring_count;
	ring->tx_pending = adapter->tx_ring_count;
}

static uint16_t clamp_ring(uint32_t v, uint32_t lo, uint32_t hi)
{
	v = v < lo ? lo : v > hi ? hi : v;
	return (uint16_t)((v + 7) & ~7u); /* ALIGN(REQ_*_DESCRIPTOR_MULTIPLE) */
}

static void set_ring_counts(struct igb_adapter *adapter, void *arg)
{
	const uint16_t *c = arg;
	adapter->tx_ring_count = c[0];
	adapter->rx_ring_count = c[1];
}

static int igb_set_ringparam(struct net_device *netdev,
			     struct ethtool_ringparam *ring)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	if (ring->rx_mini_pending || ring->rx_jumbo_pending)
		return -EINVAL;
	uint16_t c[2] = {
		clamp_ring(ring->tx_pending, IGB_MIN_TXD, IGB_MAX_TXD),
		clamp_ring(ring->rx_pending, IGB_MIN_RXD, IGB_MAX_RXD),
	};
	if (c[0] > IGB_MAX_TXD)
		c[0] = IGB_MAX_TXD;
	if (c[1] > IGB_MAX_RXD)
		c[1] = IGB_MAX_RXD;
	if (c[0] == adapter->tx_ring_count && c[1] == adapter->rx_ring_count)
		return 0;
	return igb_up_down_for_reconfig(adapter, set_ring_counts, c);
}

static void igb_get_channels(struct net_device *netdev,
			     struct ethtool_channels *ch)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	memset(ch, 0, sizeof(*ch));
	ch->max_combined = (uint32_t)adapter->hw.nic->nr_queues;
	ch->max_other = 1; /* the "other" vector igb keeps for link */
	ch->other_count = 1;
	ch->combined_count = adapter->rss_queues;
}

void igb_kp_set_queues(struct igb_adapter *adapter, void *arg);

static int igb_set_channels(struct net_device *netdev,
			    struct ethtool_channels *ch)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	unsigned int n = ch->combined_count;
	if (!n || ch->rx_count || ch->tx_count ||
	    n > (unsigned int)adapter->hw.nic->nr_queues)
		return -EINVAL;
	if (n == adapter->rss_queues)
		return 0;
	return igb_up_down_for_reconfig(adapter, igb_kp_set_queues, &n);
}

static int igb_get_coalesce(struct net_device *netdev,
			    struct ethtool_coalesce *ec)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	memset(ec, 0, sizeof(*ec));
	ec->rx_coalesce_usecs = adapter->rx_itr_setting <= 3
					? adapter->rx_itr_setting
					: adapter->rx_itr_setting >> 2;
	ec->tx_coalesce_usecs = adapter->tx_itr_setting <= 3
					? adapter->tx_itr_setting
					: adapter->tx_itr_setting >> 2;
	return 0;
}

/* rx-usecs: 0 off, 1/3 dynamic, 4..10000 a fixed interval */
static int igb_set_coalesce(struct net_device *netdev,
			    struct ethtool_coalesce *ec)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	uint32_t u = ec->rx_coalesce_usecs;
	if (u > IGB_MAX_ITR_USECS || u == 2 ||
	    (u > 3 && u < IGB_MIN_ITR_USECS))
		return -EINVAL;
	adapter->rx_itr_setting = (uint16_t)(u <= 3 ? u : u << 2);
	adapter->tx_itr_setting = adapter->rx_itr_setting;
	igb_set_itr_all(adapter);
	return 0;
}

static uint32_t igb_get_rxfh_indir_size(struct net_device *netdev)
{
	(void)netdev;
	return IGB_RETA_SIZE;
}

static int igb_get_rxfh(struct net_device *netdev, uint32_t *indir)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	for (int i = 0; i < IGB_RETA_SIZE; i++)
		indir[i] = adapter->rss_indir_tbl[i];
	return 0;
}

/* The device reads RETA per frame: no down/up needed. */
static int igb_set_rxfh(struct net_device *netdev, const uint32_t *indir)
{
	struct igb_adapter *adapter = netdev_priv(netdev);
	for (int i = 0; i < IGB_RETA_SIZE; i++)
		if (indir[i] >= adapter->rss_queues)
			return -EINVAL;
	for (int i = 0; i < IGB_RETA_SIZE; i++)
		adapter->rss_indir_tbl[i] = (uint8_t)indir[i];
	adapter->rss_indir_user = true;
	igb_write_rss_indir_tbl(adapter);
	return 0;
}

/* igb_get_link_ksettings for the copper 82576: every mode up to
 * 1000baseT/Full, autonegotiated, and the speed and duplex STATUS reports
 * once the link is up. */
static int igb_get_link_ksettings(struct net_device *netdev,
				  struct ethtool_link_ksettings *cmd)
{
	struct igb_adapter *adapter = igb_adapter_of(netdev);
	struct e1000_hw *hw = &adapter->hw;
	uint32_t status = rd32(E1000_STATUS);
	uint32_t modes = KP_LINK_MODE_10baseT_Half |
			 KP_LINK_MODE_10baseT_Full |
			 KP_LINK_MODE_100baseT_Half |
			 KP_LINK_MODE_100baseT_Full |
			 KP_LINK_MODE_1000baseT_Full | KP_LINK_MODE_Autoneg |
			 KP_LINK_MODE_TP | KP_LINK_MODE_Pause;

	memset(cmd, 0, sizeof(*cmd));
	cmd->link_modes.supported = modes;
	cmd->link_modes.advertising = modes;
	cmd->base.port = PORT_TP;
	cmd->base.phy_address = 1;
	cmd->base.autoneg = AUTONEG_ENABLE;
	cmd->base.eth_tp_mdix = ETH_TP_MDI;
	cmd->base.eth_tp_mdix_ctrl = ETH_TP_MDI_AUTO;
	if (netif_carrier_ok(netdev) && (status & E1000_STATUS_LU)) {
		cmd->base.speed = (status & E1000_STATUS_SPEED_1000) ? 1000
				  : (status & E1000_STATUS_SPEED_100) ? 100
								     : 10;
		cmd->base.duplex = (status & E1000_STATUS_FD) ? DUPLEX_FULL
							      : DUPLEX_HALF;
	} else {
		cmd->base.speed = SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

/* 82576: unicast, multicast, broadcast, magic packet and PHY wake-up
 * supported; magic packet on (the EEPROM's APME default). */
static void igb_get_wol(struct net_device *netdev, struct ethtool_wolinfo *wol)
{
	(void)netdev;
	wol->supported = WAKE_UCAST | WAKE_MCAST | WAKE_BCAST | WAKE_MAGIC |
			 WAKE_PHY;
	wol->wolopts = WAKE_MAGIC;
}

/* adapter->msg_enable: igb's default debug level, NETIF_MSG_DRV |
 * NETIF_MSG_PROBE | NETIF_MSG_LINK */
static uint32_t igb_get_msglevel(struct net_device *netdev)
{
	(void)netdev;
	return 0x7;
}

static const struct ethtool_ops igb_ethtool_ops = {
	.get_drvinfo = igb_get_drvinfo,
	.get_link_ksettings = igb_get_link_ksettings,
	.get_wol = igb_get_wol,
	.get_msglevel = igb_get_msglevel,
	.get_ringparam = igb_get_ringparam,
	.set_ringparam = igb_set_ringparam,
	.get_channels = igb_get_channels,
	.set_channels = igb_set_channels,
	.get_coalesce = igb_get_coalesce,
	.set_coalesce = igb_set_coalesce,
	.get_sset_count = igb_get_sset_count,
	.get_strings = igb_get_strings,
	.get_ethtool_stats = igb_get_ethtool_stats,
	.get_rxfh_indir_size = igb_get_rxfh_indir_size,
	.get_rxfh = igb_get_rxfh,
	.set_rxfh = igb_set_rxfh,
};

void igb_set_ethtool_ops(struct net_device *netdev)
{
	netdev->ethtool_ops = &igb_ethtool_ops;
}
