/* SPDX-License-Identifier: MIT */
/*
 * checks.c - lesson 06's graded checks (given; read, do not change). No
 * check looks at a time: the statistics are checked on fixed data, the
 * harness with a clock that reads what the check wants, and the fast
 * paths by what reached the host and how often.
 */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "report.h"
#include "grade/grade.h"
#include "layout.h"

GUEST_IMAGE_DECLARE(exits);

/* Lesson 03's hypercall, the slow way (the fast one may be missing). */
#ifdef __aarch64__
#define HYPERCALL_ROW "hypercall5_doorbell"
#else
#define HYPERCALL_ROW "hypercall5_regs"
#endif

/* ---- section 3: statistics -------------------------------------------- */

static bool same(double a, double b)
{
	return a == b;   /* every expected value here is exact in binary */
}

static void expect_stats(const char *what, const double *data, size_t n, double min,
			 double p10, double median, double p90, double p99, double max, double mean)
{
	double copy[128];
	struct stats s;
	int ret;

	memcpy(copy, data, n * sizeof(*data));
	memset(&s, 0x5a, sizeof(s));
	ret = stats_summarize(copy, n, &s);
	EXPECT(ret == 0 && s.count == n && same(s.min, min) && same(s.p10, p10) &&
	       same(s.median, median) && same(s.p90, p90) && same(s.p99, p99) && same(s.max, max) &&
	       same(s.mean, mean),
	       "%s: stats_summarize() should give count %zu, min %g, p10 %g, median %g, p90 %g, "
	       "p99 %g, max %g, mean %g; got %d: count %zu, min %g, p10 %g, median %g, p90 %g, "
	       "p99 %g, max %g, mean %g", what, n, min, p10, median, p90, p99, max, mean, ret,
	       s.count, s.min, s.p10, s.median, s.p90, s.p99, s.max, s.mean);
}

