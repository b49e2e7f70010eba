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
OUT := $(BUILD)/$(ARCH)

# Only the targets that build host code need a back end for this ARCH.
ifeq ($(wildcard common/arch/$(ARCH).c),)
ifneq ($(filter-out help deps deps-check doctor docs clean,$(or $(MAKECMDGOALS),help)),)
$(error the kit has no host back end for $(ARCH) yet (common/arch/$(ARCH).c); \
	today it runs on x86_64 hosts)
endif
endif
V ?= 0
Q := $(if $(filter 1,$(V)),,@)

# ---- host code --------------------------------------------------------
CC := gcc
KIT_CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror \
	-Wno-missing-field-initializers -Icommon $(EXTRA_CFLAGS)
KIT_LDFLAGS := $(EXTRA_LDFLAGS)

# Capstone disassembles the instruction at the program counter in a
# diagnosis; without it the kit still builds and shows raw bytes.
CAPSTONE_LIBS := $(shell pkg-config --libs capstone 2>/dev/null)
DISASM := $(if $(CAPSTONE_LIBS),disasm_capstone,disasm_none)

CORE_SRCS := common/error.c common/vm.c common/watchdog.c common/diag.c \
	common/elf.c common/runloop.c \
	common/$(DISASM).c common/arch/$(ARCH).c
CORE_OBJS := $(patsubst %.c,$(OUT)/%.o,$(CORE_SRCS))
LIBKIT := $(OUT)/libkit.a

GRADE_SRCS := common/grade/grade.c common/grade/inject.c
GRADE_OBJS := $(patsubst %.c,$(OUT)/%.o,$(GRADE_SRCS))
LIBGRADE := $(OUT)/libgrade.a
# Grading programs see every ioctl and the page size first (inject.c).
GRADE_WRAP := -Wl,--wrap=ioctl -Wl,--wrap=sysconf -Wl,--wrap=getpagesize \
	-Wl,--wrap=watchdog_arm
GRADE_LIBS := $(LIBGRADE) $(LIBKIT) -lcunit $(CAPSTONE_LIBS)

