/* SPDX-License-Identifier: MIT */
/*
 * report.c - lesson 06's report (given): the table, results.json (with
 * Jansson) and the chart (SVG written by hand: a few rectangles, lines
 * and labels need no library).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <jansson.h>

#include "report.h"

static void read_line_of(const char *path, const char *key, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	char line[512];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (strncmp(line, key, strlen(key)) != 0 || !colon)
			continue;
		colon++;
		colon += strspn(colon, " \t");
		colon[strcspn(colon, "\n")] = 0;
		snprintf(out, len, "%s", colon);
		break;
	}
	fclose(f);
}

void l6_env_read(struct l6_env *env)
{
	const char *machine = getenv("KIT_EMULATED_MACHINE");
	struct utsname u;

	memset(env, 0, sizeof(*env));
	env->pinned_cpu = -ENOSYS;
	if (uname(&u) == 0) {
		snprintf(env->kernel, sizeof(env->kernel), "Linux %.64s", u.release);
		snprintf(env->arch, sizeof(env->arch), "%s", u.machine);
	}
	snprintf(env->cpu, sizeof(env->cpu), "unknown");
	read_line_of("/proc/cpuinfo", "model name", env->cpu, sizeof(env->cpu));
	if (strcmp(env->cpu, "unknown") == 0) {
		char impl[32] = "", part[32] = "";

		/* arm64: the implementer and part numbers of MIDR_EL1. */
		read_line_of("/proc/cpuinfo", "CPU implementer", impl, sizeof(impl));
		read_line_of("/proc/cpuinfo", "CPU part", part, sizeof(part));
		if (impl[0])
			snprintf(env->cpu, sizeof(env->cpu), "implementer %s, part %s", impl, part);
	}
	/* The kit's emulated machines say so in the environment (run.sh). */
	if (machine && machine[0]) {
		env->emulated = true;
		snprintf(env->backend, sizeof(env->backend), "KVM inside an emulated machine "
			 "(%s)", machine);
	} else if (access("/sys/module/kvm_intel", F_OK) == 0) {
		snprintf(env->backend, sizeof(env->backend), "hardware: Intel VT-x (kvm_intel)");
	} else if (access("/sys/module/kvm_amd", F_OK) == 0) {
		snprintf(env->backend, sizeof(env->backend), "hardware: AMD-V (kvm_amd)");
	} else if (access("/sys/module/kvm_pvm", F_OK) == 0) {
		snprintf(env->backend, sizeof(env->backend), "a software back end (kvm_pvm)");
		env->emulated = true;
	} else {
		snprintf(env->backend, sizeof(env->backend), "%s",
#ifdef __aarch64__
			 "hardware: the Arm virtualization extensions"
#else
			 "unknown (no kvm_intel, kvm_amd or kvm_pvm module)"
#endif
		);
	}
}

static const char *unit_of(const struct l6_row *row)
{
	return row->words ? "ns/word" : "ns/exit";
}

void l6_print_table(FILE *out, const struct l6_env *env, const struct l6_outcome *o,
		    unsigned n)
{
	unsigned i;

	fprintf(out, "%s, %s\nCPU: %s\nKVM: %s%s\n", env->arch, env->kernel, env->cpu,
		env->backend, env->emulated ? "\nemulated: not comparable with hardware" : "");
	if (env->pinned_cpu >= 0)
		fprintf(out, "the vCPU thread pinned to CPU %d\n", env->pinned_cpu);
	else
		fprintf(out, "the vCPU thread not pinned (%s)\n", strerror(-env->pinned_cpu));
	fprintf(out, "%-20s %8s %9s %9s %9s %9s %10s  %s\n", "row", "batches", "min", "median",
		"p90", "p99", "ticks/med", "unit");
	for (i = 0; i < n; i++) {
		const struct bench_result *r = &o[i].result;

		if (!o[i].ok) {
			fprintf(out, "%-20s %s: %s\n", o[i].row->name,
				o[i].unsupported ? "SKIP" : "FAIL", o[i].why);
			continue;
		}
		fprintf(out, "%-20s %8u %9.1f %9.1f %9.1f %9.1f %10.1f  %s x %llu\n",
			o[i].row->name, r->batches, r->ns.min, r->ns.median, r->ns.p90, r->ns.p99,
			r->ticks.median, unit_of(o[i].row), (unsigned long long)r->n);
	}
}

