"""What every sub-command shares: the parser, the repository root, the moment it acts as of, usage errors, output.

Sub-command modules import from here, never from each other or from the package's `main`, so the
command-line layer has no import cycle.
"""
from __future__ import annotations

import argparse
import gc
import re
import sys
import unicodedata
from contextlib import contextmanager
from functools import wraps
from pathlib import Path


class UsageError(Exception):
    """Wrong arguments or environment: print the message, exit 2."""


def repository_root(args) -> Path:
    from pipeline.content.repository import find_root

    return find_root(Path(args.root) if getattr(args, "root", None) else Path.cwd())


def moment(args, option: str = "now"):
    """The moment a command acts as of (`--now`), else the clock."""
    from pipeline.timeutil import parse_now

    value = getattr(args, option, None)
    try:
        return parse_now(value)
    except ValueError:
        raise UsageError(f"--{option} 的值「{value}」无法识别,请写成 2026-03-01、\"2026-03-01 09:30\" "
                         "或带时区的 ISO 8601 时间(如 2026-03-01T09:30:00+08:00、2026-03-01T01:30:00Z)。") from None


def emit(text: str, output: str | None) -> None:
    """Write a report to a file (creating its folder) or to standard output."""
    if output:
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


def refuse_public_output(root, output, what: str) -> None:
    """Internal reports (the register, the audit dashboard) are never written into a published site."""
    from pathlib import Path

    output = Path(output)
    target = (output if output.is_absolute() else Path.cwd() / output).resolve()
    for public in (Path(root) / "output", Path(root) / "preview"):
        try:
            target.relative_to(public.resolve())
        except ValueError:
            continue
        raise UsageError(f"{what}是内部资料,不能写入对外发布的目录 {public.name}/:请换一个输出位置。")


# --- argparse in Chinese ----------------------------------------------------------------------
#
# argparse builds every word it prints itself ("usage: ", the group titles, the -h help, its error
# messages) through gettext calls looked up in its own module at call time. The parser below puts this
# table in gettext's place for exactly the calls it makes, so the translation covers a message wherever
# argparse produces it (a sub-parser, an error raised deep in parsing) and leaves other users of
# argparse in the process untouched. tests/test_cli.py compares the table with argparse's own messages,
# so a Python upgrade that adds one fails a test instead of printing English.

ARGPARSE_CHINESE = {
    "usage: ": "用法:",
    "positional arguments": "位置参数",
    "options": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示帮助信息并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 错误:%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s:%(message)s",
    "the following arguments are required: %s": "缺少必需的参数:%s",
    "unrecognized arguments: %s": "无法识别的参数:%s(运行时加 -h 查看可用的参数)",
    "invalid choice: %(value)r (choose from %(choices)s)": "「%(value)s」不是可选的值(可选:%(choices)s)",
    "invalid %(type)s value: %(value)r": "「%(value)s」不是有效的%(type)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能给一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确,可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "ignored explicit argument %r": "此选项不带值,多余的值 %r 无法使用",
    "unexpected option string: %s": "此处不能使用选项 %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有子命令「%(parser_name)s」(可选:%(choices)s)",
    "can't open '%(filename)s': %(error)s": "无法打开文件「%(filename)s」:%(error)s",
    'argument "-" with mode %r': "参数「-」不能以 %r 方式打开",
}
ARGPARSE_CHINESE_PLURAL = {("expected %s argument", "expected %s arguments"): "需要 %s 个值"}
# Raised while a parser is being defined, never while a user runs the command: a programming error
# stays in the words of the Python documentation that explains it.
ARGPARSE_DEVELOPER_MESSAGES = frozenset({
    "%r is not callable", "'required' is an invalid argument for positionals", ".__call__() not defined",
    "cannot have multiple subparser arguments", "cannot merge actions - two groups are named %r",
    "conflicting subparser alias: %s", "conflicting subparser: %s", "dest= is required for options like %r",
    "invalid conflict_resolution value: %r", "mutually exclusive arguments must be optional",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    ("conflicting option string: %s", "conflicting option strings: %s"),
})
VERSION_OPTION = "显示版本号并退出"


