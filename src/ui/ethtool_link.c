/*
 * ethtool_link.c - plain `ethtool DEV` (ethtool 6.1's netlink front end,
 * netlink/settings.c): ETHTOOL_MSG_LINKMODES_GET (the driver's
 * get_link_ksettings: ports, link modes, pause, autonegotiation, speed,
 * duplex, PHY, MDI-X), ETHTOOL_MSG_WOL_GET (get_wol),
 * ETHTOOL_MSG_DEBUG_GET (get_msglevel) and ETHTOOL_MSG_LINKSTATE_GET
 * (the carrier).  Link modes of one speed share a line, Half then Full,
 * as ethtool keeps its old layout.
 *
 * Left out: link partner modes, FEC (printed as "Not reported", as for
 * an igb), SFP modules.
 */
#include "ethtool_link.h"

#include <string.h>

#include "net/core/netdevice.h"

static const struct {
	uint32_t bit;
	const char *name;
	bool half; /* its Full twin follows on the same line */
} link_modes[] = {
	{ KP_LINK_MODE_10baseT_Half, "10baseT/Half", true },
	{ KP_LINK_MODE_10baseT_Full, "10baseT/Full", false },
	{ KP_LINK_MODE_100baseT_Half, "100baseT/Half", true },
	{ KP_LINK_MODE_100baseT_Full, "100baseT/Full", false },
	{ KP_LINK_MODE_1000baseT_Full, "1000baseT/Full", false },
};

/* "\tTITLE  10baseT/Half 10baseT/Full\n\t<24 blanks>100baseT/Half ..." */
static void print_modes(struct kp_out *out, const char *title, uint32_t modes)
{
	kp_printf(out, "\t%-24s", title);
	bool first = true, after_half = false;
	for (size_t i = 0; i < sizeof(link_modes) / sizeof(link_modes[0]);
	     i++) {
		if (!(modes & link_modes[i].bit)) {
			after_half = false;
			continue;
		}
		if (!first)
			kp_puts(out, after_half ? " " : "\n\t                        ");
		kp_puts(out, link_modes[i].name);
		first = false;
		after_half = link_modes[i].half;
	}
	kp_puts(out, first ? "Not reported\n" : "\n");
}

static void print_wol(struct kp_out *out, const char *title, uint32_t opts)
{
	static const struct {
		uint32_t bit;
		char c;
	} wake[] = {
		{ WAKE_PHY, 'p' },   { WAKE_UCAST, 'u' }, { WAKE_MCAST, 'm' },
		{ WAKE_BCAST, 'b' }, { WAKE_ARP, 'a' },   { WAKE_MAGIC, 'g' },
	};
	char letters[16];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(wake) / sizeof(wake[0]); i++)
		if (opts & wake[i].bit)
			letters[n++] = wake[i].c;
	if (!n)
		letters[n++] = 'd';
	letters[n] = '\0';
	kp_printf(out, "\t%s: %s\n", title, letters);
}

void kp_ethtool_link_settings(struct kp_out *out, struct net_device *dev)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;
	struct ethtool_link_ksettings ks;

	memset(&ks, 0, sizeof(ks));
	ks.base.speed = SPEED_UNKNOWN;
	ks.base.duplex = DUPLEX_UNKNOWN;
	if (ops && ops->get_link_ksettings)
		ops->get_link_ksettings(dev, &ks);
	uint32_t sup = ks.link_modes.supported;
	uint32_t adv = ks.link_modes.advertising;

	kp_printf(out, "Settings for %s:\n", dev->name);
	kp_printf(out, "\tSupported ports: [ %s]\n",
		  sup & KP_LINK_MODE_TP ? "TP " : " ");
	print_modes(out, "Supported link modes:", sup);
	kp_printf(out, "\tSupported pause frame use: %s\n",
		  sup & KP_LINK_MODE_Pause ? "Symmetric" : "No");
	kp_printf(out, "\tSupports auto-negotiation: %s\n",
		  sup & KP_LINK_MODE_Autoneg ? "Yes" : "No");
	kp_puts(out, "\tSupported FEC modes: Not reported\n");
	print_modes(out, "Advertised link modes:", adv);
	kp_printf(out, "\tAdvertised pause frame use: %s\n",
		  adv & KP_LINK_MODE_Pause ? "Symmetric" : "No");
	kp_printf(out, "\tAdvertised auto-negotiation: %s\n",
		  adv & KP_LINK_MODE_Autoneg ? "Yes" : "No");
	kp_puts(out, "\tAdvertised FEC modes: Not reported\n");
	if (ks.base.speed == SPEED_UNKNOWN)
		kp_puts(out, "\tSpeed: Unknown!\n");
	else
		kp_printf(out, "\tSpeed: %dMb/s\n", ks.base.speed);
	if (ks.base.duplex == DUPLEX_FULL)
		kp_puts(out, "\tDuplex: Full\n");
	else if (ks.base.duplex == DUPLEX_HALF)
		kp_puts(out, "\tDuplex: Half\n");
	else
		kp_printf(out, "\tDuplex: Unknown! (%u)\n", ks.base.duplex);
	kp_printf(out, "\tAuto-negotiation: %s\n",
		  ks.base.autoneg == AUTONEG_ENABLE ? "on" : "off");
	kp_puts(out, "\tPort: Twisted Pair\n");
	kp_printf(out, "\tPHYAD: %u\n", ks.base.phy_address);
	kp_puts(out, "\tTransceiver: internal\n");
	kp_printf(out, "\tMDI-X: %s%s\n",
		  ks.base.eth_tp_mdix == ETH_TP_MDI     ? "off"
		  : ks.base.eth_tp_mdix == ETH_TP_MDI_X ? "on"
							: "Unknown",
		  ks.base.eth_tp_mdix_ctrl == ETH_TP_MDI_AUTO ? " (auto)" : "");
	if (ops && ops->get_wol) {
		struct ethtool_wolinfo wol = { 0, 0 };
		ops->get_wol(dev, &wol);
		print_wol(out, "Supports Wake-on", wol.supported);
		print_wol(out, "Wake-on", wol.wolopts);
	}
	if (ops && ops->get_msglevel) {
		static const char *const flags[] = { "drv",   "probe", "link",
						     "timer", "ifdown", "ifup",
						     "rx_err", "tx_err" };
		uint32_t lvl = ops->get_msglevel(dev);
		kp_printf(out, "\tCurrent message level: 0x%08x (%u)\n\t\t\t       ",
			  lvl, lvl);
		bool first = true;
		for (unsigned b = 0; b < sizeof(flags) / sizeof(flags[0]); b++)
			if (lvl & (1u << b)) {
				kp_printf(out, "%s%s", first ? "" : " ",
					  flags[b]);
				first = false;
			}
		kp_puts(out, "\n");
	}
	kp_printf(out, "\tLink detected: %s\n",
		  (dev->flags & IFF_UP) && netif_carrier_ok(dev) ? "yes" : "no");
}
