/*
 * Shared-memory request/response rings, wire-compatible with Xen's
 * io/ring.h "sring" (what blkif, netif and friends put in granted pages).
 *
 * A ring is a shared area (one page or several) that starts with a 64-byte
 * header of four 32-bit indices and is followed by a power-of-two number of
 * slots. Each slot holds either a request or a response: the front end
 * writes requests into free slots, the back end reads them and writes each
 * response over the slot of a request it has consumed, so the same slots
 * carry traffic in both directions.
 *
 * Indices run freely and wrap at 2^32; a slot is `index & (nr_ents - 1)`.
 * Unsigned subtraction of two indices is the distance between them even
 * across the wrap, which is why nr_ents must be a power of two that divides
 * 2^32 and why every comparison below is a subtraction, never `<`.
 *
 * Each side keeps private copies of what it produces (req_prod_pvt,
 * rsp_prod_pvt) and consumes (rsp_cons, req_cons); only "push" publishes a
 * private producer index into the shared header. The peer may be another
 * domain, so nothing read from the shared area is trusted: a request or
 * response is copied out of its slot before the caller looks at it, and a
 * producer index that claims more entries than can exist makes the
 * consumer fail with -EIO instead of reading slots it does not own.
 *
 * Notification hold-off: the consumer writes into req_event (rsp_event) the
 * index whose arrival it wants to hear about. A producer that moves its
 * index from `old` to `new` notifies only if that event index lies in
 * (old, new]. Before sleeping, a consumer sets the event index to one past
 * what it has consumed and looks again ("final check"), so that a producer
 * racing with it either sees the new event index or is seen by the check.
 * That Dekker-style handshake needs a full barrier on each side between
 * its store and its load; both are sequentially consistent accesses
 * (MICA_RING_STORE_SC/LOAD_SC: on x86 an xchg, i.e. a full barrier, which
 * also orders us against a peer using Xen's plain stores and mb()). See
 * mica_ring_publish_() and mica_ring_final_check_().
 *
 * Everything here is inline and allocation-free. MICA_RING_DEFINE() makes a
 * typed front/back pair for one request and one response type; the untyped
 * mica_ring_* functions below do the work and carry the contracts.
 */
#ifndef MICA_RINGBUF_H
#define MICA_RINGBUF_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The shared header, byte for byte as Xen lays out the start of an sring. */
struct mica_sring_header
{
    uint32_t req_prod;  /* written by the front: requests published */
    uint32_t req_event; /* written by the back: notify when req_prod passes */
    uint32_t rsp_prod;  /* written by the back: responses published */
    uint32_t rsp_event; /* written by the front: notify when rsp_prod passes */
    uint8_t pvt[4];     /* protocol-private (netif's smartpoll flag, ...) */
    uint8_t pad[44];    /* keeps the slots at offset 64 */
};

#define MICA_RING_HEADER_SIZE 64u

_Static_assert(sizeof(struct mica_sring_header) == MICA_RING_HEADER_SIZE,
               "sring header must be 64 bytes");
_Static_assert(offsetof(struct mica_sring_header, req_event) == 4 &&
                   offsetof(struct mica_sring_header, rsp_prod) == 8 &&
                   offsetof(struct mica_sring_header, rsp_event) == 12 &&
                   offsetof(struct mica_sring_header, pvt) == 16 &&
                   offsetof(struct mica_sring_header, pad) == 20,
               "sring header fields moved");

/* Rings larger than this would make counts overflow an int. */
#define MICA_RING_MAX_ENTS (1u << 30)

/*
 * Ordering primitives. Index loads and stores are atomic so that neither the
 * compiler nor a sanitizer can tear or cache them; each use says its pair.
 * ACQUIRE/RELEASE order slot contents against an index (rmb/wmb in Xen's
 * terms); the _SC pair gives the store-then-load ordering of a full barrier
 * (Xen's mb()) in a form ThreadSanitizer understands, unlike a fence.
 */
