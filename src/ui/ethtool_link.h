/*
 * ethtool_link.h - plain `ethtool DEV`: the link settings, wake-on,
 * message level and link state, as ethtool 6.1 prints them (cmd_ethtool.c
 * calls it).
 */
#ifndef KP_UI_ETHTOOL_LINK_H
#define KP_UI_ETHTOOL_LINK_H

#include "out.h"

struct net_device;

/* "Settings for DEV:" and its lines; what the driver does not report
 * prints as ethtool does ("Not reported", "Unknown!"). */
void kp_ethtool_link_settings(struct kp_out *out, struct net_device *dev);

#endif
