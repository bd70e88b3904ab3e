/*
 * Time: the legacy PIT drives a periodic tick through the 8259 PIC (the
 * simplest interrupt source every PC and QEMU machine has), and the TSC,
 * calibrated once against PIT channel 2, gives nanoseconds. The local
 * APIC timer can replace the PIT when SMP arrives.
 */
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <mica/lib.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_HZ 1193182UL

static uint64_t khz;
static uint64_t boot_tsc;
static volatile uint64_t ticks;

static void pic_init(void)
{
    outb(0x11, PIC1_CMD);     /* ICW1: edge, cascade, ICW4 */
    outb(0x11, PIC2_CMD);
    outb(0x20, PIC1_DATA);    /* ICW2: vectors 0x20-0x27 */
    outb(0x28, PIC2_DATA);    /*       vectors 0x28-0x2f */
    outb(0x04, PIC1_DATA);    /* ICW3: slave on IRQ2 */
    outb(0x02, PIC2_DATA);
    outb(0x01, PIC1_DATA);    /* ICW4: 8086 mode */
    outb(0x01, PIC2_DATA);
    outb(0xfe, PIC1_DATA);    /* only IRQ0 (the PIT) unmasked */
    outb(0xff, PIC2_DATA);
}

void pic_eoi(unsigned int irq)
{
    if ( irq >= 8 )
        outb(0x20, PIC2_CMD);
    outb(0x20, PIC1_CMD);
}

/* Count TSC cycles over ~10 ms measured by PIT channel 2 in one-shot mode. */
static uint64_t calibrate_tsc_khz(void)
{
    const unsigned int latch = PIT_HZ / 100;
    uint64_t start, end;

    outb((inb(0x61) & ~0x02) | 0x01, 0x61);   /* gate on, speaker off */
    outb(0xb0, PIT_CMD);                      /* ch2, lobyte/hibyte, mode 0 */
    outb(latch & 0xff, PIT_CH2);
    outb(latch >> 8, PIT_CH2);
    start = rdtsc();
    while ( !(inb(0x61) & 0x20) )
        cpu_relax();
    end = rdtsc();
    return (end - start) / 10;
}

void time_init(void)
{
    unsigned int div = PIT_HZ / CONFIG_TICK_HZ;

    khz = calibrate_tsc_khz();
    boot_tsc = rdtsc();
    pic_init();
    outb(0x34, PIT_CMD);                      /* ch0, rate generator */
    outb(div & 0xff, PIT_CH0);
    outb(div >> 8, PIT_CH0);
    printk("time: TSC %lu.%03lu MHz, tick %u Hz\n", khz / 1000, khz % 1000,
           CONFIG_TICK_HZ);
}

uint64_t tsc_khz(void)
{
    return khz;
}

uint64_t now_ns(void)
{
    uint64_t d = rdtsc() - boot_tsc;

    /* d * 10^6 / khz without overflowing for years of uptime. */
    return (d / khz) * 1000000 + (d % khz) * 1000000 / khz;
}

uint64_t timer_ticks(void)
{
    return ticks;
}

void timer_interrupt(void)
{
    ticks++;
}
