/*
 * Address translation and the shared_info mapping.
 *
 * The initial mapping is [VIRT_BASE, v_end) = pfns 0..N, so a virtual
 * address in the image gives its pfn by subtraction, and the p2m list the
 * builder left at start_info->mfn_list gives the machine frame.
 *
 * shared_info is not part of the p2m: start_info only holds its machine
 * address.  To see it we point one page-aligned page of our .bss at that
 * frame with update_va_mapping.  Only tests that need vcpu_info (CR2,
 * event mask) call map_shared_info(), so the others do not depend on
 * update_va_mapping working.
 */
#include "test.h"

#define PTE_PRESENT  0x001ULL
#define PTE_RW       0x002ULL
#define PTE_ACCESSED 0x020ULL
#define PTE_DIRTY    0x040ULL

struct shared_info *shared_info;

static uint8_t shared_info_page[4096] __page_aligned_bss;

uint64_t virt_to_pfn(const void *va)
{
    return ((uint64_t)(uintptr_t)va - VIRT_BASE) >> 12;
}

uint64_t pfn_to_mfn(uint64_t pfn)
{
    const uint64_t *p2m = (const uint64_t *)(uintptr_t)start_info->mfn_list;

    return p2m[pfn];
}

uint64_t virt_to_mfn(const void *va)
{
    return pfn_to_mfn(virt_to_pfn(va));
}

uint64_t virt_to_maddr(const void *va)
{
    return (virt_to_mfn(va) << 12) | ((uintptr_t)va & (PAGE_SIZE - 1));
}

struct shared_info *map_shared_info(void)
{
    uint64_t pte;
    long rc;

    if ( shared_info )
        return shared_info;

    pte = (start_info->shared_info & ~(PAGE_SIZE - 1)) |
          PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY;
    rc = HYPERVISOR_update_va_mapping((uintptr_t)shared_info_page, pte,
                                      UVMF_INVLPG | UVMF_LOCAL);
    if ( rc )
    {
        test_error("update_va_mapping(shared_info %#lx) failed: %ld (%s)",
                   start_info->shared_info, rc, xen_errno_name(rc));
        return NULL;
    }

    shared_info = (struct shared_info *)shared_info_page;
    return shared_info;
}

struct vcpu_info *vcpu0_info(void)
{
    return shared_info ? &shared_info->vcpu_info[0] : NULL;
}

/*
 * Frames for page-table tests: the last pfns of our memory, which the
 * initial mapping (a few MiB at VIRT_BASE) never covers, so nothing maps
 * them writable and they can become tables at once.
 */
uint64_t spare_mfn(unsigned int i)
{
    return pfn_to_mfn(start_info->nr_pages - 1 - i);
}

long map_frame_at(void *page, uint64_t mfn, uint64_t flags)
{
    return HYPERVISOR_update_va_mapping((uintptr_t)page, (mfn << 12) | flags,
                                        UVMF_INVLPG | UVMF_LOCAL);
}

long restore_own_frame(void *page)
{
    return map_frame_at(page, virt_to_mfn(page), PTE_KERNEL_RW);
}

static uint8_t scratch_page[4096] __page_aligned_bss;

void *scratch_map(uint64_t mfn, uint64_t flags)
{
    long rc = map_frame_at(scratch_page, mfn, flags);

    if ( rc )
    {
        test_error("scratch_map(%#lx, %#lx): %ld (%s)", mfn, flags, rc,
                   xen_errno_name(rc));
        return NULL;
    }
    return scratch_page;
}

void scratch_unmap(void)
{
    (void)map_frame_at(scratch_page, 0, 0);
}
