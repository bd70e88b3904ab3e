/*
 * The hypervisor CPUID leaves.  A PV guest reaches them (and the filtered
 * view of the real leaves) through the forced-emulation sequence
 * "ud2; .ascii \"xen\"; cpuid", which the hypervisor decodes on #UD.
 */
#ifndef MICA_PUBLIC_CPUID_H
#define MICA_PUBLIC_CPUID_H

#define XEN_CPUID_FIRST_LEAF    0x40000000
#define XEN_CPUID_LEAF(i)       (XEN_CPUID_FIRST_LEAF + (i))
#define XEN_CPUID_MAX_NUM_LEAVES 5

/* Leaf 0: EBX, ECX, EDX spell "XenVMMXenVMM". */
#define XEN_CPUID_SIGNATURE_EBX 0x566e6558  /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX 0x65584d4d  /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX 0x4d4d566e  /* "nVMM" */

/* Leaf 2 ECX. */
#define _XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD 0
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD  (1U << 0)

/* Leaf 5 EBX. */
#define XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK 0xffU

/* The forced-emulation prefix: ud2 followed by "xen". */
#define XEN_EMULATE_PREFIX_BYTES 0x0f, 0x0b, 0x78, 0x65, 0x6e

#endif /* MICA_PUBLIC_CPUID_H */
