/* SPDX-License-Identifier: MIT */
/*
 * main.c - lesson 06's program (given): every row of this architecture
 * measured with your harness, the table, and with --bench the kit's own
 * benchmark (make bench): results.json, the chart, and the ratios the kit
 * holds itself to.
 *
 *   lesson [--bench] [--quick] [--rows NAME,...] [--json FILE] [--svg FILE]
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"

GUEST_IMAGE_DECLARE(exits);

struct sizes {
	uint64_t exits, words;   /* per batch */
	unsigned batches;
};

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static bool wanted(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	if (!list)
		return true;
	for (p = list; (p = strstr(p, name)) != NULL; p += len)
		if ((p == list || p[-1] == ',') && (p[len] == ',' || p[len] == 0))
			return true;
	return false;
}

static void measure(const struct l6_row *row, const struct sizes *sz, struct l6_outcome *o)
{
	struct guest_image image = GUEST_IMAGE(exits);
	struct l6_machine m;
	int ret;

	memset(o, 0, sizeof(*o));
	o->row = row;
	kit_clear_error();
	ret = l6_start(&m, &image, row);
	/* A row that never ends is stopped: a minute is far more than any takes. */
	if (ret == 0 && (ret = watchdog_arm(m.cpu.run, 60000)) == 0) {
		ret = bench_measure(&m, row->words ? sz->words : sz->exits, sz->batches, &o->result);
		watchdog_disarm();
	}
	o->ok = ret == 0;
	o->unsupported = ret == -EOPNOTSUPP;
	if (!o->ok)
		snprintf(o->why, sizeof(o->why), "%s", kit_first_todo() ? kit_first_todo() :
			 kit_last_error());
	l6_stop(&m);
}

/* ---- the core's run loop, for the first ratio --------------------------- */

struct loop_ctx {
	struct l6_machine *m;
	unsigned long intended;
	int error;
};

static int loop_hook(struct vcpu *cpu, void *p)
{
	struct loop_ctx *c = p;
	int ret;

	(void)cpu;
	switch (l6_classify(c->m, c->m->row->kind)) {
	case L6_MARK:
		return RUN_EXIT_STOP;
	case L6_INTENDED:
		c->intended++;
		ret = l6_serve(c->m);
		return ret < 0 ? ret : RUN_EXIT_HANDLED;
	default:
		return RUN_EXIT_UNHANDLED;
	}
}

/* The first row (PIO on x86, MMIO on arm64) again, each batch one
 * vcpu_run_loop() of the core, timed the same way. */
static void measure_run_loop(const struct sizes *sz, struct l6_outcome *o)
{
	static const struct l6_row row = { "run_loop", "the first row again, through the core's "
					   "run loop (vcpu_run_loop)", 0, L6_USER };
	struct guest_image image = GUEST_IMAGE(exits);
	struct l6_row r = row;
	struct l6_machine m;
	double *ns = calloc(sz->batches, sizeof(*ns)), *ticks = calloc(sz->batches, sizeof(*ticks));
	unsigned b;
	int ret;

	r.kind = l6_rows[0].kind;
	memset(o, 0, sizeof(*o));
	o->row = &row;
	ret = !ns || !ticks ? kit_error(-ENOMEM, "no memory") : l6_start(&m, &image, &r);
	if (ret == 0)
		ret = watchdog_arm(m.cpu.run, 60000);
	for (b = 0; ret == 0 && b <= sz->batches; b++) {
		struct loop_ctx c = { .m = &m };
		struct run_loop loop = { .on_exit = loop_hook, .ctx = &c };
		uint64_t t0;

		m.params->kind = r.kind;
		m.params->n = sz->exits;
		t0 = now_ns();
		ret = vcpu_run_loop(&m.cpu, &loop);
		if (ret == 0 && c.intended != sz->exits)
			ret = kit_error(-EPROTO, "the run loop saw %lu exits of %llu", c.intended,
					(unsigned long long)sz->exits);
		if (ret == 0 && b > 0) {   /* batch 0: the warm-up */
			ns[b - 1] = (double)(now_ns() - t0) / (double)sz->exits;
			ticks[b - 1] = (double)m.params->ticks / (double)sz->exits;
			o->result.user_exits += c.intended;
		}
	}
	if (ret == 0 && (ret = stats_summarize(ns, sz->batches, &o->result.ns)) == 0)
		ret = stats_summarize(ticks, sz->batches, &o->result.ticks);
	watchdog_disarm();
	o->result.row = &row;
	o->result.n = sz->exits;
	o->result.batches = sz->batches;
	o->ok = ret == 0;
	if (!o->ok)
		snprintf(o->why, sizeof(o->why), "%s", kit_last_error());
	free(ns);
	free(ticks);
	l6_stop(&m);
}