#define MICA_RING_LOAD_ACQUIRE(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define MICA_RING_LOAD_SC(p)      __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define MICA_RING_STORE_SC(p, v)  __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
/* Keeps the compiler from re-reading a slot in place of the local copy. */
#define MICA_RING_COMPILER_BARRIER() __asm__ __volatile__("" ::: "memory")

/* Where the ring is; the same for both ends. */
struct mica_ring_area
{
    struct mica_sring_header *sring;
    unsigned char *slots;
    uint32_t entry_size;
    uint32_t nr_ents;
};

/* The front end's private state. Fill it with mica_ring_front_attach(). */
struct mica_ring_front
{
    struct mica_ring_area a;
    uint32_t req_prod_pvt; /* next slot to fill */
    uint32_t req_pushed;   /* req_prod as we last published it */
    uint32_t rsp_cons;     /* next response to take */
};

/* The back end's private state. Fill it with mica_ring_back_attach(). */
struct mica_ring_back
{
    struct mica_ring_area a;
    uint32_t rsp_prod_pvt; /* next slot to answer into */
    uint32_t rsp_pushed;   /* rsp_prod as we last published it */
    uint32_t req_cons;     /* next request to take */
};

/*
 * How many slots of `entry_size` bytes fit in a shared area of `area_size`
 * bytes after the header, rounded down to a power of two (at most
 * MICA_RING_MAX_ENTS). Returns 0 if not even one fits.
 */
static inline uint32_t mica_ring_nr_ents(size_t area_size, size_t entry_size)
{
    size_t fit, n = 1;

    if ( entry_size == 0 || area_size < MICA_RING_HEADER_SIZE + entry_size )
        return 0;
    fit = (area_size - MICA_RING_HEADER_SIZE) / entry_size;
    while ( n * 2 <= fit && n < MICA_RING_MAX_ENTS )
        n *= 2;
    return (uint32_t)n;
}

/*
 * The notification rule: a producer that moved its index from `old_prod`
 * to `new_prod` must notify iff the consumer's event index lies in
 * (old_prod, new_prod], all modulo 2^32.
 */
static inline bool mica_ring_need_notify(uint32_t old_prod, uint32_t new_prod,
                                         uint32_t event)
{
    return (uint32_t)(new_prod - event) < (uint32_t)(new_prod - old_prod);
}

/*
 * How many entries between a consumer index `cons` and a producer index
 * `prod` read from shared memory, measured from `base`, the oldest entry
 * the consumer still owns. `limit` is the most the producer can have made
 * past `base`. Returns the count, or -EIO if `prod` lies beyond `limit` or
 * behind `cons` (a peer that is broken or hostile).
 */
static inline int mica_ring_avail(uint32_t prod, uint32_t cons, uint32_t base,
                                  uint32_t limit)
{
    uint32_t made = prod - base, taken = cons - base;

    if ( made > limit || made < taken )
        return -EIO;
    return (int)(made - taken);
}

/* Fill the shared header of an empty ring. Only the front end does this. */
static inline void mica_sring_init(struct mica_sring_header *sring)
{
    memset(sring, 0, sizeof(*sring));
    sring->req_event = 1;
    sring->rsp_event = 1;
}

/* The slot of free-running index `idx`. */
static inline void *mica_ring_slot(const struct mica_ring_area *a, uint32_t idx)
{
    return a->slots + (size_t)(idx & (a->nr_ents - 1)) * a->entry_size;
}

/*
 * The parts both ends share; the public functions below carry the
 * contracts and say which shared index plays which role.
 */
static inline int mica_ring_area_attach_(struct mica_ring_area *a, void *area,
                                         size_t area_size, size_t entry_size)
{
    a->nr_ents = mica_ring_nr_ents(area_size, entry_size);
    a->sring = (struct mica_sring_header *)area;
    a->slots = (unsigned char *)area + MICA_RING_HEADER_SIZE;
    a->entry_size = (uint32_t)entry_size;
    return a->nr_ents ? 0 : -EINVAL;
}

