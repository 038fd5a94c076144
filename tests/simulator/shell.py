# -*- coding: utf-8 -*-
# Copyright (c) 2026, Sevalla Ansible collection contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The commands a process can run through the exec endpoint, on a small in-memory filesystem.

Commands run directly from an argument vector, in the working directory /app; `sh -c SCRIPT` adds a small shell
(see ShScript for what it understands). Each returns (stdout, stderr, exit_code).
"""

from __future__ import annotations

import posixpath
import re
import threading
import time
from datetime import datetime, timezone

READ_ONLY_COMMANDS = frozenset(["cat", "echo", "env", "false", "ls", "pwd", "sleep", "test", "true"])
WRITE_COMMANDS = frozenset(["rm", "sh", "touch"])  # sh can write through > and >>
COMMANDS = READ_ONLY_COMMANDS | WRITE_COMMANDS
WORKDIR = "/app"
TIMED_OUT = 124
NOT_FOUND = 127
SH_ERROR = 2  # sh: a syntax error, unsupported syntax, or a failing cd, shift, exit or redirect


def resolve(path, cwd=WORKDIR):
    """An absolute, normalised path; relative paths start at the working directory."""
    joined = posixpath.normpath(posixpath.join(cwd, path))
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

    def write(self, path, text, mtime, append=False):
        """Create or overwrite a file, or add text to its end."""
        before = self.files[path][0] if append and path in self.files else ""
        self.files[path] = (before + text, mtime)

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
    """Runs commands for one process; each command (each command of an sh script) holds a lock, sleeps do not."""

    def __init__(self, filesystem, env, sleep=time.sleep):
        self.fs = filesystem
        self.env = env
        self.sleep = sleep
        self.lock = threading.Lock()

    def run(self, argv, timeout, cwd=WORKDIR):
        name, args = argv[0], argv[1:]
        if name not in COMMANDS:
            return "", 'exec: "%s": executable file not found in $PATH\n' % name, NOT_FOUND
        if name == "sleep":
            return self._sleep(args, timeout)
        if name == "sh":
            return self._sh(args, timeout, cwd)
        with self.lock:
            return getattr(self, "_cmd_" + name)(args, cwd)

    def _sleep(self, args, timeout, budget=None):
        """Sleep; past `budget` seconds (the timeout unless given: what remains of it) the command times out."""
        budget = timeout if budget is None else max(0.0, budget)
        if len(args) != 1:
            return "", "sleep: missing operand\n" if not args else "sleep: extra operand '%s'\n" % args[1], 1
        try:
            seconds = float(args[0])
        except ValueError:
            seconds = -1.0
        if not 0 <= seconds < float("inf"):
            return "", "sleep: invalid time interval '%s'\n" % args[0], 1
        if seconds > budget:
            self.sleep(budget)
            return "", "command timed out after %d seconds\n" % timeout, TIMED_OUT
        self.sleep(seconds)
        return "", "", 0

    def _sh(self, args, timeout, cwd, deadline=None):
        """sh -c SCRIPT [NAME [ARG...]]: NAME is $0 (default sh), the ARGs $1, $2, ..."""
        if not args or args[0] != "-c":
            return "", "sh: only 'sh -c SCRIPT [NAME [ARG...]]' is supported here\n", SH_ERROR
        if len(args) < 2:
            return "", "sh: -c: option requires an argument\n", SH_ERROR
        try:
            commands = parse_script(args[1])
        except ShSyntaxError as problem:
            return "", "sh: %s\n" % problem, SH_ERROR
        deadline = time.monotonic() + timeout if deadline is None else deadline
        return ShScript(self, cwd, args[2:] or ["sh"], timeout, deadline).run(commands)

    @staticmethod
    def _cmd_true(_args, _cwd):
        return "", "", 0

    @staticmethod
    def _cmd_false(_args, _cwd):
        return "", "", 1

    @staticmethod
    def _cmd_echo(args, _cwd):
        newline = "\n"
        if args and args[0] == "-n":
            args, newline = args[1:], ""
        return " ".join(args) + newline, "", 0

    @staticmethod
    def _cmd_pwd(_args, cwd):
        return cwd + "\n", "", 0

    def _cmd_env(self, args, _cwd):
        if args:
            return "", "env: running commands through env is not supported here\n", 125
        return "".join("%s=%s\n" % item for item in self.env.items()), "", 0

    def _cmd_cat(self, args, cwd):
        out, err = [], []
        for arg in args:
            path = resolve(arg, cwd)
            if path in self.fs.files:
                out.append(self.fs.files[path][0])
            else:
                reason = "Is a directory" if path in self.fs.dirs else "No such file or directory"
                err.append("cat: %s: %s\n" % (arg, reason))
        return "".join(out), "".join(err), 1 if err else 0

    def _cmd_test(self, args, cwd):
        if not args:
            return "", "", 1
        if len(args) == 1:
            return "", "", 0 if args[0] else 1
        checks = {"-e": self.fs.exists, "-f": self.fs.files.__contains__, "-d": self.fs.dirs.__contains__}
        if len(args) == 2 and args[0] in checks:
            return "", "", 0 if checks[args[0]](resolve(args[1], cwd)) else 1
        return "", "test: unsupported expression: %s\n" % " ".join(args), 2

    def _cmd_touch(self, args, cwd):
        if not args:
            return "", "touch: missing file operand\n", 1
        err = []
        now = datetime.now(timezone.utc)
        for arg in args:
            path = resolve(arg, cwd)
            if arg.startswith("-") or posixpath.dirname(path) not in self.fs.dirs:
                err.append("touch: cannot touch '%s': No such file or directory\n" % arg)
            else:
                self.fs.touch(path, now)
        return "", "".join(err), 1 if err else 0

    def _cmd_rm(self, args, cwd):
        flags, operands = split_flags(args)
        if flags - set("frR"):
            return "", "rm: invalid option -- '%s'\n" % sorted(flags - set("frR"))[0], 1
        if not operands:
            return ("", "", 0) if "f" in flags else ("", "rm: missing operand\n", 1)
        err = [self._remove(arg, flags, cwd) for arg in operands]
        err = [message for message in err if message]
        return "", "".join(err), 1 if err else 0

    def _remove(self, arg, flags, cwd):
        """Remove one operand; return an error line or an empty string."""
        path = resolve(arg, cwd)
        if path == "/":
            return "rm: it is dangerous to operate recursively on '/'\n"
        if not self.fs.exists(path):
            return "" if "f" in flags else "rm: cannot remove '%s': No such file or directory\n" % arg
        if path in self.fs.dirs and not flags & set("rR"):
            return "rm: cannot remove '%s': Is a directory\n" % arg
        self.fs.remove_tree(path)
        return ""

    def _cmd_ls(self, args, cwd):
        flags, operands = split_flags(args)
        if flags - set("la"):
            return "", "ls: invalid option -- '%s'\n" % sorted(flags - set("la"))[0], 2
        operands = operands or ["."]
        missing = [arg for arg in operands if not self.fs.exists(resolve(arg, cwd))]
        err = "".join("ls: cannot access '%s': No such file or directory\n" % arg for arg in missing)
        present = [arg for arg in operands if arg not in missing]
        files = [arg for arg in present if resolve(arg, cwd) in self.fs.files]
        dirs = [arg for arg in present if resolve(arg, cwd) in self.fs.dirs]
        blocks = [self._list_files(files, flags, cwd)] if files else []
        for arg in dirs:
            header = arg + ":\n" if len(operands) > 1 else ""
            blocks.append(header + self._list_dir(resolve(arg, cwd), flags))
        return "\n".join(blocks), err, 2 if missing else 0

    def _list_files(self, args, flags, cwd):
        lines = [self.fs.long_entry(resolve(arg, cwd), arg) if "l" in flags else arg for arg in args]
        return "".join(line + "\n" for line in lines)

    def _list_dir(self, path, flags):
        names = self.fs.children(path)
        if "a" in flags:
            names = [".", ".."] + names
        else:
            names = [name for name in names if not name.startswith(".")]
        if "l" not in flags:
            return "".join(name + "\n" for name in names)
        paths = [resolve(name, path) for name in names]
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


# --- sh -c ------------------------------------------------------------------------------------------------------

class ShSyntaxError(Exception):
    """The script is not valid, or uses syntax this small sh does not support; nothing of it runs."""


class ShExit(Exception):
    """Ends the script with a status: exit, exec, a timeout."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