double l6_median(const struct l6_outcome *o, unsigned n, const char *name)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (o[i].ok && strcmp(o[i].row->name, name) == 0)
			return o[i].result.ns.median;
	return 0;
}

int l6_write_json(const char *path, const struct l6_env *env, const struct l6_outcome *o,
		  unsigned n)
{
	json_t *doc = json_object(), *rows = json_array();
	unsigned i;
	int ret = 0;

	json_object_set_new(doc, "arch", json_string(env->arch));
	json_object_set_new(doc, "kernel", json_string(env->kernel));
	json_object_set_new(doc, "cpu", json_string(env->cpu));
	json_object_set_new(doc, "kvm", json_string(env->backend));
	json_object_set_new(doc, "emulated", json_boolean(env->emulated));
	json_object_set_new(doc, "pinned_cpu", env->pinned_cpu >= 0 ?
				json_integer(env->pinned_cpu) : json_null());
	for (i = 0; i < n; i++) {
		const struct bench_result *r = &o[i].result;
		json_t *row = json_object();

		json_object_set_new(row, "kind", json_string(o[i].row->name));
		json_object_set_new(row, "what", json_string(o[i].row->what));
		if (o[i].ok) {
			json_object_set_new(row, "N", json_integer((json_int_t)r->n));
			json_object_set_new(row, "batches", json_integer(r->batches));
			json_object_set_new(row, "min", json_real(r->ns.min));
			json_object_set_new(row, "p10", json_real(r->ns.p10));
			json_object_set_new(row, "median", json_real(r->ns.median));
			json_object_set_new(row, "p90", json_real(r->ns.p90));
			json_object_set_new(row, "p99", json_real(r->ns.p99));
			json_object_set_new(row, "max", json_real(r->ns.max));
			json_object_set_new(row, "mean", json_real(r->ns.mean));
			json_object_set_new(row, "unit", json_string(unit_of(o[i].row)));
			json_object_set_new(row, "guest_ticks_median", json_real(r->ticks.median));
			json_object_set_new(row, "user_exits", json_integer((json_int_t)r->user_exits));
		} else {
			json_object_set_new(row, "skipped", json_string(o[i].why));
		}
		json_array_append_new(rows, row);
	}
	json_object_set_new(doc, "rows", rows);
	if (json_dump_file(doc, path, JSON_INDENT(2)) < 0)
		ret = kit_error(-EIO, "could not write %s", path);
	json_decref(doc);
	return ret;
}

/* ---- the chart ---------------------------------------------------------- */

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f); break;
		}
	}
}

/* A time in ns, in the unit that suits it, to 3 significant figures. */
static const char *si_ns(double ns, char *buf, size_t len)
{
	if (ns >= 1e6)
		snprintf(buf, len, "%.3g ms", ns / 1e6);
	else if (ns >= 1e3)
		snprintf(buf, len, "%.3g µs", ns / 1e3);
	else
		snprintf(buf, len, "%.3g ns", ns);
	return buf;
}