static void test_stats_summary(void)
{
	static const double one[] = { 7 };
	static const double odd[] = { 5, 1, 3 };
	static const double even[] = { 4, 1, 3, 2 };
	static const double ties[] = { 2, 2, 9, 2, 2 };
	static const double skewed[] = { 1, 2, 100 };   /* the mean is 34.33 */
	static const double ten[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	double hundred[100], empty[1] = { 0 };
	struct stats s;
	unsigned i;

	expect_stats("one sample", one, 1, 7, 7, 7, 7, 7, 7, 7);
	expect_stats("three samples", odd, 3, 1, 1, 3, 5, 5, 5, 3);
	expect_stats("four samples: the median between the middle two", even, 4, 1, 1, 2.5, 4,
		     4, 4, 2.5);
	expect_stats("ties", ties, 5, 2, 2, 2, 9, 9, 9, 17.0 / 5);
	expect_stats("one slow sample: the median is not the mean", skewed, 3, 1, 1, 2, 100, 100,
		     100, 103.0 / 3);
	expect_stats("ten samples", ten, 10, 1, 1, 5.5, 9, 10, 10, 5.5);
	for (i = 0; i < 100; i++)
		hundred[i] = (double)((i * 37) % 100 + 1);   /* 1 to 100, shuffled */
	expect_stats("1 to 100", hundred, 100, 1, 10, 50.5, 90, 99, 100, 50.5);
	EXPECT_EQ_INT("stats_summarize() of no samples", stats_summarize(empty, 0, &s), -EINVAL);
}

static void test_stats_percentiles(void)
{
	static const double sorted[] = { 0.125, 0.25, 0.5, 0.75, 1, 2, 4, 8 };
	double frac[] = { 0.5, 0.25, 0.75, 0.125, 0.375 };
	static const double frac_sorted[] = { 0.125, 0.25, 0.375, 0.5, 0.75 };
	static const struct { unsigned p; double want; } edges[] = {
		{ 0, 0.125 }, { 1, 0.125 }, { 12, 0.125 }, { 13, 0.25 }, { 25, 0.25 }, { 26, 0.5 },
		{ 50, 0.75 }, { 51, 1 }, { 87, 4 }, { 88, 8 }, { 99, 8 }, { 100, 8 },
	};
	unsigned i;

	for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		double got = stats_percentile(sorted, 8, edges[i].p);

		EXPECT(same(got, edges[i].want), "stats_percentile() of 8 samples at p%u: the "
		       "nearest rank is ceil(%u * 8 / 100) = %u, sample %g; got %g", edges[i].p,
		       edges[i].p, edges[i].p ? (edges[i].p * 8 + 99) / 100 : 1, edges[i].want, got);
	}
	{
		static const double three[] = { 1, 2, 3 };

		EXPECT(same(stats_percentile(three, 3, 67), 3), "p67 of 3 samples: ceil(2.01) = "
		       "3, the 3rd; got %g", stats_percentile(three, 3, 67));
		EXPECT(same(stats_percentile(three, 3, 66), 2), "p66 of 3 samples: ceil(1.98) = "
		       "2, the 2nd; got %g", stats_percentile(three, 3, 66));
		EXPECT(same(stats_percentile(three, 3, 150), 3), "p150 of 3 samples: the largest; "
		       "got %g", stats_percentile(three, 3, 150));
	}
	EXPECT(same(stats_median(sorted, 8), 0.875), "stats_median() of 8 samples: the mean of "
	       "the 4th and 5th, 0.875; got %g", stats_median(sorted, 8));
	EXPECT(same(stats_median(sorted, 7), 0.75), "stats_median() of 7 samples: the 4th, 0.75; "
	       "got %g", stats_median(sorted, 7));
	stats_sort(frac, 5);
	EXPECT(memcmp(frac, frac_sorted, sizeof(frac)) == 0, "stats_sort() of 0.5, 0.25, 0.75, "
	       "0.125, 0.375 should give 0.125 0.25 0.375 0.5 0.75; got %g %g %g %g %g (samples "
	       "under 1 apart are not equal)", frac[0], frac[1], frac[2], frac[3], frac[4]);
}

/* ---- sections 4 and 5: the harness -------------------------------------- */

static struct l6_machine m;

static void start(const struct l6_row *row)
{
	struct guest_image image = GUEST_IMAGE(exits);
	int ret = l6_start(&m, &image, row);

	ASSERT(ret == 0, "starting a machine for %s failed (%d): %s", row->name, ret,
	       kit_first_todo() ? kit_first_todo() : kit_last_error());
}

static const struct l6_row *row_named(const char *name)
{
	const struct l6_row *row = l6_row(name);

	ASSERT(row != NULL, "this architecture has no row %s", name);
	return row;
}

/* One batch; ASSERTs that it worked. */
static struct bench_batch batch(uint64_t n)
{
	struct bench_batch b;
	int ret;

	memset(&b, 0x5a, sizeof(b));
	kit_clear_error();
	ret = bench_batch(&m, n, &b);
	ASSERT(ret == 0, "bench_batch() of %llu exits for %s: %d: %s", (unsigned long long)n,
	       m.row->name, ret, kit_first_todo() ? kit_first_todo() : kit_last_error());
	return b;
}

