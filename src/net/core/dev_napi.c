/*
 * dev_napi.c - NAPI and the two network softirqs (net/core/dev.c,
 * include/linux/netdevice.h): netif_napi_add, napi_enable/disable,
 * napi_schedule -> __napi_schedule -> ____napi_schedule (poll_list +
 * NET_RX_SOFTIRQ), napi_complete, net_rx_action, net_tx_action, and
 * net_dev_init, which builds each CPU's softnet_data.
 *
 * net_rx_action keeps the 3.10 loop (one NAPI at a time from the head of
 * poll_list; a NAPI that used its whole weight goes to the tail) with
 * current Linux's limits: netdev_budget packets and netdev_budget_usecs
 * (2 jiffies by default).  As in current Linux the limits are checked
 * after a poll, so every run makes progress even with a zero budget.
 * Leaves out: busy polling, threaded NAPI, netpoll, RPS IPIs deferred to
 * the end of net_rx_action (kpath sends them from enqueue_to_backlog).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "core_priv.h"
#include "engine/probe.h"
#include "net_namespace.h"
#include "net/sched/pkt_sched.h"
#include "netdevice.h"
#include "sched/host.h"
#include "sched/irq.h"
#include "sched/softirq.h"
#include "sched/timer.h"

/* ---- NAPI instances ---- */

void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *, int), int weight)
{
	INIT_LIST_HEAD(&napi->poll_list);
	napi->gro_list = NULL;
	napi->gro_count = 0;
	napi->poll = poll;
	napi->weight = weight;
	napi->dev = dev;
	napi->cpu = -1;
	napi->polls = napi->packets = 0;
	if (!napi->kp.id && dev->host)
		kp_obj_assign(&dev->host->world->ids, &napi->kp, KP_OBJ_NAPI);
	if (!napi->name[0])
		snprintf(napi->name, sizeof(napi->name), "%s-napi-%u", dev->name,
			 napi->kp.id);
	list_add(&napi->dev_list, &dev->napi_list);
	/* disabled until napi_enable */
	set_bit(NAPI_STATE_SCHED, &napi->state);
}

void netif_napi_del(struct napi_struct *napi)
{
	list_del_init(&napi->dev_list);
	kp_gro_discard(napi);
}

void napi_enable(struct napi_struct *n)
{
	KP_FUNC(napi_enable, n);
	clear_bit(NAPI_STATE_SCHED, &n->state);
}

/* Waits (sleeping a jiffy at a time, as msleep(1)) for a running poll to
 * finish, then keeps NAPI_STATE_SCHED so nobody schedules it again. */
void napi_disable(struct napi_struct *n)
{
	set_bit(NAPI_STATE_DISABLE, &n->state);
	while (test_and_set_bit(NAPI_STATE_SCHED, &n->state)) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		schedule_timeout(1);
	}
	clear_bit(NAPI_STATE_DISABLE, &n->state);
}

bool napi_schedule_prep(struct napi_struct *n)
{
	return !test_bit(NAPI_STATE_DISABLE, &n->state) &&
	       !test_and_set_bit(NAPI_STATE_SCHED, &n->state);
}

void ____napi_schedule(struct softnet_data *sd, struct napi_struct *napi)
{
	list_add_tail(&napi->poll_list, &sd->poll_list);
	napi->cpu = sd->cpu_id;
	/* 3.10 only sets the bit: the interrupt's irq_exit runs it.  Outside
	 * interrupt context (current Linux) ksoftirqd must be woken. */
	if (in_interrupt())
		__raise_softirq_irqoff(NET_RX_SOFTIRQ);
	else
		raise_softirq_irqoff(NET_RX_SOFTIRQ);
}

void __napi_schedule(struct napi_struct *n)
{
	KP_FUNC(__napi_schedule, n);
	unsigned long flags;
	local_irq_save(flags);
	____napi_schedule(kp_softnet_of(this_cpu()), n);
	local_irq_restore(flags);
}

void napi_schedule(struct napi_struct *n)
{
	KP_FUNC(napi_schedule, n);
	if (napi_schedule_prep(n))
		__napi_schedule(n);
}

void __napi_complete(struct napi_struct *n)
{
	list_del_init(&n->poll_list);
	n->cpu = -1;
	clear_bit(NAPI_STATE_SCHED, &n->state);
}

void napi_complete(struct napi_struct *n)
{
	KP_FUNC(napi_complete, n);
	if (test_bit(NAPI_STATE_NPSVC, &n->state))
		return;
	napi_gro_flush(n, false);
	unsigned long flags;
	local_irq_save(flags);
	__napi_complete(n);
	local_irq_restore(flags);
}

/* ---- the softirqs ---- */

static unsigned long usecs_to_jiffies(unsigned long u)
{
	return (u * HZ + 999999ul) / 1000000ul;
}

