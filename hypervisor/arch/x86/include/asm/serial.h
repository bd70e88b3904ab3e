/* The 16550 UART on COM1, the hypervisor's console device. */
#ifndef ASM_SERIAL_H
#define ASM_SERIAL_H

void serial_init(void);
void serial_putc(char c);
/* Returns the next received character, or -1 when none is waiting. */
int serial_getc(void);

#endif /* ASM_SERIAL_H */
