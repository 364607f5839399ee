/* embed: lookup over the generated table; a handful of files, so a linear scan is enough. */
#include "core/embed.h"

#include <string.h>

const struct embedded_file *embed_find(const char *name)
{
    for (size_t i = 0; i < embedded_files_count; i++)
        if (strcmp(embedded_files[i].name, name) == 0)
            return &embedded_files[i];
    return NULL;
}
