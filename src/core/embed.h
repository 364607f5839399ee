/* embed: files compiled into the binary (templates/, static/, migrations/) by tools/embed.c. */
#ifndef HAVEN_EMBED_H
#define HAVEN_EMBED_H

#include <stddef.h>

struct embedded_file {
    const char *name;          /* path relative to the repository, e.g. "static/haven.css" */
    const unsigned char *data; /* NUL-terminated for convenience; len excludes the NUL */
    size_t len;
};

extern const struct embedded_file embedded_files[];
extern const size_t embedded_files_count;

/* The file named `name`, or NULL. */
const struct embedded_file *embed_find(const char *name);

#endif
