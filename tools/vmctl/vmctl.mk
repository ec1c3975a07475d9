# SPDX-License-Identifier: GPL-2.0
# vmctl: the userspace VMM, linked statically (it runs in a busybox
# initramfs). kmod/vmx/caps.c is shared with the module for feature names.

VMCTL_SRCS := $(wildcard $(TOP)/tools/vmctl/*.c) $(TOP)/kmod/vmx/caps.c
VMCTL_OBJS := $(patsubst $(TOP)/%.c,$(O)/vmctl-obj/%.o,$(VMCTL_SRCS))

vmctl: $(O)/vmctl

$(O)/vmctl: $(VMCTL_OBJS)
	$(CC) -static -o $@ $^

$(O)/vmctl-obj/%.o: $(TOP)/%.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -MMD -MP -c -o $@ $<

-include $(VMCTL_OBJS:.o=.d)