static inline bool mica_ring_publish_(uint32_t *prod, const uint32_t *event,
                                      uint32_t *pushed, uint32_t new_prod)
{
    uint32_t old_prod = *pushed;

    /*
     * Slots before index (a release, paired with the acquire in the peer's
     * *_unconsumed()), and index before reading its event index (SC,
     * paired with the peer's *_final_check(): either it sees our index or
     * we see its new event index).
     */
    MICA_RING_STORE_SC(prod, new_prod);
    *pushed = new_prod;
    return mica_ring_need_notify(old_prod, new_prod, MICA_RING_LOAD_SC(event));
}

static inline int mica_ring_take_(const struct mica_ring_area *a,
                                  uint32_t *cons, int avail, void *dst,
                                  size_t len)
{
    if ( avail <= 0 )
        return avail;
    memcpy(dst, mica_ring_slot(a, *cons), len);
    MICA_RING_COMPILER_BARRIER();
    ++*cons;
    return 1;
}

static inline int mica_ring_final_check_(uint32_t *event, const uint32_t *prod,
                                         uint32_t cons, uint32_t base,
                                         uint32_t limit)
{
    /* Index before slots: pairs with the release in mica_ring_publish_(). */
    int avail =
        mica_ring_avail(MICA_RING_LOAD_ACQUIRE(prod), cons, base, limit);

    if ( avail != 0 )
        return avail < 0 ? avail : 1;
    /* Event index before producer index, both SC: pairs with publish_(). */
    MICA_RING_STORE_SC(event, cons + 1);
    avail = mica_ring_avail(MICA_RING_LOAD_SC(prod), cons, base, limit);
    return avail < 0 ? avail : avail > 0;
}

/*
 * Attach the front end to a shared area of `area_size` bytes holding slots
 * of `entry_size` bytes, with all private indices at `idx` (0 for a fresh
 * ring; the peer's current indices when re-attaching). The shared header is
 * left alone. Returns 0, or -EINVAL if no slot fits.
 */
static inline int mica_ring_front_attach(struct mica_ring_front *f, void *area,
                                         size_t area_size, size_t entry_size,
                                         uint32_t idx)
{
    f->req_prod_pvt = f->req_pushed = f->rsp_cons = idx;
    return mica_ring_area_attach_(&f->a, area, area_size, entry_size);
}

/* Free request slots: requests may be put until this is 0. */
static inline uint32_t mica_ring_front_free(const struct mica_ring_front *f)
{
    return f->a.nr_ents - (f->req_prod_pvt - f->rsp_cons);
}

/*
 * Copy a request of `len` (<= entry_size) bytes into the next free slot,
 * unpublished until mica_ring_front_push(). Returns 0, or -ENOSPC if every
 * slot holds a request or an unconsumed response.
 */
static inline int mica_ring_front_put(struct mica_ring_front *f,
                                      const void *req, size_t len)
{
    if ( mica_ring_front_free(f) == 0 )
        return -ENOSPC;
    memcpy(mica_ring_slot(&f->a, f->req_prod_pvt++), req, len);
    return 0;
}

/*
 * Publish the requests put so far (req_prod). Returns true if the back end
 * asked to be told (req_event fell among them): the caller must notify it.
 */
static inline bool mica_ring_front_push(struct mica_ring_front *f)
{
    return mica_ring_publish_(&f->a.sring->req_prod, &f->a.sring->req_event,
                              &f->req_pushed, f->req_prod_pvt);
}

/*
 * Responses waiting to be taken. Returns the count, or -EIO if the back end
 * published more responses than we have published requests, or moved
 * rsp_prod back behind what we took.
 */
static inline int mica_ring_front_unconsumed(const struct mica_ring_front *f)
{
    /* Index before slots: pairs with the release in mica_ring_publish_(). */
    return mica_ring_avail(MICA_RING_LOAD_ACQUIRE(&f->a.sring->rsp_prod),
                           f->rsp_cons, f->rsp_cons,
                           f->req_pushed - f->rsp_cons);
}

/*
 * Copy the next response (`len` <= entry_size bytes) out of its slot into
 * `rsp`; the caller validates the copy, never the slot. Returns 1 if one was
 * taken, 0 if none is waiting, -EIO if the back end's index is impossible
 * (then the ring must be torn down; nothing was taken).
 */
