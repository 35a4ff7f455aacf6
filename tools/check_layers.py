#!/usr/bin/env python3
"""Checks the library's object files for layering problems.

Usage: check_layers.py NM LIBRARY.a

Reads the defined and undefined symbols of each object file of the static
library with `nm` and fails (exit 1) when
  - two or more source files depend on each other in a cycle, or
  - a global symbol the library defines lacks the `sipmsg_` prefix.
With -v it prints the dependency order (lowest layer first).
"""
import subprocess
import sys


def read_objects(nm, lib):
    out = subprocess.run([nm, "-A", "-P", lib], check=True,
                         capture_output=True, text=True).stdout
    defined, undefined = {}, {}
    for line in out.splitlines():
        # "lib.a[obj.o]: sym T value size" (GNU nm -A -P)
        head, _, rest = line.partition(": ")
        if not rest:
            continue
        obj = head[head.rfind("[") + 1:-1] if head.endswith("]") else head
        obj = obj.split(".c.o")[0].split(".o")[0]
        fields = rest.split()
        if len(fields) < 2:
            continue
        sym, kind = fields[0], fields[1]
        if kind == "U":
            undefined.setdefault(obj, set()).add(sym)
        elif kind.isupper() and kind not in "N":
            defined.setdefault(obj, set()).add(sym)
        defined.setdefault(obj, set())
        undefined.setdefault(obj, set())
    return defined, undefined


def main(argv):
    verbose = "-v" in argv
    args = [a for a in argv[1:] if a != "-v"]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    nm, lib = args
    defined, undefined = read_objects(nm, lib)
    owner = {}
    for obj, syms in defined.items():
        for s in syms:
            owner[s] = obj
    bad = []
    for obj, syms in sorted(defined.items()):
        for s in sorted(syms):
            # compiler-made symbols (ASan's __odr_asan.*, i386's
            # __x86.get_pc_thunk.*) start with "__", a name reserved to the
            # implementation
            if not s.startswith("sipmsg_") and not s.startswith("__"):
                bad.append(f"{obj}: global symbol '{s}' lacks the sipmsg_ prefix")
    deps = {obj: sorted({owner[s] for s in undefined[obj]
                         if s in owner and owner[s] != obj})
            for obj in defined}
    # Tarjan's strongly connected components: any component of size > 1 is a cycle.
    index, low, stack, on, comps = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in deps[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            comps.append(comp)

    sys.setrecursionlimit(10000)
    for v in sorted(deps):
        if v not in index:
            visit(v)
    for comp in comps:
        if len(comp) > 1:
            comp = sorted(comp)
            edges = [f"{a} -> {b}" for a in comp for b in deps[a] if b in comp]
            bad.append("cycle between " + ", ".join(comp) + ": " + "; ".join(edges))
    if verbose:
        # comps come out in reverse topological order: dependencies first.
        print("dependency order (each file uses only files above it):")
        for comp in comps:
            for v in sorted(comp):
                print(f"  {v}: {' '.join(deps[v]) or '-'}")
    for b in bad:
        print("check_layers: " + b, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
