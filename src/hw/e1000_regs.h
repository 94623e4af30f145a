/*
 * e1000_regs.h - the register map and descriptor formats of the Intel
 * 82576 as the igb driver sees them (drivers/net/ethernet/intel/igb/
 * e1000_regs.h, e1000_82575.h, e1000_defines.h).
 *
 * Offsets are the real ones for the registers kpath models.  Left out:
 * PHY, EEPROM, VLAN filters, time sync, SR-IOV.  One kpath-only register
 * block: KP_E1000_MSIXT(n), the IRQ line each MSI-X vector is routed to
 * (on real hardware the MSI-X table in BAR 3 holds an address/data pair).
 */
#ifndef KP_HW_E1000_REGS_H
#define KP_HW_E1000_REGS_H

#include <stdint.h>

typedef uint64_t dma_addr_t;

/* ---- general ---- */
#define E1000_CTRL 0x00000
#define E1000_CTRL_RST 0x04000000 /* global reset, self-clearing */
#define E1000_STATUS 0x00008
#define E1000_STATUS_FD 0x00000001 /* full duplex */
#define E1000_STATUS_LU 0x00000002 /* link up */
#define E1000_STATUS_SPEED_100 0x00000040
#define E1000_STATUS_SPEED_1000 0x00000080
#define E1000_RCTL 0x00100
#define E1000_TCTL 0x00400
#define E1000_RXCSUM 0x05000
#define E1000_MRQC 0x05818
#define E1000_RAL0 0x05400
#define E1000_RAH0 0x05404
#define E1000_RAH_AV 0x80000000

#define E1000_RCTL_EN 0x00000002
#define E1000_RCTL_UPE 0x00000008  /* unicast promiscuous */
#define E1000_RCTL_MPE 0x00000010  /* multicast promiscuous */
#define E1000_RCTL_LPE 0x00000020  /* long packets */
#define E1000_RCTL_BAM 0x00008000  /* accept broadcast */
#define E1000_RCTL_SECRC 0x04000000 /* strip CRC */
#define E1000_TCTL_EN 0x00000002
#define E1000_TCTL_PSP 0x00000008  /* pad short packets */
#define E1000_RXCSUM_IPOFL 0x00000100 /* IP checksum offload */
#define E1000_RXCSUM_TUOFL 0x00000200 /* TCP/UDP checksum offload */

/* MRQC: multiple receive queues, which fields RSS hashes */
#define E1000_MRQC_ENABLE_RSS_4Q 0x00000002
#define E1000_MRQC_RSS_FIELD_IPV4_TCP 0x00010000
#define E1000_MRQC_RSS_FIELD_IPV4 0x00020000
#define E1000_MRQC_RSS_FIELD_IPV4_UDP 0x00400000
#define E1000_RSSRK(n) (0x05C80 + 4 * (n)) /* 10 x 4 bytes of key */
#define E1000_RETA(n) (0x05C00 + 4 * (n))  /* 32 x 4 one-byte entries */
#define IGB_RSS_KEY_SIZE 40
#define IGB_RETA_SIZE 128

/* ---- interrupts (extended, MSI-X) ---- */
#define E1000_EICS 0x01520
#define E1000_EIMS 0x01524
#define E1000_EIMC 0x01528
#define E1000_EIAC 0x0152C
#define E1000_EIAM 0x01530
#define E1000_EICR 0x01580
#define E1000_EITR(n) (0x01680 + 4 * (n))
#define E1000_IVAR0 0x01700 /* IVAR0 + 4*(q & 7): rx q, tx q, rx q+8, tx q+8 */
#define E1000_IVAR_VALID 0x80
#define E1000_EITR_CNT_IGNR 0x80000000
#define KP_E1000_MSIXT(n) (0x10000 + 4 * (n)) /* kpath: IRQ line of vector n */

/* ---- queues ---- */
#define E1000_RDBAL(n) (0x0C000 + 0x40 * (n))
#define E1000_RDBAH(n) (0x0C004 + 0x40 * (n))
#define E1000_RDLEN(n) (0x0C008 + 0x40 * (n))
#define E1000_SRRCTL(n) (0x0C00C + 0x40 * (n))
#define E1000_RDH(n) (0x0C010 + 0x40 * (n))
#define E1000_RDT(n) (0x0C018 + 0x40 * (n))
#define E1000_RXDCTL(n) (0x0C028 + 0x40 * (n))
#define E1000_RQDPC(n) (0x0C030 + 0x40 * (n))
#define E1000_TDBAL(n) (0x0E000 + 0x40 * (n))
#define E1000_TDBAH(n) (0x0E004 + 0x40 * (n))
#define E1000_TDLEN(n) (0x0E008 + 0x40 * (n))
#define E1000_TDH(n) (0x0E010 + 0x40 * (n))
#define E1000_TDT(n) (0x0E018 + 0x40 * (n))
#define E1000_TXDCTL(n) (0x0E028 + 0x40 * (n))
#define E1000_RXDCTL_QUEUE_ENABLE 0x02000000
#define E1000_TXDCTL_QUEUE_ENABLE 0x02000000
#define E1000_SRRCTL_BSIZEPKT_SHIFT 10 /* buffer size in 1 KB units */
#define E1000_SRRCTL_BSIZEPKT_MASK 0x0000007F
#define E1000_SRRCTL_DROP_EN 0x80000000

