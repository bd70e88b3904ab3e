/*
 * WATCH, UNWATCH, RESET_WATCHES.  WATCH takes exactly <path> <token>; the
 * acknowledgement goes out before the first event, as clients expect.
 */
#include <errno.h>
#include <string.h>

#include "xsd.h"

#define PATHBUF (XSW_PAYLOAD_MAX + 64)

static int watch_args(struct xsd_req *req, char *path, const char **token,
                      size_t *strip)
{
    const char *vec[2];

    if ( xsd_req_strings(req, vec, 2) != 2 )
        return -EINVAL;
    *token = vec[1];
    *strip = 0;
    if ( xsd_special_path(vec[0]) )
    {
        if ( strlen(vec[0]) > XSW_REL_PATH_MAX )
            return -EINVAL;
        strcpy(path, vec[0]);
        return 0;
    }
    if ( vec[0][0] != '/' )
        *strip = strlen(req->conn->home);
    if ( xsd_canonical(req->conn, vec[0], path, PATHBUF) ||
         !xsd_path_valid(req->conn->xsd, path) )
        return -EINVAL;
    return 0;
}

int xsd_op_watch(struct xsd_req *req)
{
    char path[PATHBUF];
    const char *token, *ev;
    size_t strip;
    int rc = watch_args(req, path, &token, &strip);

    if ( !rc )
        rc = xsd_watch_add(req->conn, path, token, strip);
    if ( !rc )
        rc = xsd_ack(req);
    if ( rc )
        return rc;
    ev = path + strip;
    if ( strip && *ev == '/' )
        ev++;
    xsd_queue_event(req->conn, ev, token);
    return 0;
}

int xsd_op_unwatch(struct xsd_req *req)
{
    char path[PATHBUF];
    const char *token;
    size_t strip;
    int rc = watch_args(req, path, &token, &strip);

    if ( !rc )
        rc = xsd_watch_del(req->conn, path, token);
    return rc ? rc : xsd_ack(req);
}

int xsd_op_reset_watches(struct xsd_req *req)
{
    xsd_watch_free_all(req->conn);
    xsd_txn_free_all(req->conn);
    return xsd_ack(req);
}
