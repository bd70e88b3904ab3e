/* The hypervisor's time sources: PIT one-shot through the 8259 PIC, TSC. */
#ifndef ASM_TIME_H
#define ASM_TIME_H

#include <stdint.h>

void time_init(void);
void pic_eoi(unsigned int irq);
/* Let legacy IRQ `irq` (0-7) through the master PIC. */
void pic_unmask(unsigned int irq);

/* Nanoseconds since boot, from the TSC. */
uint64_t now_ns(void);
uint64_t tsc_khz(void);
uint64_t timer_ticks(void);
/* Wall-clock time (ns since 1970) at system time 0, from the RTC. */
uint64_t boot_wallclock(void);

#endif /* ASM_TIME_H */