static void net_rx_action(struct softirq_action *h)
{
	KP_FUNC0(net_rx_action);
	struct softnet_data *sd = kp_softnet_of(this_cpu());
	struct net *net = current_net();
	unsigned long time_limit =
		jiffies + usecs_to_jiffies((unsigned long)
					   net->sysctl.netdev_budget_usecs);
	long budget = net->sysctl.netdev_budget;

	local_irq_disable();
	while (!list_empty(&sd->poll_list)) {
		local_irq_enable();
		struct napi_struct *n = list_first_entry(
			&sd->poll_list, struct napi_struct, poll_list);
		int weight = n->weight;
		int work = 0;
		if (test_bit(NAPI_STATE_SCHED, &n->state)) {
			work = n->poll(n, weight);
			n->polls++;
			n->packets += (uint64_t)(work > 0 ? work : 0);
		}
		if (work > weight)
			work = weight; /* WARN_ON_ONCE(work > weight) */
		budget -= work;

		local_irq_disable();
		if (work == weight) {
			if (test_bit(NAPI_STATE_DISABLE, &n->state)) {
				local_irq_enable();
				napi_complete(n);
				local_irq_disable();
			} else {
				if (n->gro_list) {
					/* flush too old packets */
					local_irq_enable();
					napi_gro_flush(n, HZ >= 1000);
					local_irq_disable();
				}
				list_move_tail(&n->poll_list, &sd->poll_list);
			}
		}
		if ((budget <= 0 || time_after_eq(jiffies, time_limit)) &&
		    !list_empty(&sd->poll_list)) {
			/* softnet_break: the rest waits for the next round,
			 * maybe in ksoftirqd */
			sd->time_squeeze++;
			__raise_softirq_irqoff(NET_RX_SOFTIRQ);
			break;
		}
	}
	local_irq_enable();
}

/* NET_TX_SOFTIRQ: frees the completion queue, then runs every qdisc
 * __netif_schedule put on output_queue (the driver woke its queue, or a
 * run used its quota).  A qdisc whose lock another CPU holds goes back
 * on the list (spin_trylock). */
static void net_tx_action(struct softirq_action *h)
{
	KP_FUNC0(net_tx_action);
	struct softnet_data *sd = kp_softnet_of(this_cpu());
	(void)h;
	if (sd->completion_queue) {
		local_irq_disable();
		struct sk_buff *clist = sd->completion_queue;
		sd->completion_queue = NULL;
		local_irq_enable();
		while (clist) {
			struct sk_buff *skb = clist;
			clist = clist->next;
			skb->next = NULL;
			consume_skb(skb);
		}
	}
	if (sd->output_queue) {
		local_irq_disable();
		struct Qdisc *head = sd->output_queue;
		sd->output_queue = NULL;
		local_irq_enable();
		while (head) {
			struct Qdisc *q = head;
			spinlock_t *root_lock = qdisc_lock(q);
			head = head->next_sched;
			if (!spin_is_locked(root_lock)) { /* spin_trylock */
				spin_lock(root_lock);
				clear_bit(__QDISC_STATE_SCHED, &q->state);
				qdisc_run(q);
				spin_unlock(root_lock);
			} else if (!test_bit(__QDISC_STATE_DEACTIVATED,
					     &q->state)) {
				__netif_reschedule(q);
			} else {
				clear_bit(__QDISC_STATE_SCHED, &q->state);
			}
		}
	}
}

/* ---- boot ---- */

static void net_dev_exit(struct net *net)
{
	struct kp_host *h = net->host;
	struct net_device *dev, *tmp;
	/* The skbs die with the stack: forget what NAPI held. */
	list_for_each_entry(dev, &net->dev_base_head, dev_list) {
		struct napi_struct *n;
		list_for_each_entry(n, &dev->napi_list, dev_list) {
			n->gro_list = NULL;
			n->gro_count = 0;
			list_del_init(&n->poll_list);
		}
	}
	list_for_each_entry_safe(dev, tmp, &net->dev_base_head, dev_list)
		list_del_init(&dev->dev_list);
	for (int i = 0; i < h->nr_cpus; i++) {
		struct softnet_data *sd = h->cpus[i]->softnet;
		if (!sd)
			continue;
		while (!list_empty(&sd->poll_list))
			list_del_init(sd->poll_list.next);
		free(sd);
		h->cpus[i]->softnet = NULL;
	}
}

static void net_host_free(struct kp_host *h)
{
	kp_net_free(h->net);
	h->net = NULL;
}

static struct softnet_data *softnet_alloc(struct kp_cpu *cpu, struct net *net)
{
	struct softnet_data *sd = calloc(1, sizeof(*sd));
	if (!sd)
		return NULL;
	INIT_LIST_HEAD(&sd->poll_list);
	skb_queue_head_init(&sd->input_pkt_queue);
	skb_queue_head_init(&sd->process_queue);
	sd->cpu = cpu;
	sd->cpu_id = cpu->id;
	struct napi_struct *b = &sd->backlog;
	INIT_LIST_HEAD(&b->poll_list);
	INIT_LIST_HEAD(&b->dev_list);
	b->poll = process_backlog;
	b->weight = (int)net->sysctl.dev_weight;
	b->cpu = -1;
	kp_obj_assign(&cpu->host->world->ids, &b->kp, KP_OBJ_NAPI);
	snprintf(b->name, sizeof(b->name), "backlog/%d", cpu->id);
	return sd;
}

int net_dev_init(void)
{
	KP_FUNC0(net_dev_init);
	struct kp_host *h = current_host();
	if (!h->net) {
		h->net = kp_net_create(h);
		if (!h->net)
			return -ENOMEM;
		h->net_free = net_host_free;
	}
	struct net *net = h->net;
	kp_net_register_exit(net, net_dev_exit);
	for (int i = 0; i < h->nr_cpus; i++) {
		struct softnet_data *sd = softnet_alloc(h->cpus[i], net);
		if (!sd)
			return -ENOMEM;
		h->cpus[i]->softnet = sd;
	}
	open_softirq(NET_TX_SOFTIRQ, net_tx_action);
	open_softirq(NET_RX_SOFTIRQ, net_rx_action);
	return 0;
}
