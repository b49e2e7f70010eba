/* SPDX-License-Identifier: MIT */
/*
 * unclaimed.c - accesses no device takes: at an address with nothing
 * there, of each size; one that runs past the UART's last register; one
 * the UART does not take (2 bytes). Reads of them must come back as all
 * ones, as on a real bus; writes go nowhere.
 */
#include "l4guest.h"

int main(void)
{
	check_value("nothing there, 1 byte", mmio_read8(L4_UNCLAIMED_GPA), 0xff);
	check_value("nothing there, 2 bytes", mmio_read16(L4_UNCLAIMED_GPA + 2), 0xffff);
	check_value("nothing there, 4 bytes", mmio_read32(L4_UNCLAIMED_GPA + 4), 0xffffffff);
	check_value("nothing there, 8 bytes", mmio_read64(L4_UNCLAIMED_GPA + 8),
		    0xffffffffffffffffULL);
	mmio_write32(L4_UNCLAIMED_GPA + 16, 0xabcd1234);
	check_value("past the UART's end (4 bytes at register 6)", mmio_read32(UART(6)),
		    0xffffffff);
	check_value("2 bytes of the UART", mmio_read16(UART(UART_LCR)), 0xffff);
	return 0;
}
