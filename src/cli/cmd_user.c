/* cmd_user: `haven user` (being built; see docs/staff-workspace.md). */
#include "cli/cli.h"

int cmd_user(int argc, char **argv)
{
    (void)argc, (void)argv;
    die("\"haven user\" is not available in this build yet");
}