# Unquoted characters the simulator's sh refuses (quote them to use them literally).
UNSUPPORTED = {
    "|": "pipes (|)", "&": "background jobs and >& (&)", "<": "input redirects (<)", "(": "subshells ( )",
    ")": "subshells ( )", "`": "command substitution (`...`)", "*": "globbing (*)", "?": "globbing (?)",
    "[": "globbing and the [ command (use test)",
}
UNSUPPORTED_AT_WORD_START = {"~": "tilde expansion (~)", "#": "comments (#)"}
RESERVED_WORDS = frozenset("if then else elif fi for while until do done case esac function { } !".split())
OPERATORS = ("&&", "||", ">>", ">", ";", "\n")  # longest first
WORD_END = " \t\n;&|<>()"
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PARAMETER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9?#@*]")
ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


def unsupported(what):
    return ShSyntaxError("unsupported syntax in the simulator's sh: %s" % what)


def tokenize(script):
    """("op", text) and ("word", parts) tokens; a part is ("text" or "var", value, quoted)."""
    tokens, index, word_end = [], 0, None
    while index < len(script):
        char = script[index]
        operator = next((op for op in OPERATORS if script.startswith(op, index)), None)
        if char in " \t":
            index += 1
        elif operator:
            number = plain_text(tokens[-1][1]) if word_end == index else None
            if operator.startswith(">") and number and number.isdigit():
                raise unsupported("redirects of other file descriptors (%s%s)" % (number, operator))
            tokens.append(("op", operator))
            index += len(operator)
        elif char in UNSUPPORTED:
            raise unsupported(UNSUPPORTED[char])
        else:
            parts = []
            index = read_word(script, index, parts)
            tokens.append(("word", parts))
            word_end = index
    return tokens


