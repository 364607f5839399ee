/* cmd_audit: `haven audit` (being built; see docs/staff-workspace.md). */
#include "cli/cli.h"

int cmd_audit(int argc, char **argv)
{
    (void)argc, (void)argv;
    die("\"haven audit\" is not available in this build yet");
}