static void test_batch_counts(void)
{
	static const char *const user[] = {
#ifdef __aarch64__
		"mmio", "nisv",
#else
		"pio", "mmio",
#endif
	};
	struct bench_batch b;
	unsigned i, k;

	for (i = 0; i < 2; i++) {
		start(row_named(user[i]));
		b = batch(100);
		EXPECT(b.n == 100 && b.user_exits == 100 && b.ring_entries == 0 &&
		       b.eventfd_count == 0, "%s: a batch of 100: out->n 100, 100 exits counted, "
		       "nothing else; got n %llu, %lu exits, %lu ring entries, eventfd %llu",
		       user[i], (unsigned long long)b.n, b.user_exits, b.ring_entries,
		       (unsigned long long)b.eventfd_count);
		EXPECT(m.params->batches == 1 && b.ticks == m.params->ticks, "%s: the guest ran "
		       "one batch (it says %llu), and out->ticks is its count (%llu, got %llu)",
		       user[i], m.params->batches, m.params->ticks, (unsigned long long)b.ticks);
		if (strcmp(user[i], "pio") != 0) {
			for (k = 0; k < 100 && k < m.sink.nlog && m.sink.log[k] == k; k++)
				;
			EXPECT(m.sink.writes == 100 && k == 100, "%s: each store served (l6_serve()): "
			       "the device got %lu writes, the first %u of them 0, 1, 2, ...", user[i],
			       m.sink.writes, k);
		}
		/* A second batch on the same machine goes on where the first ended. */
		b = batch(30);
		EXPECT(b.user_exits == 30 && m.params->batches == 2, "%s: a second batch of 30: "
		       "%lu exits, the guest's batch %llu", user[i], b.user_exits,
		       m.params->batches);
		l6_stop(&m);
	}
	start(row_named(l6_rows[2].name));   /* answered in the kernel */
	b = batch(100);
	EXPECT(b.user_exits == 0 && m.params->batches == 1, "%s: no exit comes back (got %lu), "
	       "and the batch ran", l6_rows[2].name, b.user_exits);
	l6_stop(&m);
	start(row_named(HYPERCALL_ROW));
	k = m.hc.ncalls;   /* the guest's first call, before the batches */
	b = batch(50);
	EXPECT(b.user_exits == 50 && m.hc.ncalls == k + 50, "%s: 50 hypercalls, each answered "
	       "(got %lu exits, %u calls)", HYPERCALL_ROW, b.user_exits, m.hc.ncalls - k);
	l6_stop(&m);
}

static void test_batch_other_exit(void)
{
	static const struct l6_row stray = { "stray", "the checks' own: one store elsewhere",
					     BENCH_STRAY, L6_USER };
	struct bench_batch b;
	char want[32];
	int ret;

	start(&stray);
	kit_clear_error();
	ret = bench_batch(&m, 20, &b);
	snprintf(want, sizeof(want), "0x%llx", (unsigned long long)L6_STRAY_GPA);
	EXPECT_EQ_INT("bench_batch() with a store to another address in the batch", ret,
		      -EPROTO);
	EXPECT(strstr(kit_last_error(), "KVM_EXIT_MMIO") && strstr(kit_last_error(), want),
	       "its message should describe the exit (l6_describe(): KVM_EXIT_MMIO ... at %s); "
	       "it is: %s", want, kit_last_error());
	EXPECT(m.sink.writes == 10, "the 10 stores before it were served (the device got %lu)",
	       m.sink.writes);
	l6_stop(&m);

	/* Rows whose path is not what their guest does: the counts must
	 * say so. */
	{
		static const struct l6_row lying[] = {
			{ .name = "lying", .what = "MMIO stores said to be answered in the kernel",
			  .kind = BENCH_MMIO, .path = L6_NONE },
			{ .name = "lying", .what = "in-kernel exits said to come back",
			  .kind = BENCH_IN_KERNEL, .path = L6_USER },
			{ .name = "lying", .what = "in-kernel exits said to be counted by an eventfd",
			  .kind = BENCH_IN_KERNEL, .path = L6_EVENTFD },
			{ .name = "lying", .what = "plain MMIO stores said to go into a coalesced ring",
			  .kind = BENCH_MMIO, .path = L6_RING },
		};
		unsigned i;

		for (i = 0; i < sizeof(lying) / sizeof(lying[0]); i++) {
			start(&lying[i]);
			kit_clear_error();
			ret = bench_batch(&m, 20, &b);
			EXPECT(ret == -EPROTO && strstr(kit_last_error(), "20"), "a batch of 20 %s: "
			       "-EPROTO, saying what came (got %d: %s)", lying[i].what, ret,
			       kit_last_error());
			l6_stop(&m);
		}
	}
}