def read_word(script, index, parts):
    """Read one word from `index` into parts; return where it ends."""
    start = index
    while index < len(script) and script[index] not in WORD_END:
        char = script[index]
        if char == "'":
            end = script.find("'", index + 1)
            if end < 0:
                raise ShSyntaxError("syntax error: unterminated quoted string")
            parts.append(("text", script[index + 1:end], True))
            index = end + 1
        elif char == '"':
            index = read_double_quoted(script, index + 1, parts)
        elif char == "\\":
            if script[index + 1:index + 2] != "\n":  # a backslash before a newline joins the lines
                parts.append(("text", script[index + 1:index + 2] or "\\", True))
            index += 2
        elif char == "$":
            index = read_dollar(script, index, parts, False)
        elif char in UNSUPPORTED or (index == start and char in UNSUPPORTED_AT_WORD_START):
            raise unsupported(UNSUPPORTED.get(char) or UNSUPPORTED_AT_WORD_START[char])
        else:
            parts.append(("text", char, False))
            index += 1
    return index


def read_double_quoted(script, index, parts):
    """Read after an opening double quote up to the closing one; return the index after it."""
    first = len(parts)
    while index < len(script):
        char = script[index]
        if char == '"':
            if len(parts) == first:
                parts.append(("text", "", True))  # "" is one empty argument
            return index + 1
        if char == "\\" and script[index + 1:index + 2] in ("$", "`", '"', "\\"):
            parts.append(("text", script[index + 1], True))
            index += 2
        elif char == "$":
            index = read_dollar(script, index, parts, True)
        elif char == "`":
            raise unsupported(UNSUPPORTED["`"])
        else:
            parts.append(("text", char, True))
            index += 1
    raise ShSyntaxError("syntax error: unterminated quoted string")


def read_dollar(script, index, parts, quoted):
    """Read $NAME, ${NAME}, $0-$9, $?, $#, $@ or $* at `index` into parts; a lone $ is text."""
    following = script[index + 1:index + 2]
    if following == "(":
        raise unsupported("command substitution ($(...))")
    if following == "{":
        end = script.find("}", index + 2)
        name = script[index + 2:end] if end >= 0 else ""
        if end < 0 or not (NAME.fullmatch(name) or name.isdigit() or name in ("?", "#", "@", "*")):
            raise unsupported("%s (only ${NAME} and ${N} are supported)" % script[index:end + 1 if end >= 0 else None])
        parts.append(("var", str(int(name)) if name.isdigit() else name, quoted))
        return end + 1
    found = PARAMETER.match(script, index + 1)
    if found:
        parts.append(("var", found.group(), quoted))
        return found.end()
    if following and following in "$!-":
        raise unsupported("the special parameter $%s" % following)
    parts.append(("text", "$", quoted))
    return index + 1


