/* cmd_user: the demo staff accounts `haven serve --demo` creates (see cmd_user.c). */
#ifndef HAVEN_CMD_USER_H
#define HAVEN_CMD_USER_H

struct store;

/* Creates, or re-keys, one account per role, ROLE@demo.haven, each with a fresh random
 * password printed once on stderr as "demo account: EMAIL password: PASSWORD" (and nowhere
 * else). Re-keying also enables the account, resets its roles to that one role and ends its
 * sessions. Only in a database whose accounts are all *@demo.haven: with any other account it
 * changes nothing and says so on stderr (a real database never gets printed passwords). 0, or
 * -1 (logged) when the store failed. */
int cmd_user_demo_accounts(struct store *s);

#endif