static void test_batch_watchdog(void)
{
	static const struct l6_row spin = { "spin", "the checks' own: a guest that never marks",
					    BENCH_SPIN, L6_NONE };
	struct bench_batch b;
	int ret;

	start(&spin);
	ASSERT(watchdog_arm(m.cpu.run, 300) == 0, "watchdog_arm failed: %s", kit_last_error());
	kit_clear_error();
	ret = bench_batch(&m, 1, &b);
	watchdog_disarm();
	EXPECT_EQ_INT("bench_batch() of a guest that never reaches its mark, with a 300 ms "
		      "watchdog", ret, -ETIMEDOUT);
	l6_stop(&m);

	start(row_named(l6_rows[0].name));
	inject_ioctl_error(KVM_RUN, EFAULT, 1);
	kit_clear_error();
	ret = bench_batch(&m, 10, &b);
	inject_reset();
	EXPECT(ret == -EFAULT && strstr(kit_last_error(), "KVM_RUN"), "bench_batch() when "
	       "KVM_RUN fails with EFAULT: -EFAULT, naming it (got %d: %s)", ret, kit_last_error());
	l6_stop(&m);
}

static void test_measure_exact(void)
{
	/* Four batches: the warm-up, which takes long, then 100, 300 and
	 * 200 ns for 10 exits each, each across a second (a clock of an
	 * uptime of days: tv_sec and tv_nsec both matter). */
	static const uint64_t clock[] = { 86400000000000ULL, 86400001000000ULL,
					  86400999999950ULL, 86401000000050ULL,
					  86401999999850ULL, 86402000000150ULL,
					  86402999999900ULL, 86403000000100ULL };
	struct bench_result r;
	unsigned reads;
	int ret;

	start(row_named(l6_rows[0].name));
	memset(&r, 0x5a, sizeof(r));
	inject_clock(clock, 8);
	ret = bench_measure(&m, 10, 3, &r);
	reads = inject_clock_reads();
	inject_clock(NULL, 0);
	ASSERT(ret == 0, "bench_measure(10 exits, 3 batches): %d: %s", ret,
	       kit_first_todo() ? kit_first_todo() : kit_last_error());
	EXPECT(reads == 8, "4 batches, each reading the clock twice: 8 readings (got %u)", reads);
	EXPECT(m.params->batches == 4, "one warm-up batch and 3 measured: the guest ran %llu",
	       m.params->batches);
	EXPECT(r.ns.count == 3 && same(r.ns.min, 10) && same(r.ns.median, 20) &&
	       same(r.ns.max, 30), "with a clock that reads 100, 300 and 200 ns for the 3 "
	       "measured batches of 10 (and 1 ms for the warm-up), the samples are 10, 30 and "
	       "20 ns an exit: count 3, min 10, median 20, max 30; got count %zu, min %g, "
	       "median %g, max %g", r.ns.count, r.ns.min, r.ns.median, r.ns.max);
	EXPECT(r.row == m.row && r.n == 10 && r.batches == 3 && r.user_exits == 30 &&
	       r.ticks.count == 3 && r.ticks.min > 0, "the result: its row, n 10, 3 batches, 30 "
	       "exits and 3 samples of the guest's ticks, each more than 0; got n %llu, %u "
	       "batches, %lu exits, %zu samples, the least %g", (unsigned long long)r.n,
	       r.batches, r.user_exits, r.ticks.count, r.ticks.min);
	ret = bench_measure(&m, 5, 1, &r);
	EXPECT(ret == 0 && r.ns.count == 1 && r.batches == 1, "bench_measure() of one batch "
	       "(got %d, %zu samples)", ret, r.ns.count);
	EXPECT_EQ_INT("bench_measure() of 0 exits", bench_measure(&m, 0, 3, &r), -EINVAL);
	EXPECT_EQ_INT("bench_measure() of 0 batches", bench_measure(&m, 10, 0, &r), -EINVAL);
	ret = bench_measure(&m, 1, BENCH_MAX_BATCHES, &r);
	EXPECT(ret == 0 && r.ns.count == BENCH_MAX_BATCHES, "bench_measure() of "
	       "BENCH_MAX_BATCHES (%u) batches of one exit (got %d, %zu samples)",
	       BENCH_MAX_BATCHES, ret, r.ns.count);
	EXPECT_EQ_INT("bench_measure() of BENCH_MAX_BATCHES + 1 batches",
		      bench_measure(&m, 10, BENCH_MAX_BATCHES + 1, &r), -EINVAL);
	l6_stop(&m);
}