HEADERS := $(wildcard common/*.h common/arch/*.h common/grade/*.h)

$(OUT)/%.o: %.c $(HEADERS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KIT_CFLAGS) -c -o $@ $<

$(LIBKIT): $(CORE_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBGRADE): $(GRADE_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

# ---- guests -----------------------------------------------------------
GUEST_DIR_x86_64 := guest-x86
GUEST_DIR_arm64 := guest-arm64
GUEST_DIR := $(GUEST_DIR_$(ARCH))
include guest-x86/guest.mk

# A guest image inside a host program: $(OUT)/guest/L/foo.blob.o defines
# guest_foo[] and guest_foo_end[] (common/guest_image.h).
$(OUT)/guest/%.blob.o: $(OUT)/guest/%.img common/blob.S
	$(Q)$(CC) -c -o $@ -DBLOB_NAME=guest_$(basename $(notdir $<)) \
		-DBLOB_FILE='"$<"' common/blob.S

# ---- lessons ----------------------------------------------------------
LESSONS := $(notdir $(wildcard lessons/[0-9][0-9]-*))
# Lessons that have work on this architecture (their solution has a file
# for it, or no architecture-specific file at all).
arch_files = $(filter-out %_x86_64.c %_arm64.c,$(1)) $(filter %_$(ARCH).c,$(1))

# $(call lesson_rules,LESSON) defines, for both variants (student code
# from lessons/, reference code from solutions/):
#   $(OUT)/<variant>/LESSON/lesson   the lesson's program
#   $(OUT)/<variant>/LESSON/grade    its graded checks
define lesson_rules
$(1)_STUDENT_FILES := $$(call arch_files,$$(notdir $$(wildcard solutions/$(1)/*.c)))
$(1)_GUESTS := $$(patsubst %,$(OUT)/guest/$(1)/%.blob.o,$$(basename $$(notdir \
	$$(wildcard $(GUEST_DIR)/$(1)/*.S $(GUEST_DIR)/$(1)/*.c))))
$(1)_CHECKS := $$(call arch_files,$$(filter checks%.c,$$(notdir $$(wildcard lessons/$(1)/*.c))))
# Given files: the rest of the lesson's C files, in both variants.
$(1)_GIVEN := $$(call arch_files,$$(filter-out main.c checks%.c $$($(1)_STUDENT_FILES),\
	$$(notdir $$(wildcard lessons/$(1)/*.c))))
# What the lesson builds on from earlier lessons (lessons/LESSON/builds-on
# lists files; the reference versions are used, so a lesson can be done
# before the one it builds on).
$(1)_EXTRA := $$(shell cat lessons/$(1)/builds-on 2>/dev/null)
$(1)_CFLAGS := -Ilessons/$(1) -I$(GUEST_DIR)/$(1) -I$(GUEST_DIR)/lib -Icommon/abi \
	$$(addprefix -I,$$(sort $$(patsubst solutions/%,lessons/%,$$(dir $$($(1)_EXTRA)))))
$(1)_HEADERS := $$(wildcard lessons/*/*.h $(GUEST_DIR)/$(1)/*.h $(GUEST_DIR)/lib/*.h \
	common/abi/*.h) $(HEADERS)

$(OUT)/student/$(1)/%.o: lessons/$(1)/%.c $$($(1)_HEADERS)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(KIT_CFLAGS) $$($(1)_CFLAGS) -c -o $$@ $$<
$(OUT)/student/$(1)/extra/%.o: %.c $$($(1)_HEADERS)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(KIT_CFLAGS) $$($(1)_CFLAGS) -c -o $$@ $$<
$(OUT)/solution/$(1)/extra/%.o: %.c $$($(1)_HEADERS)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(KIT_CFLAGS) $$($(1)_CFLAGS) -c -o $$@ $$<
$(OUT)/solution/$(1)/%.o: solutions/$(1)/%.c $$($(1)_HEADERS)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(KIT_CFLAGS) $$($(1)_CFLAGS) -c -o $$@ $$<
$(OUT)/solution/$(1)/%.o: lessons/$(1)/%.c $$($(1)_HEADERS)
	@mkdir -p $$(@D)
	$$(Q)$$(CC) $$(KIT_CFLAGS) $$($(1)_CFLAGS) -c -o $$@ $$<

$(foreach v,student solution,
$(OUT)/$(v)/$(1)/lesson: $$(addprefix $(OUT)/$(v)/$(1)/,main.o $$($(1)_STUDENT_FILES:.c=.o) \
		$$($(1)_GIVEN:.c=.o) $$(addprefix extra/,$$($(1)_EXTRA:.c=.o))) \
		$$($(1)_GUESTS) $(LIBKIT)
	$$(Q)$$(CC) $$(KIT_LDFLAGS) -o $$@ $$^ $(CAPSTONE_LIBS)
$(OUT)/$(v)/$(1)/grade: $$(addprefix $(OUT)/$(v)/$(1)/,$$($(1)_CHECKS:.c=.o) \
		$$($(1)_STUDENT_FILES:.c=.o) $$($(1)_GIVEN:.c=.o) \
		$$(addprefix extra/,$$($(1)_EXTRA:.c=.o))) $$($(1)_GUESTS) $(LIBGRADE) $(LIBKIT)
	$$(Q)$$(CC) $$(KIT_LDFLAGS) $(GRADE_WRAP) -o $$@ \
		$$(filter %.o,$$^) $(GRADE_LIBS)
)
LESSON_PROGRAMS += $(foreach v,student solution,$(OUT)/$(v)/$(1)/lesson $(OUT)/$(v)/$(1)/grade)
endef
$(foreach l,$(LESSONS),$(eval $(call lesson_rules,$(l))))

# ---- the kit's own tests ----------------------------------------------
TEST_PROGRAMS := $(OUT)/tests/core-tests $(OUT)/tests/harness-demo

$(OUT)/tests/%: $(OUT)/common/tests/%.o $(LIBGRADE) $(LIBKIT)
	@mkdir -p $(@D)
	$(Q)$(CC) $(KIT_LDFLAGS) $(GRADE_WRAP) -o $@ $< $(GRADE_LIBS)

# ---- targets ----------------------------------------------------------
.PHONY: help all deps deps-check doctor check grade docs clean mistakes

help:
	@echo "The KVM hypervisor kit ($(ARCH))"
	@echo
	@echo "  make lesson-NN        build lesson NN with your code, run it, grade it"
	@echo "  make lesson-NN SOLUTION=1    ... with the reference solution"
	@echo "  make grade            grade every lesson: score table + build/results.json"
	@echo "  make check            the kit's whole test suite"
	@echo "  make docs             the lessons as a small website in build/docs/"
	@echo "  make deps             install the Debian/Ubuntu packages the kit needs"
	@echo "  make doctor           what this machine offers (KVM, packages, page size)"
	@echo
	@echo "Lessons: $(LESSONS)"

deps:
	@bash common/scripts/deps.sh install

# Quick, and silent when everything is there; installs or explains if not.
deps-check:
	@bash common/scripts/deps.sh ensure

all: $(LIBKIT) $(LIBGRADE) $(LESSON_PROGRAMS) $(TEST_PROGRAMS)

doctor: deps-check
	@bash common/scripts/doctor.sh

# make lesson-01 [SOLUTION=1] [TEST=name]
VARIANT := $(if $(filter 1 yes true,$(SOLUTION)),solution,student)
lesson-%: deps-check
	@lesson=$$(cd lessons && ls -d $*-* 2>/dev/null | head -n1); \
	if [ -z "$$lesson" ]; then echo "no lesson $* (lessons: $(LESSONS))"; exit 2; fi; \
	$(MAKE) -s --no-print-directory $(OUT)/$(VARIANT)/$$lesson/lesson $(OUT)/$(VARIANT)/$$lesson/grade && \
	bash common/scripts/lesson.sh "$(OUT)/$(VARIANT)/$$lesson" "$$lesson" "$(VARIANT)" "$(TEST)"

grade: deps-check
	@$(MAKE) -s --no-print-directory $(LIBKIT) $(LIBGRADE)
	@bash common/scripts/grade-all.sh "$(OUT)" "$(BUILD)/results.json" $(LESSONS)

check: deps-check
	@$(MAKE) --no-print-directory all
	@bash common/scripts/check.sh "$(OUT)" "$(BUILD)" "$(ARCH)" $(LESSONS)

# Every plausible mistake in solutions/*/mistakes.txt must be caught by
# the checks it names (make check runs this too).
export CC KIT_CFLAGS GRADE_WRAP GRADE_LIBS GUEST_DIR
mistakes: deps-check
	@$(MAKE) --no-print-directory all
	@mkdir -p $(BUILD)/check
	@bash common/scripts/mistakes.sh "$(OUT)" "$(ARCH)" /dev/null $(LESSONS)

docs: deps-check
	@bash docs/build.sh "$(BUILD)/docs" $(LESSONS)

clean:
	rm -rf $(BUILD)