def parse_script(script):
    """[(joiner, words, redirects)]: joiner (";", "&&" or "||") says how a command follows the one before."""
    commands, words, redirects, joiner = [], [], [], ";"
    tokens = tokenize(script)
    index = 0
    while index < len(tokens):
        kind, value = tokens[index]
        if kind == "word":
            if not words and not redirects:
                check_command_name(value)
            words.append(value)
        elif value in (">", ">>"):
            if index + 1 == len(tokens) or tokens[index + 1][0] != "word":
                raise ShSyntaxError("syntax error: %s needs a file name" % value)
            redirects.append((value, tokens[index + 1][1]))
            index += 1
        elif words or redirects:
            commands.append((joiner, words, redirects))
            words, redirects, joiner = [], [], ";" if value == "\n" else value
        elif value != "\n":  # an empty line, or a line break after && or ||, is fine
            raise ShSyntaxError("syntax error near %r" % value)
        index += 1
    if words or redirects:
        commands.append((joiner, words, redirects))
    elif joiner != ";":
        raise ShSyntaxError("syntax error: the script ends after %s" % joiner)
    return commands


def plain_text(parts):
    """The word's text when it is all unquoted text, else None."""
    if all(kind == "text" and not quoted for kind, _value, quoted in parts):
        return "".join(value for _kind, value, _quoted in parts)
    return None


def check_command_name(parts):
    """Refuse what would be a keyword or a variable assignment in a real shell."""
    text = plain_text(parts)
    if text in RESERVED_WORDS:
        raise unsupported("'%s' (compound commands and keywords)" % text)
    leading = ""
    for kind, value, quoted in parts:
        if kind != "text" or quoted:
            break
        leading += value
    if ASSIGNMENT.match(leading):
        raise unsupported("variable assignments (%s...)" % leading)


