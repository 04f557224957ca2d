#!/usr/bin/env python3
"""Checks that lin's libraries depend on each other one way only.

The link lists in the CMakeLists (``target_link_libraries``) are the
declared architecture: a library may use what it links, directly or through
what that links. Static libraries do not enforce this by themselves (a
header from above compiles, and the final executable links everything), so
this script checks every ``#include "lin/..."`` of every library, tool and
unit test against the link lists, and the link graph for cycles.

Usage: check-layering.py [--root DIR]   (exit 1 and one line per violation)
"""

import argparse
import os
import re
import sys

TARGET = re.compile(r"\b(?:add_library|add_executable|add_lin_unittest|"
                    r"add_llvm_library)\(\s*([\w-]+)")
LINKS = re.compile(r"target_link_libraries\(\s*([\w-]+)([^)]*)\)", re.S)
# add_llvm_library(NAME ... LINK_LIBS A B ...): the link list follows the
# keyword up to the closing parenthesis.
LLVM_LINKS = re.compile(r"add_llvm_library\(\s*([\w-]+)[^)]*?LINK_LIBS"
                        r"([^)]*)\)", re.S)
INCLUDE = re.compile(r'^\s*#\s*include\s+"(lin/[^"]+)"', re.M)
SOURCE_SUFFIXES = (".cpp", ".h", ".inc")


def read_targets(root):
    """Returns {target: (source dir, set of linked lin libraries)}."""
    targets = {}
    for top in ("lib", "tools", "unittests"):
        for directory, _, files in os.walk(os.path.join(root, top)):
            if "CMakeLists.txt" not in files:
                continue
            with open(os.path.join(directory, "CMakeLists.txt")) as f:
                text = f.read()
            for name in TARGET.findall(text):
                targets.setdefault(name, (directory, set()))
            for name, args in LINKS.findall(text) + LLVM_LINKS.findall(text):
                links = {word for word in args.split() if word.startswith("Lin")}
                if name in targets:
                    targets[name][1].update(links)
    return targets


def library_of_header(header, libraries, root):
    """The library whose include directory holds `header` (lin/...)."""
    best, best_length = None, -1
    header_dir = os.path.dirname(header)[len("lin/"):]
    for name, (directory, _) in libraries.items():
        relative = os.path.relpath(directory, os.path.join(root, "lib"))
        if (header_dir == relative or header_dir.startswith(relative + "/")) \
                and len(relative) > best_length:
            best, best_length = name, len(relative)
    return best


def closure(name, targets):
    seen, stack = set(), [name]
    while stack:
        for dep in targets.get(stack.pop(), (None, set()))[1]:
            if dep not in seen:
                seen.add(dep)
                stack.append(dep)
    return seen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), ".."))
    root = os.path.abspath(parser.parse_args().root)
    targets = read_targets(root)
    libraries = {name: value for name, value in targets.items()
                 if value[0].startswith(os.path.join(root, "lib"))}
    problems = []

    for name in libraries:
        if name in closure(name, targets):
            problems.append(f"{name}: its link list leads back to itself "
                            "(a dependency cycle)")

    for name, (directory, _) in sorted(targets.items()):
        allowed = closure(name, targets) | {name}
        source_dirs = [directory]
        if name in libraries:
            relative = os.path.relpath(directory, os.path.join(root, "lib"))
            source_dirs.append(os.path.join(root, "include", "lin", relative))
        for source_dir in source_dirs:
            if not os.path.isdir(source_dir):
                continue
            for file in sorted(os.listdir(source_dir)):
                if not file.endswith(SOURCE_SUFFIXES):
                    continue
                path = os.path.join(source_dir, file)
                with open(path) as f:
                    for header in INCLUDE.findall(f.read()):
                        owner = library_of_header(header, libraries, root)
                        if owner and owner not in allowed:
                            problems.append(
                                f"{os.path.relpath(path, root)}: includes "
                                f"{header} of {owner}, which {name} does not "
                                "link")
    for problem in problems:
        print(problem)
    print(f"checked {len(targets)} targets: {len(problems)} layering "
          "violations")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