int l6_write_svg(const char *path, const struct l6_env *env, const struct l6_outcome *o,
		 unsigned n)
{
	enum { W = 960, LEFT = 300, RIGHT = 40, TOP = 114, BAR = 26, GAP = 10 };
	double lo = INFINITY, hi = 0, x0, span;
	unsigned i, rows = 0;
	char label[64];
	int e, e_lo, e_hi, y;
	FILE *f;

	for (i = 0; i < n; i++) {
		if (!o[i].ok)
			continue;
		rows++;
		if (o[i].result.ns.p10 < lo)
			lo = o[i].result.ns.p10;
		if (o[i].result.ns.p90 > hi)
			hi = o[i].result.ns.p90;
	}
	if (rows == 0)
		return kit_error(-EINVAL, "no measured row to draw");
	if (lo <= 0)
		lo = 0.1;
	e_lo = (int)floor(log10(lo));
	e_hi = (int)ceil(log10(hi));
	if (e_hi <= e_lo)
		e_hi = e_lo + 1;
	x0 = LEFT;
	span = (double)(W - LEFT - RIGHT) / (e_hi - e_lo);
#define XPOS(v) (x0 + (log10(v) - e_lo) * span)

	f = fopen(path, "w");
	if (!f)
		return kit_syscall_error("fopen", "%s", path);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%u\" "
		"font-family=\"DejaVu Sans, sans-serif\" font-size=\"13\">\n", W,
		TOP + rows * (BAR + GAP) + 48);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"12\" y=\"24\" font-size=\"17\" font-weight=\"bold\">What each way "
		"out of the guest costs: median per exit, whiskers p10 to p90 (log scale)</text>\n");
	fprintf(f, "<text x=\"12\" y=\"46\">");
	xml_text(f, env->arch);
	fputs(", ", f);
	xml_text(f, env->kernel);
	fputs("; CPU: ", f);
	xml_text(f, env->cpu);
	fprintf(f, "</text>\n<text x=\"12\" y=\"66\">KVM: ");
	xml_text(f, env->backend);
	fputs("</text>\n", f);
	if (env->emulated)
		fprintf(f, "<text x=\"12\" y=\"86\" fill=\"#b00000\" font-weight=\"bold\">"
			"emulated: not comparable with hardware</text>\n");

	/* The decades, as grid lines. */
	for (e = e_lo; e <= e_hi; e++) {
		double x = x0 + (e - e_lo) * span;

		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%u\" stroke=\"#ccc\"/>\n", x,
			TOP - 8, x, TOP + rows * (BAR + GAP));
		fprintf(f, "<text x=\"%.1f\" y=\"%u\" text-anchor=\"middle\">%s</text>\n", x,
			TOP + rows * (BAR + GAP) + 18, si_ns(pow(10, e), label, sizeof(label)));
	}
	for (i = 0, y = TOP; i < n; i++) {
		const struct stats *s = &o[i].result.ns;
		double xm, xa, xb;

		if (!o[i].ok)
			continue;
		xm = XPOS(s->median > 0 ? s->median : lo);
		xa = XPOS(s->p10 > 0 ? s->p10 : lo);
		xb = XPOS(s->p90 > 0 ? s->p90 : lo);
		fprintf(f, "<g><title>");
		xml_text(f, o[i].row->what);
		fprintf(f, ": median %.1f, p10 %.1f, p90 %.1f, p99 %.1f %s, %u batches of %llu"
			"</title>\n", s->median, s->p10, s->p90, s->p99, unit_of(o[i].row),
			o[i].result.batches, (unsigned long long)o[i].result.n);
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LEFT - 8,
			y + BAR / 2 + 5);
		xml_text(f, o[i].row->name);
		fprintf(f, "</text>\n<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
			"fill=\"%s\"/>\n", x0, y, xm - x0 > 1 ? xm - x0 : 1, BAR,
			o[i].row->words ? "#e8a33d" : "#3d7fe8");
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>\n",
			xa, y + BAR / 2, xb, y + BAR / 2);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>\n",
			xa, y + 6, xa, y + BAR - 6);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>\n",
			xb, y + 6, xb, y + BAR - 6);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s %s</text>\n</g>\n",
			xb + 6 < W - 90 ? xb + 6 : xm - 80, y + BAR / 2 + 4,
			si_ns(s->median, label, sizeof(label)),
			o[i].row->words ? "a word" : "an exit");
		y += BAR + GAP;
	}
	fprintf(f, "<text x=\"12\" y=\"%u\" font-size=\"11\">blue: one exit; orange: the seed's "
		"experiment, one word. Each sample is a batch's time over its count.</text>\n",
		TOP + rows * (BAR + GAP) + 40);
	fprintf(f, "</svg>\n");
#undef XPOS
	if (fclose(f) != 0)
		return kit_syscall_error("fclose", "%s", path);
	return 0;
}
