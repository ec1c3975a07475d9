# SPDX-License-Identifier: GPL-2.0
# Unit tests: every tests/unit/test_*.c is one cmocka program. Its first
# lines hold "/* unit-sources: path/a.c path/b.c */": the project sources
# (relative to the repo root) it links with; several such comment lines in
# the first 10 lines add up (for long lists). `make unit` builds them all
# into $(O)/unit/, runs every one (output on stdout, cmocka's summary
# lines included) and fails if any test failed.

UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror=implicit-function-declaration -I$(TOP) -I$(TOP)/kmod -D_GNU_SOURCE
UNIT_TESTS := $(sort $(wildcard $(TOP)/tests/unit/test_*.c))
UNIT_BINS := $(patsubst $(TOP)/tests/unit/%.c,$(O)/unit/%,$(UNIT_TESTS))

# The unit-sources of one test file (searched in its first 10 lines).
unit_sources = $(addprefix $(TOP)/,$(shell head -n 10 $(1) | \
	sed -n 's|.*unit-sources:\(.*\)\*/.*|\1|p'))

define unit_rule
$(O)/unit/$(basename $(notdir $(1))): $(1) $(call unit_sources,$(1))
	@mkdir -p $(O)/unit
	$$(CC) $$(UNIT_CFLAGS) -MMD -MP -o $$@ $$(filter %.c,$$^) -lcmocka
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_rule,$(t))))

-include $(UNIT_BINS:=.d)

.PHONY: unit-build
unit-build: $(UNIT_BINS)

# Run every test even after a failure; fail at the end naming the failures.
unit: unit-build
	@failed=""; for t in $(UNIT_BINS); do \
		echo "== $$(basename $$t)"; \
		CMOCKA_MESSAGE_OUTPUT=stdout $$t || failed="$$failed $$(basename $$t)"; \
	done; \
	if [ -n "$$failed" ]; then echo "unit: FAILED:$$failed"; exit 1; fi; \
	echo "unit: all $(words $(UNIT_BINS)) test programs passed"