class ShScript:
    """One run of a parsed script: working directory, positional parameters, $? and the output so far.

    Simple commands joined by ;, newlines, && and ||, run left to right. Words: '...' (literal), "..." ($ expands,
    \\ escapes $ ` " and \\), \\x, $NAME, ${NAME} (the process environment; unset is empty), $0-$9, ${N}, $#, $?,
    $@ and $* ("$@" is one argument per parameter); unquoted expansions are split at blanks, never globbed or
    parsed again. Builtins: cd, shift, exit, exec. `> FILE` and `>> FILE` send a command's stdout to the in-memory
    filesystem (/dev/null drops it). Other commands are the process's own, run in the script's directory; the
    exec timeout covers the whole script. Anything else is refused by the parser with exit code 2.
    """

    def __init__(self, shell, cwd, params, timeout, deadline):
        self.shell = shell
        self.cwd = cwd
        self.params = list(params)  # params[0] is $0
        self.timeout = timeout
        self.deadline = deadline
        self.status = 0
        self.out, self.err = [], []
        self.builtins = {"cd": self.cd, "shift": self.shift, "exit": self.exit}

    def run(self, commands):
        for joiner, words, redirects in commands:
            if (joiner == "&&" and self.status != 0) or (joiner == "||" and self.status == 0):
                continue
            try:
                self.status = self.run_command(words, redirects)
            except ShExit as stop:
                self.status = stop.status
                break
        return "".join(self.out), "".join(self.err), self.status

    def run_command(self, words, redirects):
        argv = [field for word in words for field in self.expand(word)]
        target = self.open_redirects(redirects)
        if target is False:
            return SH_ERROR
        if not argv:
            return 0
        if argv[0] == "exec" and len(argv) > 1:  # replaces the shell: the script ends with the command
            raise ShExit(self.call(argv[1:], target))
        if argv[0] == "exec":
            return 0
        if argv[0] in self.builtins:
            return self.builtins[argv[0]](argv[1:])
        return self.call(argv, target)

    def call(self, argv, target):
        """Run a command of the process; its stdout goes to `target` (a path, None for the output, "" to drop)."""
        name, budget = argv[0], self.deadline - time.monotonic()
        if name == "sleep":
            out, err, status = self.shell._sleep(argv[1:], self.timeout, budget)
        elif name == "sh":
            out, err, status = self.shell._sh(argv[1:], self.timeout, self.cwd, self.deadline)
        elif name in COMMANDS:
            out, err, status = self.shell.run(argv, budget, self.cwd)
        else:
            out, err, status = "", "sh: %s: not found\n" % name, NOT_FOUND
        if target is None:
            self.out.append(out)
        elif target:
            with self.shell.lock:
                self.shell.fs.write(target, out, datetime.now(timezone.utc), append=True)
        self.err.append(err)
        if status == TIMED_OUT and name in ("sleep", "sh"):
            raise ShExit(TIMED_OUT)
        return status

    def expand(self, parts):
        """The fields of a word: parameters expanded, unquoted expansions split at blanks, "$@" one per argument."""
        fields, text, live = [], "", False  # live: the current field exists, even if empty ("")
        for kind, value, quoted in parts:
            if kind == "text":
                text, live = text + value, live or quoted or bool(value)
            elif value == "@" and quoted:
                for number, param in enumerate(self.params[1:]):
                    if number:
                        fields.append(text)
                        text = ""
                    text, live = text + param, True
            elif quoted:
                text, live = text + self.lookup(value), True
            else:
                value = self.lookup(value)
                if value[:1].isspace() and live:
                    fields.append(text)
                    text, live = "", False
                for number, piece in enumerate(value.split()):
                    if number:
                        fields.append(text)
                        text = ""
                    text, live = text + piece, True
                if value[-1:].isspace() and live:
                    fields.append(text)
                    text, live = "", False
        return fields + [text] if live else fields

    def lookup(self, name):
        if name == "?":
            return str(self.status)
        if name == "#":
            return str(len(self.params) - 1)
        if name in ("@", "*"):
            return " ".join(self.params[1:])
        if name.isdigit():
            return self.params[int(name)] if int(name) < len(self.params) else ""
        return self.shell.env.get(name, "")

    def open_redirects(self, redirects):
        """Create or truncate each target in turn; the last one takes the output. None: no redirect; False: failed."""
        target = None
        for operator, word in redirects:
            fields = self.expand(word)
            if len(fields) != 1:
                self.err.append("sh: %s: ambiguous redirect\n" % " ".join(fields))
                return False
            if fields[0] == "/dev/null":
                target = ""
                continue
            path = resolve(fields[0], self.cwd)
            with self.shell.lock:
                fs = self.shell.fs
                problem = "Is a directory" if path in fs.dirs else (
                    None if posixpath.dirname(path) in fs.dirs else "Directory nonexistent")
                if problem is None:
                    fs.write(path, "", datetime.now(timezone.utc), append=operator == ">>")
            if problem:
                self.err.append("sh: cannot create %s: %s\n" % (fields[0], problem))
                return False
            target = path
        return target

    def cd(self, args):
        if len(args) > 1:
            self.err.append("sh: cd: too many arguments\n")
            return SH_ERROR
        directory = args[0] if args else self.shell.env.get("HOME", "/")
        path = resolve(directory, self.cwd)
        with self.shell.lock:
            found = path in self.shell.fs.dirs
        if not found:
            self.err.append("sh: cd: can't cd to %s\n" % directory)
            return SH_ERROR
        self.cwd = path
        return 0

    def shift(self, args):
        count = args[0] if args else "1"
        if len(args) > 1 or not count.isdigit() or int(count) > len(self.params) - 1:
            self.err.append("sh: shift: can't shift %s\n" % ("that many" if count.isdigit() else count))
            return SH_ERROR
        self.params[1:] = self.params[1 + int(count):]
        return 0

    def exit(self, args):
        if args and not args[0].isdigit():
            self.err.append("sh: exit: Illegal number: %s\n" % args[0])
            raise ShExit(SH_ERROR)
        raise ShExit(int(args[0]) % 256 if args else self.status)
