#!/bin/sh
# test_layers.sh — the layers of ../shared/DESIGN.md §2 hold in the code that is built: which
# file calls which is read from the object files (nm: each one's defined and undefined global
# symbols; a function called or a variable used in another file is an arrow to that file), and
#  - each folder of src/ uses only the folders below it, as the Makefile's comment draws them
#    (LAYERS below says the same; a folder new to src/ must be given its place there);
#  - within each folder no file reaches, through any chain of calls, back to itself: the files of
#    a folder are layers too (monitor.h, kernel.h list them from the top down).
# A failure names the arrow (FILE -> FILE: SYMBOLS) or the circle, so it can be cut.
# Needs the objects of `make all` ($BUILD/obj/src/...; `make test` builds them first).
set -u
cd "$(dirname "$0")/.." || exit 1
OBJ=${BUILD:-build}/obj

# FOLDER, then what it may use besides itself: folders, or single files of one (src/kernel/sched:
# the kernel's part shared with the monitor, kobj.h's objects).
LAYERS='
src/cli src/monitor src/sdf
src/monitor src/sdf src/devices src/kernel/sched
src/sdf
src/devices src/kernel/sched
src/libmicrokit src/kernel
src/kernel
src/testapi
'

missing=
for c in src/*/*.c; do
    [ -f "$OBJ/${c%.c}.o" ] || missing="$missing $c"
done
if [ -n "$missing" ]; then
    echo "1..0 # SKIP not built (make all):$missing"
    exit 0
fi

# "FILE SYMBOL D|U" for every global symbol of every object (FILE without .c/.o)
syms=$(for c in src/*/*.c; do
    f=${c%.c}
    nm -P -g "$OBJ/$f.o" | awk -v f="$f" '{ print f, $1, ($2 == "U" || $2 == "w" || $2 == "v") ? "U" : "D" }'
done) || { echo "1..0 # SKIP nm failed"; exit 0; }

printf '%s\n' "$syms" | awk -v layers="$LAYERS" '
function folder(f) { sub(/\/[^\/]*$/, "", f); return f }
function say(ok, what) { n++; print (ok ? "ok " : "not ok ") n " - " what }
# depth-first search of the files of folder D from file U; a grey file met again closes a circle
function visit(u, d,    k, v) {
    colour[u] = 1
    path[++depth] = u
    for (k = 1; k <= nout[u]; k++) {
        v = out[u, k]
        if (folder(v) != d)
            continue
        if (colour[v] == 1)
            circle(v)
        else if (!colour[v])
            visit(v, d)
    }
    depth--
    colour[u] = 2
}
function circle(v,    j, s, from) {
    for (j = depth; j > 0 && path[j] != v; j--) {
    }
    s = ""
    for (; j <= depth; j++) {
        from = path[j]
        s = s "\n#   " from ".c -> " (j < depth ? path[j + 1] : v) ".c: " why[from, j < depth ? path[j + 1] : v]
    }
    circles[cur] = circles[cur] "\n# a circle:" s
}
{
    if ($3 == "D") { def[$2] = def[$2] " " $1; files[$1] = 1 } else { und[++nund] = $1 SUBSEP $2 }
    files[$1] = 1
}
END {
    nl = split(layers, line, "\n")
    for (i = 1; i <= nl; i++) {
        if (split(line[i], w, " ") == 0)
            continue
        order[++nf] = w[1]
        known[w[1]] = 1
        for (k = 2; k in w; k++)
            may[w[1], w[k]] = 1
        delete w
    }
    # the arrows: FILE -> the file defining what it uses (in its own folder if two define it)
    for (i = 1; i <= nund; i++) {
        split(und[i], p, SUBSEP)
        f = p[1]; s = p[2]
        if (!(s in def))
            continue # libc and the other libraries
        m = split(def[s], d, " ")
        t = d[1]
        for (k = 1; k <= m; k++)
            if (folder(d[k]) == folder(f))
                t = d[k]
        if (t == f)
            continue
        if (!((f, t) in why))
            out[f, ++nout[f]] = t
        why[f, t] = why[f, t] (why[f, t] == "" ? "" : " ") s
    }
    plan = 1 + 2 * nf
    print "1.." plan
    bad = ""
    for (f in files)
        if (!(folder(f) in known))
            bad = bad " " folder(f)
    say(bad == "", "every folder of src/ has its place in the layers")
    if (bad != "")
        print "# not in LAYERS (tests/test_layers.sh) nor in the Makefiles comment:" bad
    for (i = 1; i <= nf; i++) {
        cur = order[i]
        allowed = ""
        for (j = 1; j <= nf; j++)
            if ((cur, order[j]) in may)
                allowed = allowed " " order[j]
        for (key in may) {
            split(key, p, SUBSEP)
            if (p[1] == cur && !(p[2] in known))
                allowed = allowed " " p[2]
        }
        msg = ""
        for (f in files) {
            if (folder(f) != cur)
                continue
            for (k = 1; k <= nout[f]; k++) {
                t = out[f, k]
                if (folder(t) == cur || (cur, folder(t)) in may || (cur, t) in may)
                    continue
                msg = msg "\n#   " f ".c -> " t ".c: " why[f, t]
            }
        }
        say(msg == "", cur " uses " (allowed == "" ? "nothing outside it" : "only" allowed))
        if (msg != "")
            print "# arrows out of its layer:" msg
    }
    for (i = 1; i <= nf; i++) {
        cur = order[i]
        delete colour
        depth = 0
        for (f in files)
            if (folder(f) == cur && !colour[f])
                visit(f, cur)
        say(circles[cur] == "", "no circle among the files of " cur)
        if (circles[cur] != "")
            print substr(circles[cur], 2)
    }
}'