def _gettext(message):
    return ARGPARSE_CHINESE.get(message, message)


def _ngettext(singular, plural, n):
    return ARGPARSE_CHINESE_PLURAL.get((singular, plural), singular if n == 1 else plural)


@contextmanager
def _chinese_argparse():
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _gettext, _ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


def _in_chinese(method):
    @wraps(method)
    def run(*args, **kwargs):
        with _chinese_argparse():
            return method(*args, **kwargs)

    return run


def integer(text: str) -> int:
    return int(text)


integer.__name__ = "整数"  # argparse names the expected type by the converter's name: 「x」不是有效的整数


class ChineseHelpFormatter(argparse.HelpFormatter):
    """argparse's layout, with lines wrapped by display width (a Chinese character takes two columns)."""

    def _format_usage(self, usage, actions, groups, prefix):
        text = super()._format_usage(usage, actions, groups, prefix)
        # argparse indents the usage's continuation lines by the prefix's length in characters; 用法: is wider.
        shown = _gettext("usage: ") if prefix is None else prefix
        return text.replace("\n ", "\n" + " " * (display_width(shown) - len(shown)) + " ")

    def _format_action(self, action):
        text = super()._format_action(action)
        # The help column is padded to by characters: a Chinese metavar (命令, 类型) pushes its help right.
        invocation = self._format_action_invocation(action)
        extra = display_width(invocation) - len(invocation)
        first, newline, rest = text.partition("\n")
        head, found, tail = first.partition(invocation)
        help_text = tail.lstrip(" ")
        if extra and found and help_text:
            first = head + invocation + " " * max(2, len(tail) - len(help_text) - extra) + help_text
        return first + newline + rest

    def _split_lines(self, text, width):
        return wrap_display(self._whitespace_matcher.sub(" ", text).strip(), width)

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in wrap_display(self._whitespace_matcher.sub(" ", text).strip(),
                                                                width - len(indent)))


class ArgumentParser(argparse.ArgumentParser):
    """The parser of every `gongkai` command and sub-command: its help, usage and errors in Chinese.

    Sub-parsers are made by argparse with the class of their parent, so every parser of the tree is one.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        with _chinese_argparse():
            super().__init__(*args, **kwargs)

    def add_argument(self, *args, **kwargs):
        if kwargs.get("action") == "version":
            kwargs.setdefault("help", VERSION_OPTION)  # argparse's default is an untranslated literal
        if kwargs.get("type") is int:
            kwargs["type"] = integer
        return super().add_argument(*args, **kwargs)

    add_subparsers = _in_chinese(argparse.ArgumentParser.add_subparsers)
    parse_known_args = _in_chinese(argparse.ArgumentParser.parse_known_args)
    parse_args = _in_chinese(argparse.ArgumentParser.parse_args)
    format_usage = _in_chinese(argparse.ArgumentParser.format_usage)
    format_help = _in_chinese(argparse.ArgumentParser.format_help)
    error = _in_chinese(argparse.ArgumentParser.error)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# A Chinese character may end a line anywhere; a run of other characters (an option, a path) only as a whole.
_PIECES = re.compile(r"\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+")
# Never at the start of a line (GB/T 15834): they stay with what they close or follow.
_NO_LINE_START = set(",.;:!?)]}、。,;:!?)」』》〉】")


def wrap_display(text: str, width: int) -> list[str]:
    width = max(width, 11)
    lines, line = [], ""
    for piece in _PIECES.findall(text):
        if piece.isspace():
            if line:
                line += " "
            continue
        if line and display_width(line.rstrip() + piece) > width and piece[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = ""
        line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


@contextmanager
def loaded_kept(repo):
    """While a command works on the loaded `repo`, the cyclic garbage collector leaves it alone.

    The repository (hundreds of thousands of objects at 10,000 items) lives as long as the command; every
    full collection during the check and the plan walked all of it again, which made their cost per item
    grow with the items (measured: bench/README.md, 2026-12-07). Frozen objects are given back to the
    collector afterwards, so a process that runs commands one after another (`gongkai serve`, the tests)
    keeps nothing.
    """
    gc.freeze()
    try:
        yield repo
    finally:
        gc.unfreeze()
