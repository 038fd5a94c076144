# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The commands a process can run through the exec endpoint, on a small in-memory filesystem.

Commands run directly from an argument vector (no shell features). Each returns (stdout, stderr, exit_code).
"""

from __future__ import annotations

import posixpath
import threading
import time
from datetime import datetime, timezone

READ_ONLY_COMMANDS = frozenset(["cat", "echo", "env", "false", "ls", "sleep", "test", "true"])
WRITE_COMMANDS = frozenset(["rm", "touch"])
WORKDIR = "/app"
TIMED_OUT = 124
NOT_FOUND = 127


def resolve(path):
    """An absolute, normalised path; relative paths start at the working directory."""
    joined = posixpath.normpath(posixpath.join(WORKDIR, path))
    return "/" + joined.lstrip("/")


class FileSystem:
    """Directories and text files keyed by absolute path, each with a modification time."""

    def __init__(self, dirs, files, mtime):
        self.dirs = dict.fromkeys(dirs, mtime)
        self.files = {path: (content, mtime) for path, content in files.items()}

    def exists(self, path):
        return path in self.dirs or path in self.files

    def children(self, path):
        """Names of the entries directly inside a directory, sorted."""
        prefix = path.rstrip("/") + "/"
        names = [entry[len(prefix):] for entry in list(self.dirs) + list(self.files) if entry.startswith(prefix)]
        return sorted(name for name in names if name and "/" not in name)

    def touch(self, path, mtime):
        content = self.files[path][0] if path in self.files else ""
        if path in self.dirs:
            self.dirs[path] = mtime
        else:
            self.files[path] = (content, mtime)

    def remove_tree(self, path):
        prefix = path.rstrip("/") + "/"
        for table in (self.dirs, self.files):
            for entry in [entry for entry in table if entry == path or entry.startswith(prefix)]:
                del table[entry]

    def size(self, path):
        return 4096 if path in self.dirs else len(self.files[path][0].encode("utf-8"))

    def long_entry(self, path, name):
        """One `ls -l` line."""
        if path in self.dirs:
            mode, links, mtime = "drwxr-xr-x", 2, self.dirs[path]
        else:
            mode, links, mtime = "-rw-r--r--", 1, self.files[path][1]
        stamp = "%s %2d %s" % (mtime.strftime("%b"), mtime.day, mtime.strftime("%H:%M"))
        return "%s %d app app %5d %s %s" % (mode, links, self.size(path), stamp, name)


class Shell:
    """Runs commands for one process; writes are serialised by a lock, sleeps are not."""

    def __init__(self, filesystem, env, sleep=time.sleep):
        self.fs = filesystem
        self.env = env
        self.sleep = sleep
        self.lock = threading.Lock()

    def run(self, argv, timeout):
        name, args = argv[0], argv[1:]
        if name == "sleep":
            return self._sleep(args, timeout)
        if name not in READ_ONLY_COMMANDS | WRITE_COMMANDS:
            return "", 'exec: "%s": executable file not found in $PATH\n' % name, NOT_FOUND
        with self.lock:
            return getattr(self, "_cmd_" + name)(args)

    def _sleep(self, args, timeout):
        if len(args) != 1:
            return "", "sleep: missing operand\n" if not args else "sleep: extra operand '%s'\n" % args[1], 1
        try:
            seconds = float(args[0])
        except ValueError:
            seconds = -1.0
        if not 0 <= seconds < float("inf"):
            return "", "sleep: invalid time interval '%s'\n" % args[0], 1
        if seconds > timeout:
            self.sleep(timeout)
            return "", "command timed out after %d seconds\n" % timeout, TIMED_OUT
        self.sleep(seconds)
        return "", "", 0

    @staticmethod
    def _cmd_true(_args):
        return "", "", 0

    @staticmethod
    def _cmd_false(_args):
        return "", "", 1

    @staticmethod
    def _cmd_echo(args):
        newline = "\n"
        if args and args[0] == "-n":
            args, newline = args[1:], ""
        return " ".join(args) + newline, "", 0

    def _cmd_env(self, args):
        if args:
            return "", "env: running commands through env is not supported here\n", 125
        return "".join("%s=%s\n" % item for item in self.env.items()), "", 0

    def _cmd_cat(self, args):
        out, err = [], []
        for arg in args:
            path = resolve(arg)
            if path in self.fs.files:
                out.append(self.fs.files[path][0])
            else:
                reason = "Is a directory" if path in self.fs.dirs else "No such file or directory"
                err.append("cat: %s: %s\n" % (arg, reason))
        return "".join(out), "".join(err), 1 if err else 0

    def _cmd_test(self, args):
        if not args:
            return "", "", 1
        if len(args) == 1:
            return "", "", 0 if args[0] else 1
        checks = {"-e": self.fs.exists, "-f": self.fs.files.__contains__, "-d": self.fs.dirs.__contains__}
        if len(args) == 2 and args[0] in checks:
            return "", "", 0 if checks[args[0]](resolve(args[1])) else 1
        return "", "test: unsupported expression: %s\n" % " ".join(args), 2

    def _cmd_touch(self, args):
        if not args:
            return "", "touch: missing file operand\n", 1
        err = []
        now = datetime.now(timezone.utc)
        for arg in args:
            path = resolve(arg)
            if arg.startswith("-") or posixpath.dirname(path) not in self.fs.dirs:
                err.append("touch: cannot touch '%s': No such file or directory\n" % arg)
            else:
                self.fs.touch(path, now)
        return "", "".join(err), 1 if err else 0

    def _cmd_rm(self, args):
        flags, operands = split_flags(args)
        if flags - set("frR"):
            return "", "rm: invalid option -- '%s'\n" % sorted(flags - set("frR"))[0], 1
        if not operands:
            return ("", "", 0) if "f" in flags else ("", "rm: missing operand\n", 1)
        err = [self._remove(arg, flags) for arg in operands]
        err = [message for message in err if message]
        return "", "".join(err), 1 if err else 0

    def _remove(self, arg, flags):
        """Remove one operand; return an error line or an empty string."""
        path = resolve(arg)
        if path == "/":
            return "rm: it is dangerous to operate recursively on '/'\n"
        if not self.fs.exists(path):
            return "" if "f" in flags else "rm: cannot remove '%s': No such file or directory\n" % arg
        if path in self.fs.dirs and not flags & set("rR"):
            return "rm: cannot remove '%s': Is a directory\n" % arg
        self.fs.remove_tree(path)
        return ""

    def _cmd_ls(self, args):
        flags, operands = split_flags(args)
        if flags - set("la"):
            return "", "ls: invalid option -- '%s'\n" % sorted(flags - set("la"))[0], 2
        operands = operands or ["."]
        missing = [arg for arg in operands if not self.fs.exists(resolve(arg))]
        err = "".join("ls: cannot access '%s': No such file or directory\n" % arg for arg in missing)
        present = [arg for arg in operands if arg not in missing]
        files = [arg for arg in present if resolve(arg) in self.fs.files]
        dirs = [arg for arg in present if resolve(arg) in self.fs.dirs]
        blocks = [self._list_files(files, flags)] if files else []
        for arg in dirs:
            header = arg + ":\n" if len(operands) > 1 else ""
            blocks.append(header + self._list_dir(resolve(arg), flags))
        return "\n".join(blocks), err, 2 if missing else 0

    def _list_files(self, args, flags):
        lines = [self.fs.long_entry(resolve(arg), arg) if "l" in flags else arg for arg in args]
        return "".join(line + "\n" for line in lines)

    def _list_dir(self, path, flags):
        names = self.fs.children(path)
        if "a" in flags:
            names = [".", ".."] + names
        else:
            names = [name for name in names if not name.startswith(".")]
        if "l" not in flags:
            return "".join(name + "\n" for name in names)
        paths = [resolve(posixpath.join(path, name)) for name in names]
        blocks = sum(-(-self.fs.size(entry) // 4096) * 4 for entry in paths)
        lines = [self.fs.long_entry(entry, name) for entry, name in zip(paths, names)]
        return "total %d\n" % blocks + "".join(line + "\n" for line in lines)


def split_flags(args):
    """Single-letter flags (as a set) and the remaining operands; `--` ends the flags."""
    flags, operands, ended = set(), [], False
    for arg in args:
        if not ended and arg == "--":
            ended = True
        elif not ended and arg.startswith("-") and len(arg) > 1:
            flags.update(arg[1:])
        else:
            operands.append(arg)
    return flags, operands
