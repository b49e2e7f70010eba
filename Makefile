# SPDX-License-Identifier: MIT
#
# The kit's one entry point. `make help` lists what it can do.
#
#   make lesson-01              build lesson 01 with your code, run it, grade it
#   make lesson-01 SOLUTION=1   the same with the reference solution
#   make check                  the kit's whole test suite
#
# Build products go to build/<arch>/; nothing generated is committed.

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:

HOST_ARCH := $(shell uname -m | sed -e 's/^aarch64$$/arm64/')
ARCH ?= $(HOST_ARCH)
BUILD := build
# EMU=1: run this ARCH's programs in its emulated machine even on a host of
# the same architecture: on x86_64, a machine whose KVM is kvm_amd (AMD-V),
# for a host without a usable /dev/kvm. (Another ARCH always runs in its
# emulated machine.) Such programs are linked -static, and built apart.
EMU ?=
CROSS := $(if $(filter $(ARCH),$(HOST_ARCH)),,yes)
EMU_SAME := $(if $(CROSS),,$(if $(filter 1 yes true,$(EMU)),yes))
EMULATED := $(or $(CROSS),$(EMU_SAME))
OUT ?= $(BUILD)/$(ARCH)$(if $(EMU_SAME),-emu)

# Only the targets that build host code need a back end for this ARCH.
ifeq ($(wildcard common/arch/$(ARCH).c),)
ifneq ($(filter-out help deps deps-check doctor docs clean fresh-check pi-check,$(or $(MAKECMDGOALS),help)),)
$(error the kit has no host back end for $(ARCH) (common/arch/$(ARCH).c); \
	it has back ends for x86_64 and arm64 (ARCH=x86_64 or ARCH=arm64))
