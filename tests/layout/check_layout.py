#!/usr/bin/env python3
"""The layout rules of the README's Layout section, checked on #include lines.

    check_layout.py SOURCE_DIR     check the tree
    check_layout.py --self-test    show that each rule catches a violation

Rules:
1. Each third-party library is included from one folder only (libmnl:
   src/diag; nlohmann-json: src/host; prometheus-cpp, zlib: src/metrics;
   libmicrohttpd, GnuTLS, yaml-cpp, libcrypt: src/web; libbpf: src/events;
   CLI11, toml++:
   src/settings; libsystemd: daemon); spdlog from daemon/logging.cc only
   (the stages log through the LogFn they are handed).
2. A stage includes only the stages to its left in the flow: model, io,
   diag, count, host, events, detect, collect, then metrics, web and report (none
   of which includes another), then settings; daemon/ may include any.
3. Public headers (include/tcpstated/) include no third-party header.
4. No source file of src/, daemon/ or include/ is over 300 lines.
5. Every .cc of a stage folder is listed in that folder's CMakeLists.txt.
6. The README's Layout list names the stages in this order, then daemon/,
   each with exactly the libraries rule 1 gives it (in [brackets]).
"""
import os
import re
import sys
import tempfile

STAGES = ["model", "io", "diag", "count", "host", "events", "detect", "collect",
          "metrics", "web", "report", "settings"]
# Stages that may not include each other although one is left of the other.
SIBLINGS = {(a, b) for a in ("metrics", "web", "report")
            for b in ("metrics", "web", "report") if a != b}
# Include prefix -> the one folder allowed to include it.
OWNERS = {
    "libmnl/": "src/diag",
    "prometheus/": "src/metrics",
    "zlib.h": "src/metrics",
    "microhttpd.h": "src/web",
    "gnutls/": "src/web",
    "yaml-cpp/": "src/web",
    "crypt.h": "src/web",
    "nlohmann/": "src/host",
    "bpf/": "src/events",
    "CLI/": "src/settings",
    "toml++/": "src/settings",
    "systemd/": "daemon",
    "spdlog/": "daemon/logging.cc",
    "fmt/": "daemon/logging.cc",
}
THIRD_PARTY = tuple(OWNERS) + ("gtest/", "gmock/")
# How the README names each library of OWNERS (fmt comes with spdlog).
LIBRARY_NAMES = {
    "libmnl/": "libmnl", "prometheus/": "prometheus-cpp", "zlib.h": "zlib",
    "microhttpd.h": "libmicrohttpd", "gnutls/": "GnuTLS",
    "yaml-cpp/": "yaml-cpp", "crypt.h": "libcrypt",
    "nlohmann/": "nlohmann-json", "bpf/": "libbpf", "CLI/": "CLI11", "toml++/": "toml++",
    "systemd/": "libsystemd", "spdlog/": "spdlog",
}
MAX_LINES = 300
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def stage_of(rel):
    parts = rel.split("/")
    if parts[0] == "src" and len(parts) > 2 and parts[1] in STAGES:
        return parts[1]
    if parts[:2] == ["include", "tcpstated"] and len(parts) > 3 and parts[2] in STAGES:
        return parts[2]
    return None


def sources(root):
    for top in ("src", "include", "daemon"):
        for base, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if name.endswith((".cc", ".h")):
                    path = os.path.join(base, name)
                    yield os.path.relpath(path, root), path


def check(root):
    errors = []
    for rel, path in sources(root):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        lines = text.count("\n")
        if lines > MAX_LINES:
            errors.append(f"{rel}: {lines} lines (at most {MAX_LINES})")
        stage = stage_of(rel)
        for kind, included in INCLUDE.findall(text):
            for prefix, owner in OWNERS.items():
                if included.startswith(prefix) and not (
                        rel == owner or rel.startswith(owner + "/")):
                    errors.append(f"{rel}: includes <{included}>, which only "
                                  f"{owner} may use")
            if rel.startswith("include/") and kind == "<" and \
                    included.startswith(THIRD_PARTY):
                errors.append(f"{rel}: public header includes <{included}>")
            match = re.match(r"tcpstated/([a-z]+)/", included)
            if stage and match and match.group(1) in STAGES:
                other = match.group(1)
                if STAGES.index(other) > STAGES.index(stage) or \
                        (stage, other) in SIBLINGS:
                    errors.append(f"{rel}: stage {stage} includes {included}, "
                                  f"which is not to its left in the flow")
        if stage and rel.startswith("src/") and rel.endswith(".cc"):
            cmake = os.path.join(root, "src", stage, "CMakeLists.txt")
            listed = open(cmake, encoding="utf-8").read() \
                if os.path.exists(cmake) else ""
            if not re.search(rf"\b{re.escape(os.path.basename(rel))}\b", listed):
                errors.append(f"{rel}: not listed in src/{stage}/CMakeLists.txt")
    return errors