static inline int mica_ring_front_get(struct mica_ring_front *f, void *rsp,
                                      size_t len)
{
    return mica_ring_take_(&f->a, &f->rsp_cons, mica_ring_front_unconsumed(f),
                           rsp, len);
}

/*
 * Call when no response is waiting, before sleeping on the event channel:
 * asks (rsp_event) for a notification on the next response, then looks
 * once more. Returns 1 if responses arrived meanwhile (do not sleep), 0 if
 * the caller may sleep until notified, -EIO as mica_ring_front_get().
 */
static inline int mica_ring_front_final_check(struct mica_ring_front *f)
{
    return mica_ring_final_check_(&f->a.sring->rsp_event, &f->a.sring->rsp_prod,
                                  f->rsp_cons, f->rsp_cons,
                                  f->req_pushed - f->rsp_cons);
}

/*
 * Attach the back end to a shared area the front end initialised; as
 * mica_ring_front_attach(), with the same area size and entry size.
 */
static inline int mica_ring_back_attach(struct mica_ring_back *b, void *area,
                                        size_t area_size, size_t entry_size,
                                        uint32_t idx)
{
    b->rsp_prod_pvt = b->rsp_pushed = b->req_cons = idx;
    return mica_ring_area_attach_(&b->a, area, area_size, entry_size);
}

/*
 * Requests waiting to be taken. Returns the count, or -EIO if the front
 * end's req_prod claims more outstanding requests than there are slots, or
 * moved back behind what we already took.
 */
static inline int mica_ring_back_unconsumed(const struct mica_ring_back *b)
{
    /* Index before slots: pairs with the release in mica_ring_publish_(). */
    return mica_ring_avail(MICA_RING_LOAD_ACQUIRE(&b->a.sring->req_prod),
                           b->req_cons, b->rsp_prod_pvt, b->a.nr_ents);
}

/*
 * Copy the next request out of its slot into `req` (`len` <= entry_size).
 * Returns 1 if one was taken, 0 if none is waiting, -EIO if the front end's
 * index is impossible (tear the ring down; nothing was taken).
 */
static inline int mica_ring_back_get(struct mica_ring_back *b, void *req,
                                     size_t len)
{
    return mica_ring_take_(&b->a, &b->req_cons, mica_ring_back_unconsumed(b),
                           req, len);
}

/*
 * Copy a response into the slot of the oldest request not yet answered,
 * unpublished until mica_ring_back_push(). Returns 0, or -ENOSPC if every
 * request taken so far has been answered.
 */
static inline int mica_ring_back_put(struct mica_ring_back *b, const void *rsp,
                                     size_t len)
{
    if ( b->rsp_prod_pvt == b->req_cons )
        return -ENOSPC;
    memcpy(mica_ring_slot(&b->a, b->rsp_prod_pvt++), rsp, len);
    return 0;
}

/*
 * Publish the responses put so far (rsp_prod). Returns true if the front
 * end must be notified (rsp_event fell among them).
 */
static inline bool mica_ring_back_push(struct mica_ring_back *b)
{
    return mica_ring_publish_(&b->a.sring->rsp_prod, &b->a.sring->rsp_event,
                              &b->rsp_pushed, b->rsp_prod_pvt);
}

/*
 * The back end's final check before sleeping, through req_event; as
 * mica_ring_front_final_check(), for requests.
 */
static inline int mica_ring_back_final_check(struct mica_ring_back *b)
{
    return mica_ring_final_check_(&b->a.sring->req_event, &b->a.sring->req_prod,
                                  b->req_cons, b->rsp_prod_pvt, b->a.nr_ents);
}

/*
 * MICA_RING_DEFINE(name, req_type, rsp_type) defines, for one protocol:
 *
 *   union name_ring_entry   one slot (a request or a response);
 *   struct name_sring       the shared layout (header, then the slots);
 *   struct name_front/back  each end's private state;
 *   name_front_attach/put/push/get/final_check/free and
 *   name_back_attach/get/put/push/final_check/unconsumed, typed wrappers
 *   with the contracts of the mica_ring_* functions they call.
 *
 * Slots start at offset 64 of a (page-aligned) area, so a slot type may not
 * need more than 64-byte alignment.
 */
