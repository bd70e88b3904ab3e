/*
 * Time: the TSC, calibrated once against PIT channel 2, gives nanoseconds;
 * PIT channel 0 in one-shot mode (mode 0, "interrupt on terminal count")
 * raises IRQ0 through the 8259 PIC at the next software timer's deadline.
 *
 * Why the PIT rather than the local APIC timer: it is already wired up
 * through the PIC, needs no MMIO mapping or bus-clock calibration, counts
 * at a fixed, known 1.193182 MHz (0.84 us resolution, 54.9 ms at most,
 * so longer waits are re-armed), and one reprogram costs three port
 * writes. It cannot serve several CPUs: SMP will move each CPU to its
 * own LAPIC timer behind the same arch_timer_program() hook.
 *
 * The wall clock comes from the CMOS RTC, read once at boot.
 */
#include <asm/processor.h>
#include <asm/time.h>
#include <asm/traps.h>
#include <mica/lib.h>
#include <mica/timer.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_HZ 1193182UL

static uint64_t khz;
static unsigned int cal_samples;            /* samples calibration took */
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

void pic_unmask(unsigned int irq)
{
    outb(inb(PIC1_DATA) & ~(1u << irq), PIC1_DATA);
}

void pic_eoi(unsigned int irq)
{
    if ( irq >= 8 )
        outb(0x20, PIC2_CMD);
    outb(0x20, PIC1_CMD);
}

/*
 * TSC calibration. Counting TSC cycles from programming PIT channel 2 to
 * its terminal count trusts that nothing runs between those two events
 * and the TSC reads next to them. Under emulation on a busy host the
 * vCPU's thread can be descheduled right there: one boot measured 3371
 * MHz for a 2507 MHz TSC, and every guest's clock then ran 26% slow.
 * So each end of the interval is a read of the PIT's count bracketed by
 * two TSC reads; the bracket's width bounds the error of that end. A
 * sample with wide brackets is retried, and the narrowest of a few
 * samples wins.
 */
#define CAL_TICKS (PIT_HZ / 50)             /* 20 ms per sample */
#define CAL_SAMPLES 5
#define CAL_POLLS 10000000UL                /* a PIT that never counts */

struct pit_read
{
    uint64_t tsc;                           /* midpoint of the bracket */
    uint64_t width;                         /* TSC cycles of the bracket */
    unsigned int count;
};

static struct pit_read pit_ch2_read(void)
{
    struct pit_read r;
    uint64_t before = rdtsc(), after;
    unsigned int lo, hi;

    outb(0x80, PIT_CMD);                      /* latch channel 2's count */
    lo = inb(PIT_CH2);
    hi = inb(PIT_CH2);
    after = rdtsc();
    r.tsc = before + (after - before) / 2;
    r.width = after - before;
    r.count = lo | (hi << 8);
    return r;
}

/* One sample: kHz, and its error bound in TSC cycles (~0 on failure). */
static uint64_t calibrate_sample(uint64_t *err)
{
    struct pit_read a, b;
    unsigned long polls = 0;

    outb((inb(0x61) & ~0x02) | 0x01, 0x61);   /* gate on, speaker off */
    outb(0xb0, PIT_CMD);                      /* ch2, lobyte/hibyte, mode 0 */
    outb(0xff, PIT_CH2);
    outb(0xff, PIT_CH2);                      /* counts down from 65535 */
    a = pit_ch2_read();
    do {
        b = pit_ch2_read();
        /* Counting down; a count above the first is a stale first read
         * or a wrap past zero (54.9 ms): this sample is void. */
        if ( b.count > a.count || ++polls > CAL_POLLS )
        {
            *err = ~0ULL;
            return 0;
        }
    } while ( a.count - b.count < CAL_TICKS );
    *err = a.width + b.width;
    return (b.tsc - a.tsc) * PIT_HZ / (a.count - b.count) / 1000;
}

static uint64_t calibrate_tsc_khz(void)
{
    uint64_t best = 0, best_err = ~0ULL;

    for ( unsigned int i = 0; i < CAL_SAMPLES; i++ )
    {
        uint64_t err, k = calibrate_sample(&err);

        cal_samples = i + 1;
        if ( err < best_err )
        {
            best = k;
            best_err = err;
        }
        /* Within 0.05% of the 20 ms: good enough, stop. */
        if ( k && best_err * 2000 < k * 20 )
            break;
    }
    if ( !best )
        panic("time: cannot calibrate the TSC: PIT channel 2 does not count");
    return best;
}

void arch_timer_program(uint64_t deadline)
{
    uint64_t now = now_ns();
    uint64_t delta = deadline > now ? deadline - now : 0;
    uint64_t count = delta * PIT_HZ / 1000000000ULL;

    count = MAX(MIN(count, 0xffffUL), 2UL);
    outb(0x30, PIT_CMD);                      /* ch0, lobyte/hibyte, mode 0 */
    outb(count & 0xff, PIT_CH0);
    outb(count >> 8, PIT_CH0);                /* counting starts here */
}

static unsigned int cmos_read(unsigned int reg)
{
    outb(reg, 0x70);
    return inb(0x71);
}

static unsigned int bcd(unsigned int v, bool is_bcd)
{
    return is_bcd ? (v & 0xf) + (v >> 4) * 10 : v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_since_epoch(unsigned int y, unsigned int m,
                                 unsigned int d)
{
    static const unsigned int before[] = { 0, 31, 59, 90, 120, 151, 181, 212,
                                           243, 273, 304, 334 };
    uint64_t days = (y - 1970) * 365ULL + before[(m - 1) % 12] + d - 1;

    days += (y - 1969) / 4 - (y - 1901) / 100 + (y - 1601) / 400;
    if ( m > 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) )
        days++;
    return days;
}

/* Seconds since the epoch from the RTC; waits out an update in progress. */
static uint64_t rtc_read_seconds(void)
{
    unsigned int sec, min, hour, day, mon, year, b;
    bool is_bcd;

    while ( cmos_read(0x0a) & 0x80 )
        cpu_relax();
    sec = cmos_read(0x00);
    min = cmos_read(0x02);
    hour = cmos_read(0x04);
    day = cmos_read(0x07);
    mon = cmos_read(0x08);
    year = cmos_read(0x09);
    b = cmos_read(0x0b);
    is_bcd = !(b & 0x04);
    hour = bcd(hour & 0x7f, is_bcd) % 24;
    year = bcd(year, is_bcd) + 2000;
    return days_since_epoch(year, bcd(mon, is_bcd), bcd(day, is_bcd)) *
           86400 + hour * 3600 + bcd(min, is_bcd) * 60 + bcd(sec, is_bcd);
}

static uint64_t boot_wallclock_ns;

uint64_t boot_wallclock(void)
{
    return boot_wallclock_ns;
}

void time_init(void)
{
    khz = calibrate_tsc_khz();
    boot_tsc = rdtsc();
    boot_wallclock_ns = rtc_read_seconds() * 1000000000ULL;
    pic_init();
    arch_timer_program(now_ns() + 1000000);
    printk("time: TSC %lu.%03lu MHz (%u samples), PIT one-shot timer, "
           "wall clock %lu s\n", khz / 1000, khz % 1000, cal_samples,
           boot_wallclock_ns / 1000000000UL);
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
    raise_softirq(SOFTIRQ_TIMER);
}
