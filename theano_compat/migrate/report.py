"""The scanner's report: what a codebase uses of Theano, and how much of it runs here."""

from __future__ import annotations

import os

from .scanner import iter_files, scan_file
from .status import DEVIATION, STATUSES, SUPPORTED, UNSUPPORTED, classify, classify_flag

_LOCATIONS_SHOWN = 4


def scan(path):
    """The report (a JSON-serialisable dict) of the file, folder or notebook at `path`."""
    base = path if os.path.isdir(path) else os.path.dirname(path)
    files, names = [], {}
    for file in iter_files(path):
        display = os.path.relpath(file, base) if base else file
        usages, problems, error = scan_file(file, display)
        files.append({"path": display, "python2": problems, "error": error,
                      "usages": len(usages)})
        for usage in usages:
            if usage.kind == "THEANO_FLAGS":
                status, name, reason = classify_flag(usage.name[len("theano.config."):],
                                                     usage.value)
            else:
                status, name, reason = classify(usage.name)
            entry = names.setdefault(name, {"name": name, "status": status, "reason": reason,
                                            "kinds": [], "count": 0, "locations": []})
            entry["count"] += 1
            entry["locations"].append(usage.where)
            if usage.kind not in entry["kinds"]:
                entry["kinds"].append(usage.kind)
    counts = dict.fromkeys(STATUSES, 0)
    for entry in names.values():
        counts[entry["status"]] += entry["count"]
    total = sum(counts.values())
    usable = counts[SUPPORTED] + counts[DEVIATION]
    summary = {"files": len(files),
               "python2_files": sum(1 for f in files if f["python2"]),
               "unreadable_files": sum(1 for f in files if f["error"]),
               "names": len(names), "usages": total, "by_status": counts,
               "supported_share": round(usable / total, 4) if total else 1.0}
    order = {s: k for k, s in enumerate((UNSUPPORTED, "unknown", DEVIATION, SUPPORTED))}
    usages = sorted(names.values(), key=lambda e: (order[e["status"]], -e["count"], e["name"]))
    return {"path": path, "files": files, "usages": usages, "summary": summary}


def summary_line(report):
    s = report["summary"]
    c = s["by_status"]
    return (f"{100 * s['supported_share']:.1f}% of {s['usages']} Theano API usages "
            f"({s['names']} names, {s['files']} files) are supported: {c['supported']} "
            f"supported, {c['deviation']} supported with a deviation, {c['unsupported']} "
            f"unsupported, {c['unknown']} unknown; {s['python2_files']} files still "
            "Python 2")


def format_text(report):
    """The report as text: Python 2 lines, then each name with its status, then the summary."""
    out = []
    py2 = [f for f in report["files"] if f["python2"] or f["error"]]
    if py2:
        out.append("Python 2 (or unreadable) files: port these lines first (2to3, pyupgrade):")
        for f in py2:
            if f["error"]:
                out.append(f"  {f['path']}: {f['error']}")
            for p in f["python2"]:
                out.append(f"  {f['path']}:{p['line']}: {p['construct']}: {p['text']}")
        out.append("")
    out.append("Theano API used (status, usages, name, where; why):")
    for e in report["usages"]:
        where = ", ".join(e["locations"][:_LOCATIONS_SHOWN])
        if len(e["locations"]) > _LOCATIONS_SHOWN:
            where += f", ... (+{len(e['locations']) - _LOCATIONS_SHOWN})"
        out.append(f"  {e['status']:<11} {e['count']:>4}  {e['name']}  [{where}]")
        if e["reason"]:
            out.append(f"      {e['reason']}")
    out.append("")
    out.append(summary_line(report))
    return "\n".join(out)
