#!/usr/bin/env python3
"""checksrc: the house rules of DESIGN.md §5 that a machine can check (in the spirit of curl's
checksrc). Run by `make lint`; prints one line per problem and exits 1 when there is any.

  - banned calls: strcpy strcat sprintf vsprintf gets atoi atol strtok
  - lines of at most 100 columns
  - every file opens with a comment that says what it is for ("/* name: ...")
  - an exported function's name begins with its file's name, its folder's, or a name the
    folder's header exports for it (store/users.c: store_...; modules/users/users.c: users_...)
  - the layers: cli -> modules -> web -> http; fhir, store and domain below; core under all
  - no two files and no two folders depend on each other in a loop
  - <microhttpd.h> only in http/, <sqlite3.h> only in store/sqlite/
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, 'src')
BANNED = re.compile(r'\b(strcpy|strcat|sprintf|vsprintf|gets|atoi|atol|strtok)\s*\(')
INCLUDE = re.compile(r'^#include "([^"]+)"', re.M)
SYS_INCLUDE = re.compile(r'^#include <([^>]+)>', re.M)
# A function definition at the start of a line: type, name, '(' ... and the body on a later line.
DEFINITION = re.compile(r'^(?!static\b)(?:[a-z_][\w \*]*?[\s\*])([a-z_]\w*)\(([^;{]*?)\)\s*\n\{',
                        re.M)

# What each layer may include (folders under src/); main.c stands above them all.
LAYERS = {
    'core': {'core'},
    'domain': {'core', 'domain'},
    'http': {'core', 'http'},
    'store': {'core', 'domain', 'store'},
    'fhir': {'core', 'domain', 'fhir'},
    'web': {'core', 'domain', 'http', 'store', 'web'},
    'modules': {'core', 'domain', 'http', 'store', 'web', 'fhir', 'modules'},
    'cli': {'core', 'domain', 'http', 'store', 'web', 'fhir', 'modules', 'cli'},
}
# Prefixes a folder's files may export under besides their own names.
FOLDER_PREFIXES = {
    'store': ('store_', 'db_'),
    'store/sqlite': ('db_',),
    'cli': ('cmd_', 'cli_', 'die'),
}
# Files whose short prefix is older than this rule and used everywhere (DESIGN.md names them).
FILE_PREFIXES = {
    'core/xalloc.c': ('x',),      # xmalloc, xcalloc, xrealloc, xstrdup: DESIGN.md §5
    'domain/messages.c': ('msg',),  # msg(), msg_join(): every page's text goes through them
}

problems = []


def problem(path, line, text):
    problems.append(f'{os.path.relpath(path, ROOT)}:{line}: {text}')


def files(*dirs, exts=('.c', '.h')):
    for d in dirs:
        for base, _, names in os.walk(os.path.join(ROOT, d)):
            for n in sorted(names):
                if n.endswith(exts):
                    yield os.path.join(base, n)


def check_text(path, text):
    for i, line in enumerate(text.split('\n'), 1):
        if BANNED.search(line) and not line.lstrip().startswith(('*', '/*', '//')):
            problem(path, i, 'banned function (DESIGN.md §5): ' + BANNED.search(line).group(1))
        if len(line.expandtabs(4)) > 100:
            problem(path, i, f'line longer than 100 columns ({len(line.expandtabs(4))})')
    if not re.match(r'/\* ?[\w.\-]+[:\s]', text):
        problem(path, 1, 'no purpose comment at the top ("/* name: what it is for")')


def module_of(rel):
    """The node of the file graph: a .c, its .h and its X_internal.h (what the module's own
    files share) are one module."""
    node = os.path.splitext(rel)[0]
    return node[:-len('_internal')] if node.endswith('_internal') else node


def folder_of(rel):
    parts = rel.split('/')
    if parts[0] == 'modules' and len(parts) > 2:
        return 'modules/' + parts[1]
    if parts[0] == 'store' and len(parts) > 2:
        return 'store/' + parts[1]
    return parts[0] if len(parts) > 1 else '.'


def layer_of(rel):
    return rel.split('/')[0] if '/' in rel else None


def find_cycle(graph):
    """One cycle in a directed graph, as a list of nodes, or None."""
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if not state.get(m):
                c = visit(m)
                if c:
                    return c
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if not state.get(n):
            c = visit(n)
            if c:
                return c
    return None


def symbol_graph():
    """Which object file uses a function or variable another defines (nm), so that a loop
    through a shared header (a.c calls b.c calls a.c, both declared in one .h) is seen too.
    Empty when the objects are not built."""
    import subprocess
    objdir = os.path.join(ROOT, 'build', 'obj', 'src')
    defs, uses = {}, {}
    for base, _, names in os.walk(objdir):
        for n in names:
            if not n.endswith('.o'):
                continue
            path = os.path.join(base, n)
            node = os.path.splitext(os.path.relpath(path, objdir))[0]
            if not os.path.exists(os.path.join(SRC, node + '.c')):
                continue  # an object of a source that is gone
            out = subprocess.run(['nm', path], capture_output=True, text=True).stdout
            for line in out.splitlines():
                parts = line.split()
                if len(parts) == 3 and parts[1] in 'TDBR':
                    defs[parts[2]] = node
                elif len(parts) == 2 and parts[0] == 'U':
                    uses.setdefault(node, set()).add(parts[1])
    graph = {}
    for node, syms in uses.items():
        for sym in syms:
            target = defs.get(sym)
            if target and target != node:
                graph.setdefault(node, set()).add(target)
    return graph


def main():
    file_graph, folder_graph = {}, {}
    for path in files('src', 'tests/unit', 'tests/fuzz'):
        with open(path, encoding='utf-8') as f:
            text = f.read()
        check_text(path, text)
        if not path.startswith(SRC + os.sep):
            continue
        rel = os.path.relpath(path, SRC)
        node, folder, layer = module_of(rel), folder_of(rel), layer_of(rel)
        for inc in INCLUDE.findall(text):
            if inc.startswith(('embedded', 'gen/')):
                continue
            target = module_of(inc)
            if target != node:
                file_graph.setdefault(node, set()).add(target)
            tf = folder_of(inc)
            if tf != folder and not (folder.startswith(tf + '/') or tf.startswith(folder + '/')):
                folder_graph.setdefault(folder, set()).add(tf)
            if layer and inc.split('/')[0] not in LAYERS.get(layer, {inc.split('/')[0]}):
                problem(path, 1, f'{layer}/ may not include {inc} (DESIGN.md §2: layers)')
        for inc in SYS_INCLUDE.findall(text):
            if inc == 'microhttpd.h' and layer != 'http':
                problem(path, 1, '<microhttpd.h> outside http/')
            if inc == 'sqlite3.h' and not rel.startswith('store/sqlite/'):
                problem(path, 1, '<sqlite3.h> outside store/sqlite/')
        if path.endswith('.c') and rel != 'main.c':
            base = os.path.splitext(os.path.basename(rel))[0]
            allowed = ((base + '_', folder.split('/')[-1] + '_') + FOLDER_PREFIXES.get(folder, ()) +
                       FILE_PREFIXES.get(rel, ()))
            for m in DEFINITION.finditer(text):
                name = m.group(1)
                if not name.startswith(allowed) and name != base:
                    line = text.count('\n', 0, m.start()) + 1
                    problem(path, line, f'exported {name}() does not begin with '
                                        f'{" or ".join(a for a in allowed)}')
    for node, targets in symbol_graph().items():
        file_graph.setdefault(node, set()).update(targets)
        for t in targets:
            a, b = folder_of(node + '.c'), folder_of(t + '.c')
            if a != b and not (a.startswith(b + '/') or b.startswith(a + '/')):
                folder_graph.setdefault(a, set()).add(b)
    cycle = find_cycle(file_graph)
    if cycle:
        problem(os.path.join(SRC, cycle[0] + '.c'), 1, 'files depend on each other in a loop: ' +
                ' -> '.join(cycle))
    cycle = find_cycle(folder_graph)
    if cycle:
        problem(SRC, 1, 'folders depend on each other in a loop: ' + ' -> '.join(cycle))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
