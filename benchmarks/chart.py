#!/usr/bin/env python3
"""Turns a JMH JSON result of the Readthrough benchmarks into the results section of
docs/performance.md (tables and targets) and an SVG chart. Python standard library only.

    python3 benchmarks/chart.py --mode quick --target benchmarks/target --docs docs
"""

import argparse
import html
import json
import math
import re
from pathlib import Path

CASES = [
    ("floor", "floor: Redisson GET + Kryo"),
    ("lettuceFloor", "floor: Lettuce GET + Kryo"),
    ("wovenHit", "Readthrough woven hit"),
    ("wovenHitSharedClient", "Readthrough woven hit, client handed in"),
    ("wovenMiss", "Readthrough woven miss"),
    ("springHit", "Spring @Cacheable hit"),
    ("jetcacheHit", "JetCache @Cached hit"),
]
COLORS = {
    "floor": "#6b7280",
    "lettuceFloor": "#9ca3af",
    "wovenHit": "#2563eb",
    "wovenHitSharedClient": "#1e40af",
    "wovenMiss": "#93c5fd",
    "springHit": "#16a34a",
    "jetcacheHit": "#ea580c",
}
FORMATS = [("readthrough", "Readthrough codec"), ("kryo", "plain Kryo (floor)"),
           ("jdk", "JDK serialization"), ("jackson", "Jackson JSON")]


# ---------------------------------------------------------------- loading

def metric(entry, name):
    m = entry.get("secondaryMetrics", {}).get(name)
    return None if m is None else (m["score"], m.get("scoreError"))


def load(target, mode):
    raw = json.loads((target / f"jmh-{mode}.json").read_text())
    rows = {}
    for e in raw:
        cls, method = e["benchmark"].rsplit(".", 1)
        cls = cls.rsplit(".", 1)[1]
        params = e.get("params", {})
        key = (cls, method, params.get("value"), params.get("format"))
        pm = e["primaryMetric"]
        rows[key] = {
            "threads": e["threads"],
            "wall": (pm["score"], pm.get("scoreError")),
            "unit": pm["scoreUnit"],
            "alloc": metric(e, "gc.alloc.rate.norm"),
            "cpu": metric(e, "cpu.time.norm"),
            "util": metric(e, "cpu.util"),
        }
    return rows


def load_machine(target, mode):
    info = {}
    path = target / f"machine-{mode}.txt"
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                info[k] = v
    return info


def load_stats(target, mode):
    """The ENGINE-STATS lines the woven states print at the end of each trial (TrialEngine),
    summed over the forks, by (class, case, value)."""
    stats = {}
    path = target / f"jmh-{mode}.log"
    if not path.exists():
        return stats
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("ENGINE-STATS "):
            fields = dict(kv.split("=", 1) for kv in line.split()[1:])
            key = (fields["class"], fields["case"], fields.get("value"))
            total = stats.setdefault(key, dict.fromkeys(("hits", "misses", "shared", "errors", "bypassed"), 0))
            for k in total:  # summed over the forks
                total[k] += int(fields[k])
    return stats


# ---------------------------------------------------------------- formatting

def num(x, digits=3):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if abs(x) < 0.01:
        return "≈ 0"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}g}"


def us(pair):
    """ns value with error, shown in microseconds."""
    if pair is None:
        return "n/a"
    score, err = pair
    err_s = "" if err is None or math.isnan(err) else f" ± {err / 1000:.1f}"
    return f"{score / 1000:.1f}{err_s}"


def ratio(a, b):
    if a is None or b is None or b[0] == 0:
        return None
    return a[0] / b[0]


def rx(r):
    return "n/a" if r is None else f"{r:.2f}×"


def met(ok, missing=False):
    if missing:
        return "**NOT MEASURED** (rows missing)" if ok else "**NOT MET** (some rows missing)"
    return "**MET**" if ok else "**NOT MET**"


# ---------------------------------------------------------------- sections