static void test_measure_clock(void)
{
	/* 500 ns that cross 2^32 ns (4.29 s): nanoseconds need 64 bits. */
	static const uint64_t clock[] = { 4294967000ULL, 4294967500ULL };
	struct bench_batch b;

	start(row_named(l6_rows[0].name));
	inject_clock(clock, 2);
	b = batch(7);
	EXPECT(inject_clock_reads() == 2 && b.ns == 500, "one batch reads the clock twice, "
	       "before the first KVM_RUN and after the mark: %u readings, out->ns %llu (the "
	       "clock said 4.294967000 s, then 4.294967500 s: 500 ns)", inject_clock_reads(),
	       (unsigned long long)b.ns);
	inject_clock(NULL, 0);
	l6_stop(&m);
}

/* ---- sections 6 and 7: pinning, and the fast paths ---------------------- */

/* Onto CPU `from` first, then free again: bench_pin() must find itself
 * there, whichever CPU that is. */
static void pin_from(int from)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;
	int cpu;

	CPU_ZERO(&set);
	CPU_SET(from, &set);
	ASSERT(sched_setaffinity(0, sizeof(set), &set) == 0, "sched_setaffinity failed");
	CPU_ZERO(&set);
	for (cpu = 0; cpu < ncpu && cpu < CPU_SETSIZE; cpu++)
		CPU_SET(cpu, &set);
	ASSERT(sched_setaffinity(0, sizeof(set), &set) == 0, "sched_setaffinity failed");
	cpu = bench_pin();
	ASSERT(cpu >= 0, "bench_pin() on CPU %d: %d: %s", from, cpu,
	       kit_first_todo() ? kit_first_todo() : kit_last_error());
	CPU_ZERO(&set);
	ASSERT(sched_getaffinity(0, sizeof(set), &set) == 0, "sched_getaffinity failed");
	EXPECT(CPU_COUNT(&set) == 1 && CPU_ISSET(cpu, &set), "after bench_pin() = %d this "
	       "thread may run on that CPU only; it may run on %d CPU%s, CPU %d %s", cpu,
	       CPU_COUNT(&set), CPU_COUNT(&set) == 1 ? "" : "s", cpu,
	       CPU_ISSET(cpu, &set) ? "among them" : "not among them");
	EXPECT(sched_getcpu() == cpu, "and it runs there now (sched_getcpu() = %d)",
	       sched_getcpu());
}

static void test_pin(void)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	/* CPU 0 and the last: neither may pass by luck. */
	pin_from(0);
	if (ncpu > 1)
		pin_from((int)ncpu - 1);
}