endif
endif
# x86 code on an arm64 machine: the kit cross-builds and emulates arm64 on
# x86_64 only (an x86 guest needs an x86 CPU's KVM: VT-x or AMD-V).
ifeq ($(HOST_ARCH)-$(ARCH),arm64-x86_64)
ifneq ($(filter-out help deps deps-check doctor docs clean,$(or $(MAKECMDGOALS),help)),)
$(error ARCH=x86_64 on this arm64 machine: the x86 lessons' guests are x86 code, \
	for an x86 CPU's KVM (VT-x or AMD-V), and the kit emulates other machines \
	on x86_64 hosts only. Here every lesson is arm64's: make lesson-NN, without ARCH)
endif
endif
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

# ---- the student repository (make release) ----------------------------
# A release has no solutions/: what the lessons build on from earlier
# lessons' reference code, and kvmrun, come as objects compiled in the
# instructors' tree, prebuilt/ARCH/solutions/*.o; each lesson lists its
# student's files in lessons/LESSON/student-files. The targets that need
# the solutions stop with one line.
RELEASE := $(if $(wildcard solutions/.),,yes)
INSTRUCTORS_ONLY := sanitize sanitize-build mistakes mistakes-run mutants samples fuzz \
	fuzz-decoder fuzz-with fuzz-emulator-with decoder-diff bench soak fresh-check pi-check release
ifneq ($(RELEASE),)
ifneq ($(filter $(INSTRUCTORS_ONLY),$(MAKECMDGOALS)),)
$(error make $(firstword $(filter $(INSTRUCTORS_ONLY),$(MAKECMDGOALS))): instructors' tree only \
	(this student repository has no reference solutions))
endif
ifneq ($(filter 1 yes true,$(SOLUTION)),)
$(error SOLUTION=1: this student repository has no reference solution; \
	make lesson-NN runs and grades your code)
endif
endif

# ---- host code --------------------------------------------------------
# Built for ARCH. On an x86_64 host, ARCH=arm64 cross-compiles static
# programs that run inside the emulated arm64 machine (common/emu),
# against an arm64 sysroot of CUnit, Capstone and Jansson fetched into
# EMU_CACHE.
EMU_CACHE := $(BUILD)/emu-$(ARCH)
# The emulated machine's kernel (common/emu/machines/ARCH.sh): arm64 6.12
# (the default; 4 KiB pages), 6.12-16k (16 KiB pages, like a Raspberry Pi
# 5) or 6.1 (no SMCCC filter); x86_64 6.1.
EMU_KERNEL ?=
ifneq ($(EMULATED),)
# How a program of this ARCH runs here: inside its emulated machine.
export KIT_RUNNER := common/emu/run.sh --machine $(ARCH) --cache $(EMU_CACHE) \
	$(if $(EMU_KERNEL),--kernel $(EMU_KERNEL)) --fetch
endif
ifeq ($(CROSS),yes)
CC := aarch64-linux-gnu-gcc
SYSROOT := $(EMU_CACHE)/sysroot
SYSROOT_LIB := $(SYSROOT)/usr/lib/aarch64-linux-gnu
# Fetched once, by the kit's own private apt configuration.
CROSS_DEPS := $(SYSROOT_LIB)/libjansson.a
KIT_CFLAGS_ARCH := -isystem $(SYSROOT)/usr/include
KIT_LDFLAGS_ARCH := -static -L$(SYSROOT_LIB)
# (The sysroot always has Capstone: fetch.sh takes it with Jansson.)
CAPSTONE_LIBS := -lcapstone
else
CC := gcc
# Capstone disassembles the instruction at the program counter in a
# diagnosis; without it the kit still builds and shows raw bytes.
CAPSTONE_LIBS := $(shell pkg-config --libs capstone 2>/dev/null)
ifeq ($(EMU_SAME),yes)
# The emulated machine has no shared libraries.
KIT_LDFLAGS_ARCH := -static
endif
endif
KIT_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	-Wno-missing-field-initializers -Icommon $(KIT_CFLAGS_ARCH) $(EXTRA_CFLAGS)
KIT_LDFLAGS := $(KIT_LDFLAGS_ARCH) $(EXTRA_LDFLAGS)
DISASM := $(if $(CAPSTONE_LIBS),disasm_capstone,disasm_none)

CORE_SRCS := common/error.c common/mem.c common/vm.c common/watchdog.c common/diag.c \
	common/elf.c common/runloop.c \
	common/$(DISASM).c common/arch/$(ARCH).c
CORE_OBJS := $(patsubst %.c,$(OUT)/%.o,$(CORE_SRCS))
LIBKIT := $(OUT)/libkit.a

GRADE_SRCS := common/grade/grade.c common/grade/run.c common/grade/expect.c common/grade/report.c common/grade/results.c common/grade/inject.c \
	common/grade/hidden.c
GRADE_OBJS := $(patsubst %.c,$(OUT)/%.o,$(GRADE_SRCS))
LIBGRADE := $(OUT)/libgrade.a
# Grading programs see every ioctl and the page size first (inject.c).
GRADE_WRAP := -Wl,--wrap=ioctl -Wl,--wrap=sysconf -Wl,--wrap=getpagesize \
	-Wl,--wrap=watchdog_arm -Wl,--wrap=open -Wl,--wrap=clock_gettime
GRADE_LIBS := $(LIBGRADE) $(LIBKIT) -lcunit -ljansson -lm $(CAPSTONE_LIBS)

HEADERS := $(wildcard common/*.h common/arch/*.h common/grade/*.h)

$(OUT)/%.o: %.c $(HEADERS) | $(CROSS_DEPS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KIT_CFLAGS) -c -o $@ $<

# The arm64 sysroot (CUnit, Capstone) for cross builds.
$(EMU_CACHE)/sysroot/usr/lib/aarch64-linux-gnu/libjansson.a:
	@bash common/emu/fetch.sh --machine arm64 $(EMU_CACHE) sysroot

$(LIBKIT): $(CORE_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBGRADE): $(GRADE_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---- guests -----------------------------------------------------------
GUEST_DIR_x86_64 := guest-x86
GUEST_DIR_arm64 := guest-arm64
GUEST_DIR := $(GUEST_DIR_$(ARCH))
include $(GUEST_DIR)/guest.mk

# A guest image inside a host program: $(OUT)/guest/L/foo.blob.o defines
# guest_foo[] and guest_foo_end[] (common/guest_image.h).
$(OUT)/guest/%.blob.o: $(OUT)/guest/%.img common/blob.S
	$(Q)$(CC) -c -o $@ -DBLOB_NAME=guest_$(basename $(notdir $<)) \
		-DBLOB_FILE='"$<"' common/blob.S

# ---- lessons ----------------------------------------------------------
# A lesson is a directory of lessons/ with its text (README.md).
ALL_LESSONS := $(patsubst lessons/%/README.md,%,$(wildcard lessons/[0-9][0-9]-*/README.md))
# The files of a list that belong to ARCH: generic ones and *_ARCH.c.
arch_files = $(filter-out %_x86_64.c %_arm64.c,$(1)) $(filter %_$(ARCH).c,$(1))
# Lessons that exist on ARCH: their solution or their checks have a file
# for it, or there is no architecture-specific file at all.
# The student's files of a lesson, on every architecture: those of its
# reference solution (in a release, the list lessons/LESSON/student-files).
solution_files = $(if $(RELEASE),$(shell cat lessons/$(1)/student-files 2>/dev/null),\
	$(notdir $(wildcard solutions/$(1)/*.c)))
lesson_on_arch = $(if $(or $(filter %_$(ARCH).c,$(call solution_files,$(1))),\
	$(wildcard lessons/$(1)/checks_$(ARCH).c),\
	$(if $(filter %_x86_64.c %_arm64.c,$(call solution_files,$(1))),,yes)),$(1))
LESSONS := $(foreach l,$(ALL_LESSONS),$(call lesson_on_arch,$(l)))

# One way to compile a C file of a lesson, whatever its variant:
# $(call compile_rule,LESSON,OBJECT-PATTERN,SOURCE-PATTERN,EXTRA-FLAGS).
define compile_rule
$(2): $(3) $$($(1)_HEADERS) | $(CROSS_DEPS)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(KIT_CFLAGS) $(4) $$($(1)_CFLAGS) -c -o $$@ $$<
endef

# Mutants: MUTANTS="LESSON/N ..." (set by common/scripts/mistakes.sh) adds
# a variant per mutant, $(OUT)/mutant/N/LESSON/grade, whose student files
# come from $(OUT)/mutant/N/LESSON/src/ (the solution with one mistake
# made). A mistaken line may well warn, so mutants build without -Werror.
# An index past the end of an array traps (SIGILL, a CRASH): reading one
# element too far may otherwise go unseen, by luck of what lies beyond.
MUTANTS ?=
mutants_of = $(filter $(1)/%,$(MUTANTS))
MUTANT_CFLAGS := -Wno-error -w -fsanitize=bounds-strict -fsanitize-undefined-trap-on-error

# $(call lesson_rules,LESSON) defines, for each variant (student code from
# lessons/, reference code from solutions/, and any mutants):
#   $(OUT)/<variant>/LESSON/lesson   the lesson's program
#   $(OUT)/<variant>/LESSON/grade    its graded checks
# The given files (main.c, the checks, the rest of lessons/LESSON/) are
# compiled once into $(OUT)/given/LESSON/, what the lesson builds on from
# earlier lessons once into $(OUT)/extra/LESSON/; every variant links them.
define lesson_rules
$(1)_STUDENT_FILES := $$(call arch_files,$$(call solution_files,$(1)))
$(1)_GUESTS := $$(patsubst %,$(OUT)/guest/$(1)/%.blob.o,$$(basename $$(notdir \
	$$(wildcard $(GUEST_DIR)/$(1)/*.S $(GUEST_DIR)/$(1)/*.c))))
$(1)_CHECKS := $$(call arch_files,$$(filter checks%.c,$$(notdir $$(wildcard lessons/$(1)/*.c))))
# Given files: the rest of the lesson's C files.
$(1)_GIVEN := $$(call arch_files,$$(filter-out main.c checks%.c $$($(1)_STUDENT_FILES),\
	$$(notdir $$(wildcard lessons/$(1)/*.c))))
# What the lesson builds on from earlier lessons (lessons/LESSON/builds-on
# lists files; the reference versions are used, so a lesson can be done
# before the one it builds on).
$(1)_EXTRA := $$(call arch_files,$$(shell cat lessons/$(1)/builds-on 2>/dev/null))
# An earlier lesson's header is named with its lesson: "02-c-guests/c_guests.h".
$(1)_CFLAGS := -Ilessons/$(1) -Ilessons -I$(GUEST_DIR)/$(1) -I$(GUEST_DIR)/lib -Icommon/abi
$(1)_HEADERS := $$(wildcard lessons/*/*.h $(GUEST_DIR)/$(1)/*.h $(GUEST_DIR)/lib/*.h \
	common/abi/*.h hidden/$(1)/*.h) $(HEADERS)
$(1)_GIVEN_OBJS := $$(addprefix $(OUT)/given/$(1)/,$$($(1)_GIVEN:.c=.o)) \
	$$(addprefix $(OUT)/extra/$(1)/,$$($(1)_EXTRA:.c=.o))
# The instructor's hidden checks, where hidden/LESSON/ exists (it is not in
# the student release): linked into every variant's grade program, run
# only with --hidden (common/grade/grade.h, hidden/README.md).
$(1)_HIDDEN := $$(call arch_files,$$(notdir $$(wildcard hidden/$(1)/*.c)))
$(1)_HIDDEN_OBJS := $$(addprefix $(OUT)/hidden/$(1)/,$$($(1)_HIDDEN:.c=.o))

$$(eval $$(call compile_rule,$(1),$(OUT)/given/$(1)/%.o,lessons/$(1)/%.c))
# (An earlier lesson's file sees its own lesson's headers first.)
$$(eval $$(call compile_rule,$(1),$(OUT)/extra/$(1)/%.o,%.c,-Ilessons/$$$$(word 2,$$$$(subst /, ,$$$$*))))
ifneq ($(RELEASE),)
# (In a release: an earlier lesson's reference file as its prebuilt object.)
$(OUT)/extra/$(1)/solutions/%.o: prebuilt/$(ARCH)/solutions/%.o
	@mkdir -p $$(@D)
	$$(Q)cp $$< $$@
endif
$$(eval $$(call compile_rule,$(1),$(OUT)/student/$(1)/%.o,lessons/$(1)/%.c))
$$(eval $$(call compile_rule,$(1),$(OUT)/solution/$(1)/%.o,solutions/$(1)/%.c))
$$(eval $$(call compile_rule,$(1),$(OUT)/hidden/$(1)/%.o,hidden/$(1)/%.c,-Ihidden/$(1)))
$(foreach n,$(notdir $(call mutants_of,$(1))),$$(eval $$(call compile_rule,$(1),\
	$(OUT)/mutant/$(n)/$(1)/%.o,$(OUT)/mutant/$(n)/$(1)/src/%.c,$(MUTANT_CFLAGS))))

$(foreach v,student solution $(addprefix mutant/,$(notdir $(call mutants_of,$(1)))),
$(OUT)/$(v)/$(1)/lesson: $(OUT)/given/$(1)/main.o $$(addprefix $(OUT)/$(v)/$(1)/,\
		$$($(1)_STUDENT_FILES:.c=.o)) $$($(1)_GIVEN_OBJS) $$($(1)_GUESTS) $(LIBKIT)
	$$(Q)$$(CC) $$(KIT_LDFLAGS) -o $$@ $$^ -ljansson -lm $(CAPSTONE_LIBS)
$(OUT)/$(v)/$(1)/grade: $$(addprefix $(OUT)/given/$(1)/,$$($(1)_CHECKS:.c=.o)) \
		$$($(1)_HIDDEN_OBJS) \
		$$(addprefix $(OUT)/$(v)/$(1)/,$$($(1)_STUDENT_FILES:.c=.o)) $$($(1)_GIVEN_OBJS) \
		$$($(1)_GUESTS) $(LIBGRADE) $(LIBKIT)
	$$(Q)$$(CC) $$(KIT_LDFLAGS) $(GRADE_WRAP) -o $$@ \
		$$(filter %.o,$$^) $(GRADE_LIBS)
)
LESSON_PROGRAMS += $(foreach v,student $(if $(RELEASE),,solution),$(OUT)/$(v)/$(1)/lesson $(OUT)/$(v)/$(1)/grade)
# The images themselves too (kvmrun runs them; tests name them).
GUEST_IMAGES += $$($(1)_GUESTS:.blob.o=.img)
endef
$(foreach l,$(LESSONS),$(eval $(call lesson_rules,$(l))))

# ---- kvmrun: any guest, with the reference host ------------------------
# Built from the reference solutions of lessons 01 (real mode), 02 (ELF,
# long mode), 03 (hypercalls), 04 (the MMIO bus and its devices) and, on
# arm64, 05 (the loads and stores KVM cannot decode), and the given code
# around them; so it lives with them, in solutions/kvmrun/.
KVMRUN_OBJS := $(OUT)/solution/kvmrun/kvmrun.o $(OUT)/solution/kvmrun/options.o \
	$(addprefix $(OUT)/solution/01-first-run/,first_run.o arch_$(ARCH).o) \
	$(addprefix $(OUT)/solution/02-c-guests/,load.o $(filter longmode_$(ARCH).o entry_$(ARCH).o,\
		$(02-c-guests_STUDENT_FILES:.c=.o))) $(OUT)/given/02-c-guests/boot_$(ARCH).o \
	$(addprefix $(OUT)/solution/03-hypercalls/,hypercall.o regs_$(ARCH).o) \
	$(addprefix $(OUT)/given/03-hypercalls/,host.o host_$(ARCH).o) \
	$(addprefix $(OUT)/solution/04-mmio/,bus.o uart.o rom.o fastpath.o) \
	$(addprefix $(OUT)/given/04-mmio/,counter.o machine.o) \
	$(if $(filter arm64,$(ARCH)),$(OUT)/solution/05-writeback/decode.o \
		$(OUT)/solution/05-writeback/emulate_arm64.o $(OUT)/given/05-writeback/text.o)

KVMRUN_CFLAGS := -Ilessons -Icommon/abi -I$(GUEST_DIR)/lib
ifneq ($(RELEASE),)
# In a release, kvmrun's reference objects are prebuilt (hostile, a
# self-test of the instructors' tree, is not there).
$(OUT)/solution/%.o: prebuilt/$(ARCH)/solutions/%.o
	@mkdir -p $(@D)
	$(Q)cp $< $@
else
$(OUT)/solution/kvmrun/kvmrun.o: solutions/kvmrun/kvmrun.c solutions/kvmrun/options.h $(HEADERS) \
		$(wildcard lessons/*/*.h) | $(CROSS_DEPS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KIT_CFLAGS) $(KVMRUN_CFLAGS) -c -o $@ $<
$(OUT)/solution/kvmrun/options.o: solutions/kvmrun/options.c solutions/kvmrun/options.h $(HEADERS) \
		| $(CROSS_DEPS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KIT_CFLAGS) $(KVMRUN_CFLAGS) -c -o $@ $<

# ---- hostile: lessons 04-05 against guests that probe their edges -------
# The same reference code as kvmrun, with its own guests built in (the top
# of the address space, a device's edges; on arm64 an instruction rewritten
# before its decode, a refused one retried forever); `make sanitize` runs it.
HOSTILE_GUESTS := $(addprefix $(OUT)/guest/04-mmio/,top.blob.o edges.blob.o) \
	$(if $(filter arm64,$(ARCH)),$(addprefix $(OUT)/guest/05-writeback/,toctou.blob.o \
		refused_loop.blob.o))
$(OUT)/solution/hostile/hostile.o: solutions/hostile/hostile.c $(HEADERS) $(wildcard lessons/*/*.h) \
		$(wildcard $(GUEST_DIR)/04-mmio/hostile*.h guest-x86/04-mmio/hostile_abi.h) | $(CROSS_DEPS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KIT_CFLAGS) $(KVMRUN_CFLAGS) -I$(GUEST_DIR)/04-mmio -c -o $@ $<
$(OUT)/hostile: $(OUT)/solution/hostile/hostile.o $(filter-out $(OUT)/solution/kvmrun/%,\
		$(KVMRUN_OBJS)) $(HOSTILE_GUESTS) $(LIBKIT)
	$(Q)$(CC) $(KIT_LDFLAGS) -o $@ $^ -ljansson $(CAPSTONE_LIBS)
endif

$(OUT)/kvmrun: $(KVMRUN_OBJS) $(LIBKIT)
	$(Q)$(CC) $(KIT_LDFLAGS) -o $@ $^ -ljansson $(CAPSTONE_LIBS)

# ---- a64dec and decoder-diff: lesson 05's A64 decoder as tools ----------
# Built from the reference decoder; pure code, so they build and run on
# any host. a64dec prints what the decoder makes of instruction words (one
# JSON object per line); decoder_diff compares the decoder with Capstone.
A64DEC_SRCS := solutions/05-writeback/decode.c lessons/05-writeback/text.c
A64DEC_CFLAGS := -Ilessons -Ilessons/05-writeback
ifneq ($(RELEASE),)
# In a release, from the prebuilt objects of a64dec and the decoder.
$(OUT)/a64dec: $(OUT)/solution/a64dec/a64dec.o $(OUT)/solution/05-writeback/decode.o \
		$(OUT)/given/05-writeback/text.o
	$(Q)$(CC) $(KIT_LDFLAGS) -o $@ $^ -ljansson
A64DEC := $(OUT)/a64dec
else
$(OUT)/a64dec: solutions/a64dec/a64dec.c $(A64DEC_SRCS) lessons/05-writeback/a64.h | $(CROSS_DEPS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KIT_CFLAGS) $(A64DEC_CFLAGS) $(KIT_LDFLAGS) -o $@ $(filter %.c,$^) -ljansson
$(OUT)/decoder_diff: solutions/a64dec/decoder_diff.c $(A64DEC_SRCS) lessons/05-writeback/oracle.c \
		lessons/05-writeback/a64.h lessons/05-writeback/oracle.h | $(CROSS_DEPS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KIT_CFLAGS) $(A64DEC_CFLAGS) $(KIT_LDFLAGS) -o $@ $(filter %.c,$^) -lcapstone
# (decoder_diff is a tool of this host: the decoder is the same code on any.)
A64DEC := $(OUT)/a64dec $(if $(EMULATED),,$(OUT)/decoder_diff)
# The object make release ships for a64dec (with the decoder's).
$(OUT)/solution/a64dec/a64dec.o: solutions/a64dec/a64dec.c lessons/05-writeback/a64.h $(HEADERS) \
		| $(CROSS_DEPS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KIT_CFLAGS) $(A64DEC_CFLAGS) -c -o $@ $<
endif

# ---- fuzz targets (fuzz/): libFuzzer, ASan and UBSan (clang-14) --------
# One target per place where a guest or a file talks to the host; each
# checks what it fuzzes against a model of its own and stops at the first
# difference. make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS="elf bus"] fuzzes
# each for N seconds (default 60), or FUZZ_RUNS=N executions (the long
# campaign: FUZZ_RUNS=10000000), from its committed corpus
# (fuzz/corpus/NAME; what it finds new goes to build/fuzz/NAME-corpus),
# with its dictionary (fuzz/NAME.dict) if it has one; make check replays
# every corpus. fuzz/README.md says what each target checks.
FUZZ_CC := clang-14
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_ALL := elf hypercall bus decoder emulator kvmrun
# Per target: its sources, include flags and longest input.
FUZZ_SRCS_decoder := fuzz/decoder.c $(A64DEC_SRCS)
FUZZ_CFLAGS_decoder := $(A64DEC_CFLAGS)
FUZZ_LEN_decoder := 64
# The emulator's target runs the reference wb_emulate() on a model vCPU.
# It needs arm64's KVM structures; on another host, those four of
# arm64's <asm/...> headers (from the arm64 cross headers) come first.
FUZZ_ARM64_ASM := kvm.h ptrace.h sve_context.h hwcap.h
FUZZ_UAPI := $(if $(filter arm64,$(HOST_ARCH)),,$(BUILD)/fuzz/arm64-uapi)
FUZZ_SRCS_emulator := fuzz/emulator.c solutions/05-writeback/emulate_arm64.c \
	$(A64DEC_SRCS) solutions/04-mmio/bus.c common/error.c
FUZZ_CFLAGS_emulator := $(if $(FUZZ_UAPI),-I$(FUZZ_UAPI)) -Icommon/abi -Ilessons/04-mmio \
	$(A64DEC_CFLAGS) -Wl,--wrap=ioctl
FUZZ_DEPS_emulator := $(if $(FUZZ_UAPI),$(FUZZ_UAPI)/asm/kvm.h)
FUZZ_LEN_emulator := 160
# The core's ELF loader, lesson 03's dispatcher, lesson 04's bus, and
# kvmrun's command line and image handling (fuzz/README.md).
FUZZ_SRCS_elf := fuzz/elf.c common/elf.c common/mem.c common/error.c
FUZZ_LEN_elf := 8192
FUZZ_SRCS_hypercall := fuzz/hypercall.c solutions/03-hypercalls/hypercall.c common/mem.c \
	common/error.c
FUZZ_CFLAGS_hypercall := -Icommon/abi -Ilessons/03-hypercalls
FUZZ_LEN_hypercall := 512
FUZZ_SRCS_bus := fuzz/bus.c solutions/04-mmio/bus.c common/error.c
FUZZ_CFLAGS_bus := -Icommon/abi -Ilessons/04-mmio
FUZZ_LEN_bus := 512
FUZZ_SRCS_kvmrun := fuzz/kvmrun.c solutions/kvmrun/options.c common/elf.c common/mem.c \
	common/error.c
FUZZ_CFLAGS_kvmrun := -I$(GUEST_DIR)/lib -Isolutions/kvmrun
FUZZ_LEN_kvmrun := 8192
$(BUILD)/fuzz/arm64-uapi/asm/kvm.h:
	@mkdir -p $(@D)
	$(Q)for h in $(FUZZ_ARM64_ASM); do ln -sf /usr/aarch64-linux-gnu/include/asm/$$h $(@D)/$$h; done

fuzz_cc = $(FUZZ_CC) $(FUZZ_FLAGS) -std=c11 -D_GNU_SOURCE -Icommon -Ilessons $(FUZZ_CFLAGS_$(1)) \
	-o $(2) $(3)
define fuzz_rule
$(BUILD)/fuzz/$(1): $$(FUZZ_SRCS_$(1)) $$(FUZZ_DEPS_$(1)) $(HEADERS) $(wildcard lessons/*/*.h common/abi/*.h)
	@mkdir -p $$(@D)
	$$(Q)$$(call fuzz_cc,$(1),$$@,$$(filter %.c,$$(FUZZ_SRCS_$(1))))
endef
# (Not in a release: a source named as a prerequisite here would take
# precedence over the prebuilt object of the same reference file.)
$(if $(RELEASE),,$(foreach t,$(FUZZ_ALL),$(eval $(call fuzz_rule,$(t)))))
FUZZ_PROGRAMS := $(addprefix $(BUILD)/fuzz/,$(FUZZ_ALL))

# A target built around another version of one of its sources (make
# check builds them around mistaken ones, to show that each corpus
# catches them): make fuzz-with FUZZ_TARGET=NAME SRC=FILE WITH=FILE
# FUZZ_OUT=PROGRAM. A student can run their own lesson 05 emulator
# through its target (lesson 05, section 6):
# make fuzz-emulator-with EMULATE_C=FILE FUZZ_OUT=PROGRAM
fuzz-with: $(FUZZ_DEPS_$(FUZZ_TARGET))
	@mkdir -p $(dir $(FUZZ_OUT))
	$(Q)$(call fuzz_cc,$(FUZZ_TARGET),$(FUZZ_OUT),$(WITH) \
		$(filter-out $(SRC),$(filter %.c,$(FUZZ_SRCS_$(FUZZ_TARGET)))))
fuzz-emulator-with:
	@$(MAKE) -s --no-print-directory fuzz-with FUZZ_TARGET=emulator \
		SRC=solutions/05-writeback/emulate_arm64.c WITH="$(EMULATE_C)" FUZZ_OUT="$(FUZZ_OUT)"

fuzz: deps-check
	@$(MAKE) -s --no-print-directory $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))
	@FUZZ_RUNS="$(FUZZ_RUNS)" bash fuzz/run.sh "$(BUILD)/fuzz" "$(or $(FUZZ_SECONDS),60)" \
		$(foreach t,$(FUZZ_TARGETS),$(t):$(FUZZ_LEN_$(t)))
# Lesson 05's two, as its text says.
fuzz-decoder:
	@$(MAKE) --no-print-directory fuzz FUZZ_TARGETS="decoder emulator"

# make bench: lesson 06's benchmark with the reference harness, on this
# computer's KVM and, from an x86 computer, in the emulated arm64 machine
# too (common/scripts/bench.sh): build/bench/ARCH/results.json and
# exits.svg, the table, and the kit's ratios.
BENCH_ARCHES := $(HOST_ARCH) $(if $(filter x86_64,$(HOST_ARCH)),arm64)
bench: deps-check
	@bash common/scripts/bench.sh "$(BUILD)" $(BENCH_ARCHES)

# make soak: the core's VM lifecycle and run loop many times over (10,000
# VMs made, run and destroyed in one process; a million exits), and 100
# kvmrun at once on hostile guests (common/scripts/soak.sh): no fd,
# mapping, memory or process may be left behind.
soak: deps-check
	@$(MAKE) -s --no-print-directory $(OUT)/tests/soak $(OUT)/kvmrun $(GUEST_IMAGES)
	@bash common/scripts/soak.sh "$(BUILD)" "$(OUT)"

# make decoder-diff [WORDS=N]: the edges of every field, and N random
# words (default 1000000), against Capstone, on this host.
decoder-diff: deps-check
	@$(MAKE) -s --no-print-directory ARCH=$(HOST_ARCH) $(BUILD)/$(HOST_ARCH)/decoder_diff
	@$(BUILD)/$(HOST_ARCH)/decoder_diff $(or $(WORDS),1000000)

# make run IMAGE=path [ARGS="--trace"]
# (With ARCH=arm64 on an x86_64 host: in the emulated machine, the image
# put in it as /bin/image.)
run: deps-check
	@$(MAKE) -s --no-print-directory $(OUT)/kvmrun
	@if [ -z "$(IMAGE)" ]; then echo "usage: make run IMAGE=guest.elf|guest.bin [ARGS=--trace]"; exit 64; fi
	$(if $(EMULATED),$(KIT_RUNNER) --file $(IMAGE):/bin/image -- $(OUT)/kvmrun $(ARGS) /bin/image,\
		$(OUT)/kvmrun $(ARGS) $(IMAGE))

# ---- the kit's own tests ----------------------------------------------
TEST_PROGRAMS := $(OUT)/tests/core-tests $(OUT)/tests/harness-demo $(OUT)/tests/soak

$(OUT)/tests/%: $(OUT)/common/tests/%.o $(LIBGRADE) $(LIBKIT)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KIT_LDFLAGS) $(GRADE_WRAP) -o $@ $< $(GRADE_LIBS)

# ---- compile_commands.json, for editors -------------------------------
# make compdb: one entry per C file, compiled as the build compiles it:
# the core, the grader, the kit's tests, kvmrun, each lesson's student
# variant (its files in lessons/, never the solutions/, so that an
# editor's "go to definition" lands in the student's own file), and the
# guests with their runtime.
compdb_lines = $(foreach f,$(1),printf '%s\t%s\n' '$(f)' '$(2)';)
compdb:
	@{ $(call compdb_lines,$(CORE_SRCS) $(GRADE_SRCS) $(wildcard common/tests/*.c),$(CC) $(KIT_CFLAGS)) \
	   $(if $(RELEASE),,$(call compdb_lines,solutions/kvmrun/kvmrun.c,$(CC) $(KIT_CFLAGS) $(KVMRUN_CFLAGS)) \
	   $(call compdb_lines,solutions/a64dec/a64dec.c solutions/a64dec/decoder_diff.c,\
		$(CC) $(KIT_CFLAGS) $(A64DEC_CFLAGS))) \
	   $(foreach l,$(LESSONS),$(call compdb_lines,$(addprefix lessons/$(l)/,main.c \
		$($(l)_STUDENT_FILES) $($(l)_GIVEN) $($(l)_CHECKS)),$(CC) $(KIT_CFLAGS) $($(l)_CFLAGS))) \
	   $(call compdb_lines,$(wildcard $(GUEST_DIR)/lib/*.c) $(if $(filter arm64,$(ARCH)),guest-x86/lib/printf.c),$(GUEST_COMPILE)) \
	   $(foreach l,$(LESSONS),$(call compdb_lines,$(wildcard $(GUEST_DIR)/$(l)/*.c),$(GUEST_COMPILE) -I$(GUEST_DIR)/$(l))) \
	 } | jq -R -n --arg dir "$(CURDIR)" \
		'[inputs | split("\t") | {directory: $$dir, file: .[0], command: "\(.[1]) -c \(.[0])"}]' \
		> compile_commands.json
	@echo "compdb: compile_commands.json, $$(jq length compile_commands.json) files ($(ARCH))"

# ---- targets ----------------------------------------------------------
.PHONY: help all deps deps-check doctor check grade docs clean mistakes mutants samples bench decoder-diff fuzz fuzz-decoder fuzz-with fuzz-emulator-with soak run sanitize fresh-check pi-check compdb \
	sanitize-build print-lessons print-core-sources print-student-files print-prebuilt mistakes-run \
	release grade-build gradescope

help:
	@echo "The KVM hypervisor kit ($(ARCH))$(if $(RELEASE),: the student repository)"
	@echo
	@echo "  make lesson-NN        build lesson NN with your code, run it, grade it"
ifeq ($(RELEASE),)
	@echo "  make lesson-NN SOLUTION=1    ... with the reference solution"
endif
	@echo "  make lesson-NN EMU=1  ... in the emulated machine (no /dev/kvm here? x86: AMD-V)"
	@echo "  make grade            grade every lesson: score table + build/results.json"
ifeq ($(RELEASE),)
	@echo "  make grade HIDDEN=1   ... with the instructor's hidden checks (hidden/README.md)"
	@echo "  make gradescope       build/gradescope/autograder.zip, the autograder for Gradescope"
	@echo "                        (GRADE_ARCHES=\"x86_64 arm64\"; common/gradescope/README.md)"
	@echo "  make check            the kit's whole test suite"
else
	@echo "  make check            the same as make grade"
endif
	@echo "  make docs             the lessons as a small website in build/docs/"
ifeq ($(RELEASE),)
	@echo "  make samples          are the sample outputs in the lesson texts what runs print?"
endif
	@echo "  make compdb           compile_commands.json for your editor (clangd: go to definition)"
	@echo "  make run IMAGE=FILE   run any guest image with the kit's reference host"
	@echo "                        (ARGS=\"--trace\" shows every exit; kvmrun --help)"
ifeq ($(RELEASE),)
	@echo "  make sanitize         the solutions' checks built with ASan and UBSan"
	@echo "  make mutants          how many mutants of the solutions the checks kill"
	@echo "  make decoder-diff     lesson 05's A64 decoder against Capstone, word by word"
	@echo "  make bench            lesson 06's benchmark: the cost of each exit, a table, a chart"
	@echo "  make fuzz             fuzz every place a guest or a file talks to the host"
	@echo "                        (FUZZ_SECONDS=N each, default 60; FUZZ_TARGETS=\"elf bus\")"
	@echo "  make fuzz-decoder     ... only lesson 05's decoder and emulator"
	@echo "  make soak             10,000 VMs, a million exits, 100 hostile guests at once: nothing left behind"
endif
	@echo "  make deps             install the Debian/Ubuntu packages the kit needs"
	@echo "  make doctor           what this machine offers (KVM, packages, page size)"
ifeq ($(RELEASE),)
	@echo "  make fresh-check      make deps + make check in a brand-new Debian 12 root (root only)"
	@echo "  make pi-check [PI=5|4]  the README's Raspberry Pi commands in an emulated Pi (root only; hours)"
	@echo "  make release DEST=DIR [HINTS=full|sections|none]   the student repository"
endif
	@echo
	@echo "Lessons: $(LESSONS)"

deps:
	@bash common/scripts/deps.sh install

# Quick, and silent when everything is there; installs or explains if not.
deps-check:
	@bash common/scripts/deps.sh ensure

# kvmrun and hostile need the reference code of lessons 01-04 on this architecture.
KVMRUN := $(if $(filter 04-mmio,$(LESSONS)),$(OUT)/kvmrun $(if $(RELEASE),,$(OUT)/hostile))

all: $(LIBKIT) $(LIBGRADE) $(LESSON_PROGRAMS) $(TEST_PROGRAMS) $(KVMRUN) $(GUEST_IMAGES) $(A64DEC)

# Reports what is missing (by package name) rather than installing it.
doctor:
	@bash common/scripts/doctor.sh

# The README's two commands in a brand-new Debian 12 root (debootstrap,
# chroot): proves that `make deps` installs everything the kit needs.
fresh-check: deps-check
	@bash common/scripts/fresh-check.sh "$(BUILD)"

# The README's "On a Raspberry Pi" commands, typed by an ordinary user of a
# whole Debian 12 arm64 system in an emulated Pi 5 (16 KiB pages) or Pi 4.
PI ?= 5
pi-check: deps-check
	@bash common/scripts/pi-check.sh "$(BUILD)" "$(PI)"

# make lesson-01 [SOLUTION=1] [TEST=name]
VARIANT := $(if $(filter 1 yes true,$(SOLUTION)),solution,student)
lesson-%: deps-check
	@lesson=$$(cd lessons && ls -d $*-* 2>/dev/null | head -n1); \
	if [ -z "$$lesson" ]; then echo "no lesson $* (lessons: $(ALL_LESSONS))"; exit 2; fi; \
	case " $(LESSONS) " in *" $$lesson "*) ;; *) \
		echo "lesson $$lesson has no $(ARCH) version yet (on $(ARCH): $(LESSONS))"; \
		exit 2 ;; esac; \
	$(MAKE) -s --no-print-directory $(OUT)/$(VARIANT)/$$lesson/lesson $(OUT)/$(VARIANT)/$$lesson/grade && \
	ARCH=$(ARCH) STUDENT_FILES="$$($(MAKE) -s --no-print-directory print-student-files \
		LESSON=$$lesson)" bash common/scripts/lesson.sh "$(OUT)/$(VARIANT)/$$lesson" "$$lesson" \
		"$(VARIANT)" "$(TEST)"

# make grade HIDDEN=1: the instructor's hidden checks too (hidden/README.md).
grade: deps-check
	@$(MAKE) -s --no-print-directory $(LIBKIT) $(LIBGRADE)
	@HIDDEN="$(HIDDEN)" ARCH=$(ARCH) bash common/scripts/grade-all.sh "$(OUT)" "$(BUILD)/results.json" \
		$(LESSONS)

# What `make grade` builds, built ahead: the libraries, and each lesson's
# grade program on the starter code and, in the instructors' tree, on the
# reference (whose checks list a lesson that does not build; a release
# has them listed in prebuilt/ARCH/not-built/). The autograder's setup.sh
# runs it.
grade-build: $(LIBKIT) $(LIBGRADE) $(foreach l,$(LESSONS),$(OUT)/student/$(l)/grade \
	$(if $(RELEASE),,$(OUT)/solution/$(l)/grade))

# make gradescope [GRADE_ARCHES="x86_64 arm64"]: build/gradescope/autograder.zip,
# Gradescope's autograder for every lesson of those architectures
# (common/gradescope/README.md).
# (GRADESCOPE_OUT: another directory for it; make check's stage 18 uses one.)
GRADE_ARCHES ?= x86_64
GRADESCOPE_OUT ?= $(BUILD)/gradescope
gradescope: deps-check
	@bash common/scripts/gradescope.sh "$(GRADESCOPE_OUT)" "$(GRADE_ARCHES)"

# The reference solutions' checks (the hostile guests' too) and kvmrun,
# built with AddressSanitizer and UndefinedBehaviorSanitizer: any memory
# error or undefined behaviour in host code aborts the test (a CRASH).
SANITIZE_OUT := $(BUILD)/$(ARCH)-sanitize
SANITIZE_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
sanitize-build:
	@$(MAKE) -s --no-print-directory OUT=$(SANITIZE_OUT) EXTRA_CFLAGS="$(SANITIZE_FLAGS)" \
		EXTRA_LDFLAGS="$(SANITIZE_FLAGS)" \
		$(foreach l,$(LESSONS),$(SANITIZE_OUT)/solution/$(l)/grade) $(SANITIZE_OUT)/kvmrun $(SANITIZE_OUT)/hostile \
		$(subst $(OUT)/,$(SANITIZE_OUT)/,$(GUEST_IMAGES)) \
		$(SANITIZE_OUT)/tests/core-tests
sanitize: deps-check sanitize-build
	@bash common/scripts/sanitize.sh "$(SANITIZE_OUT)" "$(BUILD)" $(LESSONS)

# On an x86_64 host the arm64 lessons are checked too, in the emulator,
# and the x86 lessons once more in the emulated x86_64 machine with AMD-V.
EMU_ARCH := $(if $(filter x86_64,$(HOST_ARCH)),arm64)
AMD_EMU := $(if $(filter x86_64,$(HOST_ARCH)),yes)

ifneq ($(RELEASE),)
# In the student repository, make check grades the student's code (as make
# grade); the kit's proof of its own checks is the instructors'.
check: grade
else
check: deps-check
	@$(MAKE) --no-print-directory all $(FUZZ_PROGRAMS)
	@$(MAKE) --no-print-directory sanitize-build
	$(if $(EMU_ARCH),@$(MAKE) --no-print-directory ARCH=$(EMU_ARCH) all)
	$(if $(AMD_EMU),@$(MAKE) --no-print-directory EMU=1 all)
	@FUZZ_ALL="$(FUZZ_ALL)" EMU_ARCH="$(EMU_ARCH)" AMD_EMU="$(AMD_EMU)" EMU_LESSONS="$(if $(EMU_ARCH),$(shell $(MAKE) -s \
		--no-print-directory ARCH=$(EMU_ARCH) print-lessons))" \
		bash common/scripts/check.sh "$(OUT)" "$(BUILD)" "$(ARCH)" $(LESSONS)
endif

# make release DEST=DIR [HINTS=full|sections|none]: the student repository
# (common/scripts/release.sh): the lessons without their solutions, the
# reference code the lessons build on as prebuilt objects, and a grading
# workflow. make check builds one in build/release and grades it.
release: deps-check
	@bash common/scripts/release.sh "$(DEST)" "$(or $(HINTS),full)"

# The reference files a release ships as objects on ARCH: those the
# lessons build on (lessons/*/builds-on), and kvmrun's and a64dec's.
print-prebuilt:
	@echo $(sort $(foreach l,$(LESSONS),$(filter solutions/%,$($(l)_EXTRA))) \
		$(patsubst $(OUT)/solution/%.o,solutions/%.c,$(filter $(OUT)/solution/%,$(KVMRUN_OBJS))) \
		$(if $(filter 05-writeback,$(LESSONS)),solutions/a64dec/a64dec.c solutions/05-writeback/decode.c))

# Every plausible mistake in solutions/*/mistakes.txt must be caught by
# the checks it names (make check runs this too).

mistakes: deps-check
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory mistakes-run

# (And each TODO alone, as the starter has it in a finished solution: the
# program and the checks must name it; common/scripts/todo-alone.sh.)
mistakes-run:
	@mkdir -p $(BUILD)/check
	@set -o pipefail; status=0; \
	bash common/scripts/mistakes.sh "$(OUT)" "$(ARCH)" "$(or $(SUMMARY),/dev/null)" $(LESSONS) || status=1; \
	bash common/scripts/todo-alone.sh "$(OUT)" "$(ARCH)" "$(or $(SUMMARY),/dev/null)" $(LESSONS) | \
		grep -v '^  PASS' || status=1; \
	exit $$status

# Measure the checks with mutants of the solutions (common/scripts/mutants.sh):
# per lesson, how many the checks kill. LESSON=NN-name for one lesson.
# The sample outputs in the lesson texts, against real runs (make check
# runs this too).
samples: deps-check
	@$(MAKE) --no-print-directory all
	@bash common/scripts/samples.sh "$(BUILD)/samples" $(LESSONS)

mutants: deps-check
	@$(MAKE) --no-print-directory all
	@bash common/scripts/mutants.sh "$(OUT)" "$(ARCH)" $(or $(LESSON),$(LESSONS))

docs: deps-check
	@bash docs/build.sh "$(BUILD)/docs" $(LESSONS)

# The lessons that exist on ARCH, and the core's sources (for scripts).
print-lessons:
	@echo $(LESSONS)
print-core-sources:
	@echo $(CORE_SRCS) $(GRADE_SRCS)
# The files of lesson LESSON that are the student's, on ARCH.
print-student-files:
	@echo $(addprefix lessons/$(LESSON)/,$($(LESSON)_STUDENT_FILES))

clean:
	rm -rf $(BUILD)/x86_64 $(BUILD)/arm64 $(BUILD)/*-emu $(BUILD)/*-sanitize $(BUILD)/check \
		$(BUILD)/grade $(BUILD)/docs $(BUILD)/results.json $(BUILD)/gradescope
	@echo "(kept $(BUILD)/emu-*, the emulated machines' downloads, $(BUILD)/fresh, fresh-check's bare Debian root, and $(BUILD)/pi, pi-check's)"