def check_readme(root):
    """Rule 6: the README's layout list against STAGES and OWNERS."""
    path = os.path.join(root, "README.md")
    if not os.path.exists(path):
        return []
    text = open(path, encoding="utf-8").read()
    section = re.search(r"^## Layout\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not section:
        return ["README.md: no Layout section"]
    entries = []  # [folder, text]
    for line in section.group(1).splitlines():
        start = re.match(r"^    (src/[a-z]+/|daemon/)\s", line)
        if start:
            entries.append([start.group(1), line])
        elif entries and re.match(r"^     +\S", line):
            entries[-1][1] += " " + line
    folders = [folder for folder, _ in entries]
    expected = [f"src/{stage}/" for stage in STAGES] + ["daemon/"]
    errors = []
    if folders != expected:
        errors.append(f"README.md: the layout lists {folders}, the rules "
                      f"have {expected}")
    for folder, entry in entries:
        bracket = re.search(r"\[([^\]]*)\]\s*$", entry)
        named = {n.strip() for n in bracket.group(1).split(",")} \
            if bracket else set()
        owned = {LIBRARY_NAMES[prefix] for prefix, owner in OWNERS.items()
                 if prefix in LIBRARY_NAMES and
                 (owner + "/").startswith(folder)}
        if named != owned:
            errors.append(f"README.md: {folder} is said to use "
                          f"{sorted(named)}, the rules give it {sorted(owned)}")
    return errors


def self_test():
    cases = {
        "src/count/leak.cc": ('#include "tcpstated/web/x.h"\n', "not to its left"),
        "src/report/sideways.cc": ('#include "tcpstated/web/x.h"\n', "not to its left"),
        "src/host/mnl.cc": ("#include <libmnl/libmnl.h>\n", "only src/diag"),
        "daemon/sink.cc": ("#include <spdlog/sinks/stdout_sinks.h>\n", "daemon/logging.cc"),
        "include/tcpstated/model/p.h": ("#include <prometheus/family.h>\n", "public header"),
        "src/model/long.cc": ("\n" * (MAX_LINES + 1), "lines"),
        "src/diag/orphan.cc": ("\n", "not listed"),
    }
    failures = 0
    for rel, (text, expected) in cases.items():
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, os.path.dirname(rel)))
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
            found = check(root)
            if not any(expected in e for e in found):
                print(f"self-test: {rel} was not caught ({found})", file=sys.stderr)
                failures += 1
    # Rule 6: a README whose list misses a stage, or names a library
    # against the rules, is caught.
    with tempfile.TemporaryDirectory() as root:
        lines = [f"    src/{stage}/  x" for stage in STAGES if stage != "web"]
        with open(os.path.join(root, "README.md"), "w") as f:
            f.write("## Layout\n" + "\n".join(lines) +
                    "\n    daemon/  x  [libsystemd, spdlog, libmnl]\n")
        found = check_readme(root)
        for expected in ("the layout lists", "src/diag/ is said to use",
                         "daemon/ is said to use"):
            if not any(expected in e for e in found):
                print(f"self-test: README rule missed {expected!r} ({found})",
                      file=sys.stderr)
                failures += 1
    # And a clean file passes.
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "src/detect"))
        with open(os.path.join(root, "src/detect/CMakeLists.txt"), "w") as f:
            f.write("ok.cc\n")
        with open(os.path.join(root, "src/detect/ok.cc"), "w") as f:
            f.write('#include "tcpstated/count/a.h"\n#include <vector>\n')
        if check(root):
            print(f"self-test: a clean tree failed: {check(root)}", file=sys.stderr)
            failures += 1
    return failures


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        sys.exit(1 if self_test() else 0)
    problems = check(sys.argv[1]) + check_readme(sys.argv[1])
    for problem in problems:
        print(problem, file=sys.stderr)
    sys.exit(1 if problems else 0)
