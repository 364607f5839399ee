/* users: the users module: the administrators' Users screen and the workspace settings. */
#ifndef HAVEN_USERS_H
#define HAVEN_USERS_H

#include "core/err.h"
#include "http/req.h"

enum err web_users(struct req *r);        /* GET  /staff/users */
enum err web_users_add(struct req *r);    /* POST /staff/users */
enum err web_users_action(struct req *r); /* POST /staff/users/ID/ACTION */
enum err web_settings(struct req *r);     /* POST /staff/settings */

#endif