def redis_table(rows, stats):
    out = ["| Case | Threads | Value | Wall µs/op | × floor | Alloc B/op | × floor | CPU µs/op | × floor |",
           "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    notes = []
    for threads, cls in ((1, "Redis1Thread"), (16, "Redis16Threads")):
        for value in ("small", "large"):
            floor = rows.get((cls, "floor", value, None))
            for case, label in CASES:
                r = rows.get((cls, case, value, None))
                if r is None:
                    # a woven trial with errors or bypassed calls fails on purpose (TrialEngine)
                    s = stats.get((cls, case, value)) if case.startswith("woven") else None
                    if s and (s["errors"] or s["bypassed"]):
                        out.append(f"| {label} ⚠ | {threads} | {value} | invalid run | | | | | |")
                        notes.append(
                            f"⚠ {label}, {threads} thread(s), {value}: no score, the run had {s['errors']} errors and "
                            f"{s['bypassed']} bypassed calls out of {s['hits'] + s['misses'] + s['shared'] + s['bypassed']}"
                            " (errors: Redis operations that failed or timed out; bypassed calls ran the method without Redis)")
                    else:
                        out.append(f"| {label} | {threads} | {value} | missing | | | | | |")
                    continue
                fa = floor["alloc"] if floor else None
                fc = floor["cpu"] if floor else None
                out.append(
                    f"| {label} | {threads} | {value} | {us(r['wall'])} | {rx(ratio(r['wall'], floor['wall'] if floor else None))} "
                    f"| {num(r['alloc'][0] if r['alloc'] else None)} | {rx(ratio(r['alloc'], fa))} "
                    f"| {us(r['cpu'])} | {rx(ratio(r['cpu'], fc))} |")
    return "\n".join(out), notes


def small_table(rows):
    out = ["| Case | Threads | Wall ns/op | Alloc B/op | CPU ns/op |", "|---|---:|---:|---:|---:|"]
    items = [(("RoundTrip1Thread", "roundTrip", None, None), "Redis round trip (GET of an absent key)"),
             (("RoundTrip16Threads", "roundTrip", None, None), "Redis round trip (GET of an absent key)"),
             (("Advice", "plainMethod", None, None), "the method, unwoven"),
             (("Advice", "adviceOnly", None, None), "woven method, no engine (advice alone)")]
    for key, label in items:
        r = rows.get(key)
        if r is None:
            out.append(f"| {label} | | missing | | |")
            continue
        w, e = r["wall"]
        err = "" if e is None or math.isnan(e) else f" ± {num(e)}"
        out.append(f"| {label} | {r['threads']} | {num(w)}{err} | {num(r['alloc'][0] if r['alloc'] else None)} "
                   f"| {num(r['cpu'][0] if r['cpu'] else None)} |")
    return "\n".join(out)


def serialization_table(rows, sizes):
    out = ["| Format | Value | Size B | Encode ns/op | Decode ns/op | Encode alloc B/op | Decode alloc B/op |",
           "|---|---|---:|---:|---:|---:|---:|"]
    for value in ("small", "large"):
        for fmt, label in FORMATS:
            enc = rows.get(("Serialization", "encode", value, fmt))
            dec = rows.get(("Serialization", "decode", value, fmt))
            size = sizes.get(value, {}).get(fmt)
            if enc is None and dec is None:
                continue

            def w(r):
                if r is None:
                    return "n/a"
                s, e = r["wall"]
                return f"{num(s)}" + ("" if e is None or math.isnan(e) else f" ± {num(e)}")

            out.append(f"| {label} | {value} | {size if size is not None else 'n/a'} | {w(enc)} | {w(dec)} "
                       f"| {num(enc['alloc'][0]) if enc and enc['alloc'] else 'n/a'} "
                       f"| {num(dec['alloc'][0]) if dec and dec['alloc'] else 'n/a'} |")
    return "\n".join(out)


def targets(rows, sizes):
    lines = []

    def get(cls, case, value):
        return rows.get((cls, case, value, None))

    combos = [(t, cls, v) for t, cls in ((1, "Redis1Thread"), (16, "Redis16Threads")) for v in ("small", "large")]

    # 1. hit alloc and CPU against the floor
    ok_all, detail, missing = True, [], False
    for t, cls, v in combos:
        f, h = get(cls, "floor", v), get(cls, "wovenHit", v)
        if not (f and h and f["alloc"] and h["alloc"] and f["cpu"] and h["cpu"]):
            missing = True
            detail.append(f"{t} thr/{v}: missing")
            continue
        extra = h["alloc"][0] - f["alloc"][0]
        cpu_r = h["cpu"][0] / f["cpu"][0]
        ok = extra <= 512 and cpu_r <= 1.10
        ok_all &= ok
        detail.append(f"{t} thr/{v}: alloc {extra:+,.0f} B, CPU {cpu_r:.2f}× {'✓' if ok else '✗'}")
    lines.append(f"1. Woven hit ≤ floor alloc + 512 B and ≤ 1.10× floor CPU, at 1 and 16 threads: "
                 f"{met(ok_all, missing)} — " + "; ".join(detail) + ".")

    # 2. hit against Spring and JetCache
    ok_all, detail, missing = True, [], False
    for t, cls, v in combos:
        h = get(cls, "wovenHit", v)
        for other, name in (("springHit", "Spring"), ("jetcacheHit", "JetCache")):
            o = get(cls, other, v)
            if not (h and o and h["alloc"] and o["alloc"] and h["cpu"] and o["cpu"]):
                missing = True
                detail.append(f"{t} thr/{v} vs {name}: missing")
                continue
            ok = h["alloc"][0] < o["alloc"][0] and h["cpu"][0] < o["cpu"][0]
            ok_all &= ok
            detail.append(f"{t} thr/{v} vs {name}: alloc {h['alloc'][0] / o['alloc'][0]:.2f}×, "
                          f"CPU {h['cpu'][0] / o['cpu'][0]:.2f}× {'✓' if ok else '✗'}")
    lines.append(f"2. Woven hit allocates less and uses less CPU than Spring and JetCache: {met(ok_all, missing)} — "
                 + "; ".join(detail) + ".")

    # 3. wall time
    ok_all, detail, missing = True, [], False
    for t, cls, v in combos:
        f, h = get(cls, "floor", v), get(cls, "wovenHit", v)
        if not (f and h):
            missing = True
            detail.append(f"{t} thr/{v}: missing")
            continue
        if t == 1:
            r = h["wall"][0] / f["wall"][0]
            ok = r <= 1.10
            detail.append(f"1 thr/{v}: {r:.2f}× floor time {'✓' if ok else '✗'}")
        else:
            r = f["wall"][0] / h["wall"][0]
            ok = r >= 0.90
            detail.append(f"16 thr/{v}: {r:.2f}× floor throughput {'✓' if ok else '✗'}")
        ok_all &= ok
    lines.append(f"3. Wall: woven hit within 1.10× floor at 1 thread and ≥ 0.90× floor throughput at 16 threads: "
                 f"{met(ok_all, missing)} — " + "; ".join(detail) + ".")

    # 4. miss
    ok_all, detail, missing = True, [], False
    plain = rows.get(("Advice", "plainMethod", None, None))
    method_ns = plain["wall"][0] if plain else 0.0
    for t, cls, v in combos:
        m = get(cls, "wovenMiss", v)
        rt = rows.get(("RoundTrip1Thread" if t == 1 else "RoundTrip16Threads", "roundTrip", None, None))
        if not (m and rt and plain):
            missing = True
            detail.append(f"{t} thr/{v}: missing")
            continue
        budget = method_ns + 1.2 * rt["wall"][0]
        ok = m["wall"][0] <= budget
        ok_all &= ok
        detail.append(f"{t} thr/{v}: {m['wall'][0] / 1000:.1f} µs vs budget {budget / 1000:.1f} µs "
                      f"({m['wall'][0] / rt['wall'][0]:.2f} round trips) {'✓' if ok else '✗'}")
    lines.append(f"4. Woven miss ≤ method time + 1.2× one Redis round trip (round trip measured at the same thread count; "
                 f"method {method_ns:.1f} ns): {met(ok_all, missing)} — " + "; ".join(detail) + ".")

    # 5. codec vs JDK
    ok_all, detail, missing = True, [], False
    for v in ("small", "large"):
        s_rt, s_jdk = sizes.get(v, {}).get("readthrough"), sizes.get(v, {}).get("jdk")
        e_rt, e_jdk = rows.get(("Serialization", "encode", v, "readthrough")), rows.get(("Serialization", "encode", v, "jdk"))
        d_rt, d_jdk = rows.get(("Serialization", "decode", v, "readthrough")), rows.get(("Serialization", "decode", v, "jdk"))
        if None in (s_rt, s_jdk, e_rt, e_jdk, d_rt, d_jdk):
            missing = True
            detail.append(f"{v}: missing")
            continue
        ok = s_rt < s_jdk and e_rt["wall"][0] < e_jdk["wall"][0] and d_rt["wall"][0] < d_jdk["wall"][0]
        ok_all &= ok
        detail.append(f"{v}: {s_rt} vs {s_jdk} B ({(1 - s_rt / s_jdk) * 100:.0f}% smaller), encode "
                      f"{e_jdk['wall'][0] / e_rt['wall'][0]:.1f}× faster, decode {d_jdk['wall'][0] / d_rt['wall'][0]:.1f}× faster "
                      f"{'✓' if ok else '✗'}")
    lines.append(f"5. Codec smaller and faster than JDK serialization on every value: {met(ok_all, missing)} — "
                 + "; ".join(detail) + ".")
    return "\n".join(lines)


# ---------------------------------------------------------------- chart

def chart(rows, mode, path):
    """Bars are ratios to the floor of the same group (floor = 1); labels give the absolute value."""
    panels = [("wall", "Wall time per op, × floor", "µs"), ("alloc", "Allocated per op, × floor", "KB"),
              ("cpu", "JVM CPU per op, × floor", "µs")]
    groups = [(t, cls, v) for t, cls in ((1, "Redis1Thread"), (16, "Redis16Threads")) for v in ("small", "large")]
    bar_h, gap, group_gap = 13, 3, 18
    label_w, panel_w, panel_gap, top, legend_h = 130, 250, 40, 56, 30
    group_h = len(CASES) * (bar_h + gap) + group_gap
    height = top + len(groups) * group_h + legend_h + 26
    width = label_w + len(panels) * (panel_w + panel_gap) + 10

    def ratio_of(cls, case, v, key):
        r, f = rows.get((cls, case, v, None)), rows.get((cls, "floor", v, None))
        if not (r and f and r[key] and f[key] and f[key][0]):
            return None
        return r, f, r[key][0] / f[key][0]

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">'
           f'Readthrough vs raw Redisson + Kryo, Spring and JetCache ({html.escape(mode)} run)</text>']
    for p, (key, title, unit) in enumerate(panels):
        x0 = label_w + p * (panel_w + panel_gap)
        vmax = 1.0
        for t, cls, v in groups:
            for case, _ in CASES:
                got = ratio_of(cls, case, v, key)
                if got:
                    vmax = max(vmax, got[2])
        svg.append(f'<text x="{x0 + panel_w / 2}" y="{top - 24}" text-anchor="middle" font-weight="bold">{title}</text>')
        step = nice_step(vmax)
        tick = 0.0
        bottom = top + len(groups) * group_h - group_gap
        while tick <= vmax * 1.0001:
            gx = x0 + tick / vmax * panel_w
            svg.append(f'<line x1="{gx:.1f}" y1="{top - 8}" x2="{gx:.1f}" y2="{bottom}" stroke="#e5e7eb"/>')
            svg.append(f'<text x="{gx:.1f}" y="{top - 10}" text-anchor="middle" fill="#6b7280" font-size="9">{fmt_tick(tick)}</text>')
            tick += step
        one = x0 + 1.0 / vmax * panel_w
        svg.append(f'<line x1="{one:.1f}" y1="{top - 8}" x2="{one:.1f}" y2="{bottom}" stroke="#374151" stroke-dasharray="3,2"/>')
        for g, (t, cls, v) in enumerate(groups):
            gy = top + g * group_h
            if p == 0:
                svg.append(f'<text x="{label_w - 8}" y="{gy + group_h / 2 - group_gap / 2 + 4}" text-anchor="end" font-weight="bold">'
                           f'{t} thread{"s" if t > 1 else ""}, {v}</text>')
            for i, (case, _) in enumerate(CASES):
                y = gy + i * (bar_h + gap)
                got = ratio_of(cls, case, v, key)
                if not got:
                    svg.append(f'<text x="{x0 + 2}" y="{y + bar_h - 3}" fill="#9ca3af" font-size="9">not measured</text>')
                    continue
                r, f, rat = got
                w = max(1.0, rat / vmax * panel_w)
                absolute = r[key][0] / 1000
                svg.append(f'<rect x="{x0}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{COLORS[case]}">'
                           f'<title>{html.escape(case)}, {t} thread(s), {v}: {absolute:.2f} {unit}/op, {rat:.2f}x floor</title></rect>')
                err = r[key][1]
                if key != "alloc" and err and not math.isnan(err):
                    e = err / f[key][0] / vmax * panel_w
                    cy = y + bar_h / 2
                    lo, hi = max(x0, x0 + w - e), min(x0 + panel_w, x0 + w + e)
                    svg.append(f'<line x1="{lo:.1f}" y1="{cy}" x2="{hi:.1f}" y2="{cy}" stroke="#111827" stroke-width="1" opacity="0.35"/>')
                text = f"{absolute:.1f} {unit}" + ("" if case == "floor" else f" ({rat:.2f}×)")
                tx, anchor, fill = x0 + w + 4, "start", "#111827"
                if w > panel_w - 80:
                    tx, anchor = x0 + w - 3, "end"
                    fill = "#111827" if case == "wovenMiss" else "white"
                svg.append(f'<text x="{tx:.1f}" y="{y + bar_h - 3}" text-anchor="{anchor}" fill="{fill}" font-size="9">{text}</text>')
    ly = height - legend_h + 5
    lx = label_w
    for case, label in CASES:
        svg.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{COLORS[case]}"/>')
        svg.append(f'<text x="{lx + 16}" y="{ly + 10}">{html.escape(label)}</text>')
        lx += 16 + 6 * len(label) + 18
    svg.append(f'<text x="{width - 10}" y="{ly + 24}" text-anchor="end" fill="#6b7280" font-size="9">'
               f'dashed line: the floor; whiskers: JMH 99.9% error (clipped); labels: absolute value per op</text>')
    svg.append("</svg>")
    path.write_text("\n".join(svg) + "\n")


