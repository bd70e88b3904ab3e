/*
 * The exception table: pairs of (faulting instruction, continuation).
 * A fault in ring 0 at a listed instruction resumes at its continuation
 * instead of panicking; guest-memory copies and *_safe MSR accesses use it.
 */
#ifndef ASM_EXTABLE_H
#define ASM_EXTABLE_H

#define _ASM_EXTABLE(from, to)                                                \
    ".pushsection .ex_table, \"a\"\n\t"                                        \
    ".quad " #from ", " #to "\n\t"                                             \
    ".popsection\n\t"

/* The continuation for a fault at rip, or 0 if there is none. */
unsigned long search_exception_table(unsigned long rip);

#endif /* ASM_EXTABLE_H */
