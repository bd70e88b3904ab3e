/* The hypervisor's time sources: PIT tick through the 8259 PIC, and TSC. */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <stdint.h>

void time_init(void);
void pic_eoi(unsigned int irq);

/* Nanoseconds since boot, from the TSC. */
uint64_t now_ns(void);
uint64_t tsc_khz(void);
uint64_t timer_ticks(void);

#endif /* ASM_TIME_H */