#define MICA_RING_DEFINE(name, req_type, rsp_type)                             \
    union name##_ring_entry                                                    \
    {                                                                          \
        req_type req;                                                          \
        rsp_type rsp;                                                          \
    };                                                                         \
    struct name##_sring                                                        \
    {                                                                          \
        struct mica_sring_header hdr;                                          \
        union name##_ring_entry ring[];                                        \
    };                                                                         \
    _Static_assert(offsetof(struct name##_sring, ring) ==                      \
                       MICA_RING_HEADER_SIZE,                                  \
                   #name ": slots must start at offset 64");                   \
    struct name##_front                                                        \
    {                                                                          \
        struct mica_ring_front r;                                              \
    };                                                                         \
    struct name##_back                                                         \
    {                                                                          \
        struct mica_ring_back r;                                               \
    };                                                                         \
    MICA_RING_DEFINE_FRONT_(name, req_type, rsp_type)                          \
    MICA_RING_DEFINE_BACK_(name, req_type, rsp_type)                           \
    struct name##_ring_unused_ /* swallows the caller's semicolon */

#define MICA_RING_DEFINE_FRONT_(name, req_type, rsp_type)                      \
    static inline int name##_front_attach(struct name##_front *f, void *area,  \
                                          size_t size, uint32_t idx)           \
    {                                                                          \
        return mica_ring_front_attach(&f->r, area, size,                       \
                                      sizeof(union name##_ring_entry), idx);   \
    }                                                                          \
    static inline int name##_front_put(struct name##_front *f,                 \
                                       const req_type *req)                    \
    {                                                                          \
        return mica_ring_front_put(&f->r, req, sizeof(*req));                  \
    }                                                                          \
    static inline bool name##_front_push(struct name##_front *f)               \
    {                                                                          \
        return mica_ring_front_push(&f->r);                                    \
    }                                                                          \
    static inline int name##_front_get(struct name##_front *f, rsp_type *rsp)  \
    {                                                                          \
        return mica_ring_front_get(&f->r, rsp, sizeof(*rsp));                  \
    }                                                                          \
    static inline int name##_front_final_check(struct name##_front *f)         \
    {                                                                          \
        return mica_ring_front_final_check(&f->r);                             \
    }                                                                          \
    static inline uint32_t name##_front_free(const struct name##_front *f)     \
    {                                                                          \
        return mica_ring_front_free(&f->r);                                    \
    }

#define MICA_RING_DEFINE_BACK_(name, req_type, rsp_type)                       \
    static inline int name##_back_attach(struct name##_back *b, void *area,    \
                                         size_t size, uint32_t idx)            \
    {                                                                          \
        return mica_ring_back_attach(&b->r, area, size,                        \
                                     sizeof(union name##_ring_entry), idx);    \
    }                                                                          \
    static inline int name##_back_get(struct name##_back *b, req_type *req)    \
    {                                                                          \
        return mica_ring_back_get(&b->r, req, sizeof(*req));                   \
    }                                                                          \
    static inline int name##_back_put(struct name##_back *b,                   \
                                      const rsp_type *rsp)                     \
    {                                                                          \
        return mica_ring_back_put(&b->r, rsp, sizeof(*rsp));                   \
    }                                                                          \
    static inline bool name##_back_push(struct name##_back *b)                 \
    {                                                                          \
        return mica_ring_back_push(&b->r);                                     \
    }                                                                          \
    static inline int name##_back_final_check(struct name##_back *b)           \
    {                                                                          \
        return mica_ring_back_final_check(&b->r);                              \
    }                                                                          \
    static inline int name##_back_unconsumed(const struct name##_back *b)      \
    {                                                                          \
        return mica_ring_back_unconsumed(&b->r);                               \
    }

#endif /* MICA_RINGBUF_H */
