/*
 * igb_priv.h - what igb_main.c (open/close) and igb_irq.c (vectors,
 * handler, moderation) share: functions that are static in Linux's
 * igb_main.c, where both halves live.  Only the igb files include it.
 */
#ifndef KP_HW_IGB_PRIV_H
#define KP_HW_IGB_PRIV_H

#include "igb.h"

/* Route each queue pair's MSI-X vector to an IRQ line and request it. */
int igb_request_irq(struct igb_adapter *adapter);
void igb_free_irq(struct igb_adapter *adapter);
/* Unmask (EIAC/EIAM/EIMS) or mask (EIMC) every queue vector. */
void igb_irq_enable(struct igb_adapter *adapter);
void igb_irq_disable(struct igb_adapter *adapter);

#endif