/* ---- the ratios ------------------------------------------------------- */

/* One batch of n on `m`: with the harness (bench_batch(), the bare
 * KVM_RUN loop), or as one vcpu_run_loop() of the core. Its ns, or 0. */
static uint64_t one_batch(struct l6_machine *m, bool run_loop, uint64_t n)
{
	struct loop_ctx c = { .m = m };
	struct run_loop loop = { .on_exit = loop_hook, .ctx = &c };
	struct bench_batch b;
	uint64_t t0, ns;

	if (watchdog_arm(m->cpu.run, 60000) < 0)
		return 0;
	if (!run_loop) {
		ns = bench_batch(m, n, &b) == 0 ? b.ns : 0;
	} else {
		m->params->kind = m->row->kind;
		m->params->n = n;
		t0 = now_ns();
		ns = vcpu_run_loop(&m->cpu, &loop) == 0 && c.intended == n ? now_ns() - t0 : 0;
	}
	watchdog_disarm();
	return ns;
}

/* Two ways out, measured batch by batch in turn, each on its own machine:
 * what drifts during a run (the host's load, its clock speed, the order
 * the rows come in) moves both alike, and their ratio holds still. The
 * ratio of the medians, or 0 if a row is not here. */
static double interleaved(const char *num, bool num_loop, const char *den,
			  const struct sizes *sz)
{
	struct guest_image image = GUEST_IMAGE(exits);
	const struct l6_row *rows[2] = { l6_row(num), l6_row(den) };
	static double samples[2][BENCH_MAX_BATCHES];
	struct l6_machine m[2];
	struct stats st[2];
	bool ok = rows[0] && rows[1] && sz->batches <= BENCH_MAX_BATCHES, started[2] = { 0 };
	unsigned b, k;

	for (k = 0; k < 2 && ok; k++) {
		ok = l6_start(&m[k], &image, rows[k]) == 0;
		started[k] = true;   /* l6_stop() undoes a partial start too */
	}
	/* The warm-up of each, then turn by turn. */
	for (b = 0; ok && b <= sz->batches; b++) {
		for (k = 0; k < 2 && ok; k++) {
			uint64_t ns = one_batch(&m[k], k == 0 && num_loop, sz->exits);

			ok = ns > 0;
			if (b > 0)
				samples[k][b - 1] = (double)ns / (double)sz->exits;
		}
	}
	for (k = 0; k < 2 && ok; k++)
		ok = stats_summarize(samples[k], sz->batches, &st[k]) == 0;
	for (k = 0; k < 2; k++)
		if (started[k])
			l6_stop(&m[k]);
	return ok && st[1].median > 0 ? st[0].median / st[1].median : 0;
}

static bool ratio(const char *what, double r, double limit)
{
	if (r <= 0) {
		printf("ratio SKIP: %s: a row is missing here\n", what);
		return true;
	}
	printf("ratio %s: %s: %.3fx (at most %.2fx)\n", r <= limit ? "PASS" : "FAIL", what, r,
	       limit);
	return r <= limit;
}