static unsigned open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned n = 0;

	if (!d)
		return 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void test_fast_eventfd(void)
{
	static const uint8_t zeros[sizeof(((struct kvm_ioeventfd *)0)->pad)];
	struct kvm_ioeventfd got, *io = &got;
	struct rlimit lim, tight;
	struct bench_batch b;
	unsigned i, fds;
	int ret;

	for (i = 0; i < l6_nrows; i++) {
		const struct l6_row *row = &l6_rows[i];

		if (row->path != L6_EVENTFD)
			continue;
		inject_reset();
		start(row);
		ASSERT(inject_ioctl_calls(KVM_IOEVENTFD) == 1, "%s: one KVM_IOEVENTFD", row->name);
		b = batch(100);
		EXPECT(b.eventfd_count == 100 && b.user_exits == 0, "%s: 100 writes, counted by the "
		       "eventfd with no exit; got %llu counted, %lu exits", row->name,
		       (unsigned long long)b.eventfd_count, b.user_exits);
		l6_stop(&m);
	}
	/* The flags, the value, and a failure that leaves no eventfd open. */
	start(row_named(l6_rows[0].name));
	memset(&got, 0, sizeof(got));
	ret = bench_ioeventfd(&m.vm, L6_EVENTFD_MATCH_GPA, 4, false, true, 0x1234);
	EXPECT(inject_last_ioeventfd(&got) && ret >= 0 && io->addr == L6_EVENTFD_MATCH_GPA &&
	       io->len == 4 && io->fd == ret && io->flags == KVM_IOEVENTFD_FLAG_DATAMATCH &&
	       io->datamatch == 0x1234 && memcmp(io->pad, zeros, sizeof(zeros)) == 0,
	       "bench_ioeventfd(datamatch 0x1234) at 0x%llx: KVM_IOEVENTFD with addr, len 4, the "
	       "eventfd, flags DATAMATCH only, datamatch 0x1234, the padding zero (got %d: addr "
	       "0x%llx, len %u, fd %d, flags 0x%x, datamatch 0x%llx)",
	       (unsigned long long)L6_EVENTFD_MATCH_GPA, ret, (unsigned long long)io->addr,
	       io->len, io->fd, io->flags, (unsigned long long)io->datamatch);
	if (ret >= 0)
		close(ret);
	/* Without datamatch, the value is not KVM's business: all zero. */
	ret = bench_ioeventfd(&m.vm, L6_EVENTFD_GPA + 0x300, 4, false, false, 0x77);
	EXPECT(inject_last_ioeventfd(&got) && ret >= 0 && io->flags == 0 && io->datamatch == 0,
	       "bench_ioeventfd() at an address without datamatch: flags 0, datamatch 0 (got %d, "
	       "flags 0x%x, datamatch 0x%llx)", ret, io->flags, (unsigned long long)io->datamatch);
	if (ret >= 0)
		close(ret);
#ifdef L6_EVENTFD_PORT
	ret = bench_ioeventfd(&m.vm, 0x703, 1, true, false, 0);
	EXPECT(inject_last_ioeventfd(&got) && ret >= 0 && io->flags == KVM_IOEVENTFD_FLAG_PIO &&
	       io->datamatch == 0 && io->addr == 0x703 && io->len == 1, "bench_ioeventfd() on "
	       "port 0x703: flags PIO only (got %d, flags 0x%x)", ret, io->flags);
	if (ret >= 0)
		close(ret);
#endif
	fds = open_fds();
	inject_ioctl_error(KVM_IOEVENTFD, EEXIST, 1);
	kit_clear_error();
	ret = bench_ioeventfd(&m.vm, L6_EVENTFD_GPA + 0x100, 4, false, false, 0);
	inject_reset();
	EXPECT(ret == -EEXIST && strstr(kit_last_error(), "KVM_IOEVENTFD"), "when KVM_IOEVENTFD "
	       "fails: -EEXIST, naming it (got %d: %s)", ret, kit_last_error());
	EXPECT(open_fds() == fds, "and the eventfd is closed again (%u fds open before, %u after)",
	       fds, open_fds());
	/* No descriptor left for the eventfd itself. */
	ASSERT(getrlimit(RLIMIT_NOFILE, &lim) == 0, "getrlimit failed");
	tight = lim;
	tight.rlim_cur = 0;
	ASSERT(setrlimit(RLIMIT_NOFILE, &tight) == 0, "setrlimit failed");
	kit_clear_error();
	ret = bench_ioeventfd(&m.vm, L6_EVENTFD_GPA + 0x200, 4, false, false, 0);
	setrlimit(RLIMIT_NOFILE, &lim);
	EXPECT(ret == -EMFILE && strstr(kit_last_error(), "eventfd"), "when eventfd() fails "
	       "(no descriptor left): -EMFILE, naming it (got %d: %s)", ret, kit_last_error());
	l6_stop(&m);
}

