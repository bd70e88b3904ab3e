/*
 * COM1 at 115200 8n1. Output is polled: it never depends on interrupts.
 * Input may raise IRQ 4 (serial_rx_irq) so dom0 hears of keystrokes.
 */
#include <asm/processor.h>
#include <asm/serial.h>

#define COM1 0x3f8
#define UART_THR 0 /* transmit holding */
#define UART_RBR 0 /* receive buffer */
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_DLL 0
#define UART_DLM 1
#define LSR_DR   0x01
#define LSR_THRE 0x20

void serial_init(void)
{
    outb(0x00, COM1 + UART_IER);
    outb(0x80, COM1 + UART_LCR);   /* divisor latch */
    outb(0x01, COM1 + UART_DLL);   /* 115200 baud */
    outb(0x00, COM1 + UART_DLM);
    outb(0x03, COM1 + UART_LCR);   /* 8n1 */
    outb(0xc7, COM1 + UART_FCR);   /* FIFOs on and cleared */
    outb(0x03, COM1 + UART_MCR);   /* DTR, RTS */
}

void serial_putc(char c)
{
    if ( c == '\n' )
        serial_putc('\r');
    while ( !(inb(COM1 + UART_LSR) & LSR_THRE) )
        cpu_relax();
    outb(c, COM1 + UART_THR);
}

void serial_rx_irq(bool on)
{
    outb(on ? 0x01 : 0x00, COM1 + UART_IER);   /* received data available */
}

int serial_getc(void)
{
    if ( !(inb(COM1 + UART_LSR) & LSR_DR) )
        return -1;
    return inb(COM1 + UART_RBR);
}