static void slowdown(const struct l6_outcome *o, unsigned n, const char *mmio, const char *ram,
		     const char *what)
{
	double a = l6_median(o, n, mmio), b = l6_median(o, n, ram);

	if (a > 0 && b > 0)
		printf("the seed's question: %s: %.1f ns a word behind MMIO, %.2f ns in RAM: %.0fx "
		       "slower\n", what, a, b, a / b);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bench", no_argument, NULL, 'b' }, { "quick", no_argument, NULL, 'q' },
		{ "rows", required_argument, NULL, 'r' }, { "json", required_argument, NULL, 'j' },
		{ "svg", required_argument, NULL, 's' }, { NULL, 0, NULL, 0 },
	};
	struct sizes sz = { 500, 1000, 10 };
	const char *rows = NULL, *json = NULL, *svg = NULL;
	struct l6_outcome *o;
	struct l6_env env;
	bool bench = false, ok = true;
	unsigned i, n = 0;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'b': bench = true; sz = (struct sizes){ 2000, 4000, 20 }; break;
		case 'q': sz = (struct sizes){ 50, 100, 3 }; break;
		case 'r': rows = optarg; break;
		case 'j': json = optarg; break;
		case 's': svg = optarg; break;
		default:
			fprintf(stderr, "usage: %s [--bench] [--quick] [--rows NAME,...] [--json FILE] "
				"[--svg FILE]\n", argv[0]);
			return 2;
		}
	}
	o = calloc(l6_nrows + 1, sizeof(*o));
	if (!o)
		return 1;
	l6_env_read(&env);
	env.pinned_cpu = bench_pin();
	printf("lesson 06: measuring exits (%u batches of %llu exits, or %llu words, a row)\n",
	       sz.batches, (unsigned long long)sz.exits, (unsigned long long)sz.words);
	fflush(stdout);
	for (i = 0; i < l6_nrows; i++) {
		if (!wanted(rows, l6_rows[i].name))
			continue;
		measure(&l6_rows[i], &sz, &o[n]);
		if (!o[n].ok && !o[n].unsupported)
			ok = false;
		if (!o[n].ok && kit_first_todo()) {   /* the news: stop at the first TODO */
			n++;
			break;
		}
		n++;
	}
	if (bench && ok)
		measure_run_loop(&sz, &o[n++]);
	l6_print_table(stdout, &env, o, n);
	if (bench) {
		const char *first = l6_rows[0].name;

		printf("the kit's ratios, each from two rows measured batch by batch in turn:\n");
		ok &= ratio("the core's run loop per exit, against the bare KVM_RUN loop",
			    interleaved(first, true, first, &sz), 1.05);
#ifdef __aarch64__
		ok &= ratio("lesson 05's NISV round trip against an MMIO exit with a syndrome",
			    interleaved("nisv", false, "mmio", &sz), 2.0);
#else
		ok &= ratio("a five-argument hypercall (SYNC_REGS) against a bare PIO exit",
			    interleaved("hypercall5_sync", false, "pio", &sz), 1.15);
#endif
	}
	slowdown(o, n, "sum_mmio", "sum_ram", "a checksum");
#ifdef __aarch64__
	slowdown(o, n, "store_mmio", "store_ram", "post-indexed stores (lesson 05's emulator)");
#else
	slowdown(o, n, "store_mmio", "store_ram", "stores");
#endif
	if (json && l6_write_json(json, &env, o, n) < 0) {
		fprintf(stderr, "%s\n", kit_last_error());
		ok = false;
	}
	if (svg && l6_write_svg(svg, &env, o, n) < 0) {
		fprintf(stderr, "%s\n", kit_last_error());
		ok = false;
	}
	free(o);
	/* A TODO reached is the news, whatever the figures look like. */
	if (kit_first_todo()) {
		printf("[TODO] %s\n", kit_first_todo());
		return 1;
	}
	return ok ? 0 : 1;
}
