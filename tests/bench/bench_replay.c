/*
 * bench_replay.c - replay_fps: a generated 1,000,000-frame UDP capture
 * replayed into server's eth0 (`replay FILE`), in frames per wall-clock
 * second, trace ring on (the default 65536 records).
 *
 * The capture (written once with kp_pcap_out, not timed) holds UDP
 * frames 10.0.0.1:4000 > 10.0.0.2:9, 5 us apart - a rate the emulated
 * server sustains - so every frame goes wire > NIC > DMA > MSI-X > NAPI
 * > GRO > ip_rcv > udp_rcv and ends as UdpNoPorts (NO_SOCKET): the whole
 * receive path plus the capture reader, streamed 256 frames ahead.
 *
 * replay_file_fps: the same with every trace record streamed to a file
 * as well (`trace file FILE`, the compact bin form, in $TMPDIR): about
 * 40 records a frame, 4-5 bytes each.  The file must hold them all.
 *
 * Measured (2026-11, this machine): ~645,000 frames/s, target 1,000,000.
 * The capture side (read, decode, inject) is a few percent; the rest is
 * the receive path (event heap, probes, drop details).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "capture/pcap_out.h"

#define REPLAY_FRAMES 1000000
#define REPLAY_GAP_NS 5000

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Ethernet/IPv4/UDP, 18 bytes of payload, good checksums: 60 bytes. */
static void make_frame(uint8_t f[60])
{
	static const uint8_t head[34] = {
		0x02, 0x00, 0x0a, 0x00, 0x00, 0x02, 0x02, 0x4b, 0x50, 0x00,
		0x00, 0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x2e, 0x00, 0x01,
		0x00, 0x00, 0x40, 0x11, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x01,
		0x0a, 0x00, 0x00, 0x02,
	};
	uint32_t sum = 0;
	memset(f, 0, 60);
	memcpy(f, head, sizeof(head));
	for (int i = 14; i < 34; i += 2)
		sum += (uint32_t)(f[i] << 8 | f[i + 1]);
	uint16_t c = fold(sum);
	f[24] = (uint8_t)(c >> 8);
	f[25] = (uint8_t)c;
	uint8_t *u = f + 34;
	u[0] = 0x0f; /* 4000 */
	u[1] = 0xa0;
	u[3] = 9;
	u[5] = 26;
	for (int i = 8; i < 26; i++)
		u[i] = (uint8_t)i;
	sum = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 17 + 26;
	for (int i = 0; i < 26; i += 2)
		sum += (uint32_t)(u[i] << 8 | u[i + 1]);
	c = fold(sum);
	u[6] = (uint8_t)(c >> 8);
	u[7] = (uint8_t)c;
}

static int write_capture(const char *path, long frames)
{
	struct kp_pcap_out o;
	uint8_t f[60];
	make_frame(f);
	if (kp_pcap_out_open(&o, path, KP_PCAP_NSEC, 0) < 0)
		return -1;
	for (uint64_t i = 0; i < (uint64_t)frames; i++)
		kp_pcap_out_write(&o, 1700000000000000000ull +
					      i * REPLAY_GAP_NS,
				  f, 60, 60);
	return kp_pcap_out_close(&o);
}

/* Frames per wall second of one replay, or 0 if it went wrong.  With
 * @trace_path, the trace goes to that file too. */
static double replay_run(const char *name, const char *path, long frames,
			 const char *trace_path)
{
	struct kp_bench_world b;
	char want_read[64], want_noports[64];
	double fps = 0;

	if (kp_bench_world_open(&b, name) < 0)
		return 0;
	kp_bench_exec(&b, "ps"); /* boot, not timed */
	if (trace_path)
		kp_bench_exec(&b, "trace file %s", trace_path);
	uint64_t seq0 = b.s->world->trace.seq;
	uint64_t t0 = kp_bench_now_ns();
	const char *o = kp_bench_exec(&b, "replay %s on server", path);
	uint64_t ns = kp_bench_now_ns() - t0;
	snprintf(want_read, sizeof(want_read), "%ld read, %ld injected", frames,
		 frames);
	snprintf(want_noports, sizeof(want_noports), "UdpNoPorts +%ld", frames);
	if (b.errors || !strstr(o, want_read) || !strstr(o, want_noports)) {
		fprintf(stderr, "%s: the replay went wrong:\n%s", name, o);
		b.errors++;
	}
	uint64_t seq = b.s->world->trace.seq;
	if (trace_path && !b.errors) {
		/* every record of the replay is in the file */
		o = kp_bench_exec(&b, "trace file off");
		uint64_t n = 0;
		const char *p = strstr(o, ": ");
		if (p)
			n = strtoull(p + 2, NULL, 10);
		if (b.errors || n != seq - seq0) {
			fprintf(stderr, "%s: %" PRIu64 " of %" PRIu64
					" records in the file: %s",
				name, n, seq - seq0, o);
			b.errors++;
		}
	}
	if (!b.errors && ns)
		fps = (double)frames * 1e9 / (double)ns;
	kp_bench_world_close(&b);
	return fps;
}

static void replay_bench(const char *name, bool to_file)
{
	char path[256], trace[256];
	double v[KP_BENCH_RUNS_MAX];
	int runs = kp_bench_runs();
	long frames = kp_bench_scaled(REPLAY_FRAMES);
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(path, sizeof(path), "%s/kp-bench-replay-%d.pcap", tmp,
		 (int)getpid());
	snprintf(trace, sizeof(trace), "%s/kp-bench-replay-%d.kpt", tmp,
		 (int)getpid());
	if (write_capture(path, frames) < 0) {
		fprintf(stderr, "%s: cannot write %s\n", name, path);
		return;
	}
	for (int r = 0; r < runs; r++)
		v[r] = replay_run(name, path, frames, to_file ? trace : NULL);
	unlink(path);
	if (to_file)
		unlink(trace);
	kp_bench_report(name, kp_bench_median(v, runs), "frames/s");
}

void bench_replay(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	replay_bench("replay_fps", false);
}

void bench_replay_file(const struct kp_bench_ctx *ctx)
{
	(void)ctx;
	replay_bench("replay_file_fps", true);
}
