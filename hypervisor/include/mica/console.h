/* The hypervisor console: printk, log levels, and the serial sink. */
#ifndef MICA_CONSOLE_H
#define MICA_CONSOLE_H

#include <mica/env.h>

enum log_level
{
    LOGLVL_NONE = -1,
    LOGLVL_ERR = 0,
    LOGLVL_WARN = 1,
    LOGLVL_INFO = 2,
    LOGLVL_DEBUG = 3,
};

/* Parse the console= and loglvl= options; call once the command line is known. */
int console_set_sinks(const char *spec);
int console_set_loglvl(const char *spec);

/* Raw output of guest console text (no prefix added, no level filter). */
void console_write_raw(const char *s, size_t n);

/* Characters typed on the serial line, for CONSOLEIO_read; returns count. */
size_t console_read_input(char *buf, size_t n);

/* Called by the serial driver for each received character. */
void console_input_char(char c);

/* Take serial input by interrupt from now on (after the PIC is set up). */
void console_rx_enable(void);
/* IRQ 4: buffer what the UART holds; raises SOFTIRQ_CONSOLE. */
void console_rx_interrupt(void);
/* SOFTIRQ_CONSOLE: tell dom0 through VIRQ_CONSOLE (console_io.c). */
void console_io_softirq(void);

/* Copy of the most recent log output (for the toolstack's dmesg). */
size_t console_ring_copy(char *buf, size_t n, size_t offset);

#endif /* MICA_CONSOLE_H */