/* ---- statistics (clear on read) ---- */
#define E1000_CRCERRS 0x04000
#define E1000_MPC 0x04010  /* missed packets: no room */
#define E1000_GPRC 0x04074 /* good packets received */
#define E1000_BPRC 0x04078
#define E1000_MPRC 0x0407C
#define E1000_GPTC 0x04080 /* good packets transmitted */
#define E1000_GORCL 0x04088
#define E1000_GOTCL 0x04090
#define E1000_RNBC 0x040A0 /* receive no buffers */
#define E1000_RUC 0x040A4  /* undersize */
#define E1000_ROC 0x040AC  /* oversize */
#define E1000_TPR 0x040D0
#define E1000_TPT 0x040D4

/* ---- receive descriptor (advanced, one buffer) ---- */
union e1000_adv_rx_desc {
	struct {
		uint64_t pkt_addr; /* packet buffer address */
		uint64_t hdr_addr; /* header buffer address */
	} read;
	struct {
		struct {
			union {
				uint32_t data;
				struct {
					uint16_t pkt_info; /* RSS type, pkt type */
					uint16_t hdr_info;
				} hs_rss;
			} lo_dword;
			union {
				uint32_t rss; /* RSS hash */
				struct {
					uint16_t ip_id;
					uint16_t csum;
				} csum_ip;
			} hi_dword;
		} lower;
		struct {
			uint32_t status_error; /* ext status/error */
			uint16_t length;       /* packet length */
			uint16_t vlan;
		} upper;
	} wb; /* writeback */
};

#define E1000_RXD_STAT_DD 0x01    /* descriptor done */
#define E1000_RXD_STAT_EOP 0x02   /* end of packet */
#define E1000_RXD_STAT_IXSM 0x04  /* ignore checksum */
#define E1000_RXD_STAT_UDPCS 0x10 /* UDP checksum calculated */
#define E1000_RXD_STAT_TCPCS 0x20 /* TCP checksum calculated */
#define E1000_RXD_STAT_IPCS 0x40  /* IP checksum calculated */
#define E1000_RXDEXT_STATERR_CE 0x01000000
#define E1000_RXDEXT_STATERR_SE 0x02000000
#define E1000_RXDEXT_STATERR_SEQ 0x04000000
#define E1000_RXDEXT_STATERR_CXE 0x10000000
#define E1000_RXDEXT_STATERR_TCPE 0x20000000
#define E1000_RXDEXT_STATERR_IPE 0x40000000
#define E1000_RXDEXT_STATERR_RXE 0x80000000
#define E1000_RXDEXT_ERR_FRAME_ERR_MASK                                       \
	(E1000_RXDEXT_STATERR_CE | E1000_RXDEXT_STATERR_SE |                  \
	 E1000_RXDEXT_STATERR_SEQ | E1000_RXDEXT_STATERR_CXE |                \
	 E1000_RXDEXT_STATERR_RXE)

/* pkt_info: RSS type in the low 4 bits */
#define E1000_RXDADV_RSSTYPE_MASK 0x0000000F
#define E1000_RXDADV_RSSTYPE_IPV4_TCP 0x00000001
#define E1000_RXDADV_RSSTYPE_IPV4 0x00000002
#define E1000_RXDADV_RSSTYPE_IPV4_UDP 0x00000007

/* ---- transmit descriptor (advanced data descriptor) ---- */
union e1000_adv_tx_desc {
	struct {
		uint64_t buffer_addr; /* address of descriptor's data buf */
		uint32_t cmd_type_len;
		uint32_t olinfo_status;
	} read;
	struct {
		uint64_t rsvd;
		uint32_t nxtseq_seed;
		uint32_t status;
	} wb;
};

#define E1000_ADVTXD_DTYP_DATA 0x00300000
#define E1000_ADVTXD_DCMD_EOP 0x01000000
#define E1000_ADVTXD_DCMD_IFCS 0x02000000
#define E1000_ADVTXD_DCMD_RS 0x08000000
#define E1000_ADVTXD_DCMD_DEXT 0x20000000
#define E1000_ADVTXD_PAYLEN_SHIFT 14
#define E1000_ADVTXD_LEN_MASK 0x0000FFFF
#define E1000_TXD_STAT_DD 0x00000001

#endif