static int failing_write(struct mmio_device *dev, uint64_t offset, const uint8_t *data,
			 uint32_t len)
{
	(void)dev;
	(void)offset;
	(void)data;
	(void)len;
	return kit_error(-EIO, "the checks' device fails this write");
}

static void test_fast_coalesced(void)
{
	struct bench_batch b;
	unsigned k;
	int ret;

	start(row_named("coalesced"));
	b = batch(1000);
	for (k = 0; k < m.sink.nlog && m.sink.log[k] == k; k++)
		;
	EXPECT(m.sink.writes == 1000 && k == 1000, "1000 coalesced writes should reach the "
	       "device, all of them and in order 0, 1, 2, ...: it got %lu, in order up to %u "
	       "(drain the ring after every exit, before serving it)", m.sink.writes, k);
	EXPECT(b.ring_entries + b.user_exits == 1000 && b.user_exits <= 1000 / (m.ring.max - 1) + 1,
	       "%lu ring entries and %lu exits: they add up to 1000, and a full ring (%u entries) "
	       "is what makes an exit", b.ring_entries, b.user_exits, m.ring.max);
	l6_stop(&m);

	/* A device that fails while the ring is drained stops the batch. */
	start(row_named("coalesced"));
	m.sink.dev.write = failing_write;
	kit_clear_error();
	ret = bench_batch(&m, 50, &b);
	EXPECT(ret == -EIO, "bench_batch() when the device fails a write from the ring: its "
	       "-EIO (got %d: %s)", ret, kit_last_error());
	l6_stop(&m);
}

/* ---- every row, and the results file ------------------------------------ */

static void test_every_row(void)
{
	struct guest_image image = GUEST_IMAGE(exits);
	struct l6_outcome o[32];
	uint64_t sums[2] = { 0, 0 };
	char path[] = "/tmp/kit-l6-XXXXXX";
	struct l6_env env;
	json_error_t err;
	json_t *doc, *rows;
	unsigned i, n = 0, measured = 0;
	int fd, ret;

	ASSERT(l6_nrows <= 32, "too many rows");
	for (i = 0; i < l6_nrows; i++) {
		const struct l6_row *row = &l6_rows[i];

		memset(&o[n], 0, sizeof(o[n]));
		o[n].row = row;
		kit_clear_error();
		ret = l6_start(&m, &image, row);
		if (ret == 0)
			ret = bench_measure(&m, row->words ? 64 : 20, 2, &o[n].result);
		o[n].ok = ret == 0;
		o[n].unsupported = ret == -EOPNOTSUPP;
		snprintf(o[n].why, sizeof(o[n].why), "%s", kit_last_error());
		EXPECT(ret == 0 || ret == -EOPNOTSUPP, "row %s: %d: %s", row->name, ret,
		       kit_first_todo() ? kit_first_todo() : kit_last_error());
		if (ret == 0 && (row->kind == BENCH_SUM_RAM || row->kind == BENCH_SUM_MMIO))
			sums[row->kind == BENCH_SUM_MMIO] = m.params->result;
		measured += ret == 0;
		l6_stop(&m);
		n++;
	}
	EXPECT(sums[0] != 0 && sums[0] == sums[1], "the seed's checksum: the same through MMIO "
	       "(0x%llx) as in RAM (0x%llx)", (unsigned long long)sums[1],
	       (unsigned long long)sums[0]);
	fd = mkstemp(path);
	ASSERT(fd >= 0, "mkstemp failed");
	close(fd);
	l6_env_read(&env);
	ASSERT(l6_write_json(path, &env, o, n) == 0, "writing results.json: %s", kit_last_error());
	doc = json_load_file(path, 0, &err);
	unlink(path);
	ASSERT(doc != NULL, "results.json does not parse: %s", err.text);
	rows = json_object_get(doc, "rows");
	EXPECT(json_is_array(rows) && json_array_size(rows) == n, "results.json: a row for each "
	       "of the %u rows", n);
	for (i = 0; i < n && json_is_array(rows); i++) {
		json_t *row = json_array_get(rows, i);

		EXPECT(json_is_string(json_object_get(row, "kind")) &&
		       (!o[i].ok || (json_is_number(json_object_get(row, "median")) &&
				     json_integer_value(json_object_get(row, "N")) > 0)),
		       "results.json row %u (%s): kind, N and the median", i, o[i].row->name);
	}
	json_decref(doc);
	EXPECT(measured >= n - 2, "only rows this KVM cannot have may be missing: %u of %u "
	       "measured", measured, n);
}