def nice_step(vmax):
    raw = vmax / 4
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def fmt_tick(x):
    return f"{x:g}×" if x < 1000 else f"{x:,.0f}×"


# ---------------------------------------------------------------- document

def section(mode, rows, sizes, machine, stats):
    redis, notes = redis_table(rows, stats)
    parts = [
        f"### Results: {mode} run",
        "",
        f"Run {machine.get('date', 'n/a')} — {machine.get('duration_s', '?')} s of JMH.",
        "",
        "| Machine | |",
        "|---|---|",
        f"| Cores (`nproc`) | {machine.get('nproc', 'n/a')} |",
        f"| Memory | {machine.get('memory', 'n/a')} |",
        f"| CPU | {machine.get('cpu', 'n/a')} |",
        f"| Kernel | {machine.get('kernel', 'n/a')} |",
        f"| JDK | {machine.get('jdk', 'n/a')} |",
        f"| Readthrough measured | {machine.get('runtime', 'n/a')} |",
        f"| Load average before the run (1, 5, 15 min) | {machine.get('load_before', 'n/a')} |",
        f"| Load average after the run (includes the run's own 16-thread cases) | {machine.get('load_after', 'n/a')} |",
        f"| Priority of the JMH process | {machine.get('priority', 'normal')} |",
        f"| `--add-opens` the runtime's codec needed | {('`' + machine['add_opens'] + '`') if machine.get('add_opens') else 'none'} |",
        "",
        f"Command: `{machine.get('command', 'benchmarks/run.sh ' + mode)}`, which ran",
        "",
        "```",
        machine.get("jmh_command", "n/a"),
        "```",
        "",
        f"![chart](performance-{mode}.svg)",
        "",
        "#### Redis cases",
        "",
        "Wall is JMH's average time per operation (± its 99.9% error); with 16 threads it is per thread, so",
        "throughput relative to the floor is the inverse of the wall ratio. Alloc is `gc.alloc.rate.norm`;",
        "CPU is `cpu.time.norm` from `dev.readthrough.bench.CpuProfiler` (the benchmark JVM's process CPU time",
        "per operation; Redis's own CPU and time spent waiting are not in it).",
        "",
        redis,
        "",
    ]
    if notes:
        parts += [n + "  " for n in notes] + [""]
    parts += [
        "#### Round trip, method and advice",
        "",
        small_table(rows),
        "",
        "#### Serialization alone",
        "",
        serialization_table(rows, sizes),
        "",
        "#### Targets",
        "",
        targets(rows, sizes),
        "",
    ]
    return "\n".join(parts)


def write_doc(doc, mode, text):
    begin, end = f"<!-- BEGIN GENERATED: {mode} -->", f"<!-- END GENERATED: {mode} -->"
    block = f"{begin}\n{text}\n{end}"
    current = doc.read_text() if doc.exists() else "# Performance\n"
    if begin in current and end in current:
        pre, rest = current.split(begin, 1)
        _, post = rest.split(end, 1)
        current = pre + block + post
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(current)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", default="quick")
    ap.add_argument("--target", default="benchmarks/target", type=Path)
    ap.add_argument("--docs", default="docs", type=Path)
    args = ap.parse_args()
    rows = load(args.target, args.mode)
    sizes_path = args.target / f"sizes-{args.mode}.json"
    sizes = json.loads(sizes_path.read_text()) if sizes_path.exists() else {}
    machine = load_machine(args.target, args.mode)
    stats = load_stats(args.target, args.mode)
    args.docs.mkdir(parents=True, exist_ok=True)
    chart(rows, args.mode, args.docs / f"performance-{args.mode}.svg")
    write_doc(args.docs / "performance.md", args.mode, section(args.mode, rows, sizes, machine, stats))


if __name__ == "__main__":
    main()
