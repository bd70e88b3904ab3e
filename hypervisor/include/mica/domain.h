/*
 * Domains and vCPUs (generic part).
 *
 * A domain owns memory, a shared_info page and up to MAX_VCPUS vCPUs.
 * The life cycle is: created -> running -> (shut down | crashed) -> dying
 * -> destroyed. A domain is never freed while another structure still
 * points at it. A domain has 1 to MAX_VCPUS vCPUs, all created with the
 * domain; every vCPU but the first starts down (Xen's _VPF_down) until
 * the guest gives it a context (VCPUOP_initialise) and brings it up. The
 * scheduler shares the one physical CPU among all vCPUs of all domains.
 */
#ifndef MICA_DOMAIN_H
#define MICA_DOMAIN_H

#include <asm/domain.h>
#include <mica/env.h>
#include <mica/sched_credit.h>
#include <mica/timer.h>
#include <public/vcpu.h>
#include <public/xen.h>

#define MAX_VCPUS 32
#define MAX_POLL_PORTS 128

struct evtchn_domain;
struct grant_table;

/* What a vCPU blocked in SCHEDOP_poll waits for. */
struct vcpu_poll
{
    bool active;
    uint32_t nr_ports;
    uint32_t ports[MAX_POLL_PORTS];
};

struct vcpu
{
    unsigned int vcpu_id;
    struct domain *domain;
    struct vcpu_info *vcpu_info;    /* hypervisor VA of this vCPU's info */
    unsigned long vcpu_info_mfn;    /* registered frame; 0: shared_info */
    struct csched_unit sched;
    bool blocked;                   /* waiting for an event or a poll */
    bool stopped;                   /* its domain shut down or crashed */
    struct vcpu_poll poll;
    struct timer singleshot_timer, periodic_timer, poll_timer;
    uint64_t periodic_period;       /* ns; 0: no periodic timer */
    struct vcpu_runstate_info runstate;
    uint64_t runstate_guest;        /* guest VA of its copy; 0: none */
    bool runstate_pending;          /* that copy waits for kernel mode */
    uint64_t time_info_guest;       /* guest VA of its time copy; 0: none */
    bool time_info_pending;         /* that copy waits for kernel mode */
    unsigned int pause_count;       /* > 0: may not run (see vcpu_pause) */
    bool initialised;               /* has a context to run from */
    bool down;                      /* offline (holds one pause_count) */
    struct arch_vcpu arch;
};

/* The hypervisor's end of a boot-time domU's console ring. */
struct domain_console
{
    uint32_t port;                  /* the domain's port; 0: no ring */
    unsigned long mfn;
    unsigned int len;
    char line[160];                 /* text not yet ended by a newline */
};

struct domain
{
    domid_t domain_id;
    bool is_privileged;
    bool is_shutting_down;
    bool is_crashed;
    uint8_t shutdown_code;          /* SHUTDOWN_*; valid once shutting down */
    bool shutdown_code_set;         /* SCHEDOP_shutdown_code was used */
    unsigned long tot_pages, max_pages;
    struct shared_info *shared_info; /* hypervisor VA */
    unsigned long shared_info_mfn;
    unsigned int max_vcpus;
    struct vcpu *vcpu[MAX_VCPUS];
    char cmdline[MAX_GUEST_CMDLINE];
    struct evtchn_domain *evtchn;
    unsigned int evtchn_order;
    struct grant_table *grant_table;
    struct domain_console console;
    uint32_t weight, cap;           /* scheduler parameters */
    /* Domain control (common/domctl.c, common/domain_kill.c). */
    uint8_t is_dying;               /* DOMDYING_*: how far a kill got */
    uint8_t controller_pause_count; /* pauses by the toolstack */
    uint8_t handle[16];             /* the toolstack's UUID for it */
    int64_t time_offset;            /* seconds added to its wall clock */
    struct logdirty *logdirty;      /* NULL: log-dirty mode off */
    struct arch_domain arch;
};

struct domain *domain_create(domid_t id, bool privileged);
struct vcpu *vcpu_create(struct domain *d, unsigned int id);
/*
 * Give a domain that has vCPU 0 its vCPUs 1 .. max - 1, down and without
 * a context, each also paused once per controller pause. -ENOMEM leaves
 * the ones made so far (domain destruction frees them).
 */
int domain_add_vcpus(struct domain *d, unsigned int max);
/* A created domain (alive or stopped, not dying), or NULL. */
struct domain *domain_by_id(domid_t id);
/* Any domain still holding its slot, dying ones included, or NULL. */
struct domain *domain_slot(domid_t id);
/* Is any domain still running or able to run? */
bool any_domain_alive(void);

/*
 * A domain asked to stop (SCHEDOP_shutdown) or broke a rule (crash).
 * Dom0 stopping stops the machine. Another domain's vCPUs leave the
 * scheduler, its state is printed and the others keep running (freeing
 * its memory is domain destruction, a later step). domain_crash never
 * returns to the caller: it goes on with the next vCPU to run.
 */
void domain_shutdown(struct domain *d, unsigned int reason);
void domain_crash(struct domain *d, const char *why)
    __attribute__((noreturn));

/*
 * Destruction (common/domain_kill.c). domain_kill stops the domain for
 * good and gives back everything it holds, in steps: it returns -ERESTART
 * when preempted (hypercall_preempt_check) and the next call goes on
 * where it stopped; 0 once the kill is complete, and on a dead domain.
 * Its result must not be ignored: a domain left DOMDYING_dying holds its
 * memory until someone calls again. domain_kill_all loops to the end, for
 * callers that cannot come back. Frames that other domains still map
 * stay until those mappings go: the domain lingers as "dying" until its
 * last frame is freed, then domain_release() frees its slot (called from
 * the frame-freeing path).
 */
#define DOMDYING_alive 0            /* not being destroyed */
#define DOMDYING_dying 1            /* a kill started and is not complete */
#define DOMDYING_dead  2            /* killed; others may still map frames */
int domain_kill(struct domain *d) __attribute__((warn_unused_result));
void domain_kill_all(struct domain *d);
void domain_release(struct domain *d);
/*
 * The arch half of a kill: returns the domain's remaining resources,
 * resumable like domain_kill (0 when done, -ERESTART when preempted,
 * progress in d->arch).
 */
int arch_domain_relinquish(struct domain *d);

/* Pauses by the toolstack: nest up to 255 (-EOVERFLOW), -EINVAL if none. */
int domain_pause_by_controller(struct domain *d);
int domain_unpause_by_controller(struct domain *d);

/* Tell dom0 (VIRQ_DOM_EXC) that some domain changed state. */
void domain_notify_state_change(void);

static inline bool is_hardware_domain(const struct domain *d)
{
    return d->domain_id == 0;
}

#endif /* MICA_DOMAIN_H */