static const struct grade_test tests[] = {
	{ "stats_summary", "min, p10, median, p90, p99, max: one sample, odd, even, ties, skew",
	  2, 0, test_stats_summary,
	  "Section 3: sort first; the median of an even count is the mean of the middle two." },
	{ "stats_percentiles", "nearest-rank percentiles at their edges; sorting fractions",
	  2, 0, test_stats_percentiles,
	  "Section 3: rank ceil(p * n / 100), at least 1, counted from 1." },
	{ "batch_counts", "a batch counts exactly its exits, served, and none that KVM answers",
	  3, GRADE_NEEDS_KVM, test_batch_counts,
	  "Section 4: KVM_RUN until the mark; classify, count and serve each exit." },
	{ "batch_other_exit", "an exit of another kind in a batch fails it, named",
	  2, GRADE_NEEDS_KVM, test_batch_other_exit,
	  "Section 4: anything but the intended exit and the mark: -EPROTO, l6_describe()." },
	{ "batch_watchdog", "a batch that never ends is stopped by the watchdog; KVM_RUN fails",
	  1, GRADE_NEEDS_KVM, test_batch_watchdog,
	  "Section 4: EINTR with watchdog_fired(): -ETIMEDOUT; any other signal: again." },
	{ "measure_clock", "a batch reads the clock twice: before KVM_RUN, after the mark",
	  1, GRADE_NEEDS_KVM, test_measure_clock,
	  "Section 4: t0 before the first KVM_RUN, t1 after the mark, out->ns = t1 - t0." },
	{ "measure_exact", "the warm-up thrown away; one sample a batch, per exit",
	  3, GRADE_NEEDS_KVM, test_measure_exact,
	  "Section 5: warm-up, then batches; ns / n for each, then stats_summarize()." },
	{ "pin", "the thread pinned to the CPU it runs on", 1, 0, test_pin,
	  "Section 6: sched_getcpu(), then sched_setaffinity() with that CPU alone." },
	{ "fast_eventfd", "ioeventfds: every write counted, no exit; flags, value, errors",
	  3, GRADE_NEEDS_KVM, test_fast_eventfd,
	  "Section 7: KVM_IOEVENTFD with PIO and DATAMATCH as asked; close the eventfd on error." },
	{ "fast_coalesced", "1000 coalesced writes: all of them, in order, few exits",
	  2, GRADE_NEEDS_KVM, test_fast_coalesced,
	  "Section 4: drain the ring after each KVM_RUN, before the exit is served." },
	{ "every_row", "every row of this architecture measured; results.json holds them",
	  2, GRADE_NEEDS_KVM, test_every_row,
	  "Sections 4 and 5: only a row the host cannot have may fail, with -EOPNOTSUPP." },
};

int main(int argc, char **argv)
{
	return grade_main(argc, argv, "06-exits", tests, sizeof(tests) / sizeof(tests[0]));
}
