/* The 16550 UART on COM1, the hypervisor's console device. */
#ifndef ASM_SERIAL_H
#define ASM_SERIAL_H

#include <stdbool.h>

void serial_init(void);
void serial_putc(char c);
/* Returns the next received character, or -1 when none is waiting. */
int serial_getc(void);
/* Raise IRQ 4 while received data waits (on), or never (off). */
void serial_rx_irq(bool on);

#endif /* ASM_SERIAL_H */
