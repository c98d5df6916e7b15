"""JUnit XML, for GitLab's test report widget (`artifacts:reports:junit`) and other CI.

One `<testsuite name="gongkai check">` holding one `<testcase>` per file that
has diagnostics (classname and name = the path). A file with errors fails: its
single `<failure>` lists every error in that file (type = the codes, message =
the one error or the count). Warnings and 提示 go to `<system-out>` and do not
fail the test case. With no diagnostics at all there is one passing test case
named "gongkai check", so CI still shows that the check ran.

One `<failure>` per test case, not one per error: GitLab's parser reads a test
case's `failure` as a single element, and the JUnit schema allows at most one.
So the suite's `failures` counts files with errors, and `tests` counts test cases.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from pipeline.diagnostics import Diagnostic, Severity, format_location

from .base import Reporter, sort_diagnostics
from .text import format_diagnostic

SUITE_NAME = "gongkai check"

# Characters XML 1.0 cannot carry even escaped; ElementTree would write them and
# the report would then fail to parse, so they become U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _unique_codes(diagnostics: list[Diagnostic]) -> list[str]:
    return list(dict.fromkeys(d.code for d in diagnostics))


class JunitReporter(Reporter):
    name = "junit"

    def render(self, diagnostics: list[Diagnostic], checked_files: int,
               rules: dict[str, str] | None = None) -> str:
        root = ET.Element("testsuites", name=SUITE_NAME)
        suite = ET.SubElement(root, "testsuite", name=SUITE_NAME)
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="checked_files", value=str(checked_files))

        tests = failures = 0
        for path, group in groupby(sort_diagnostics(diagnostics), key=lambda d: d.path):
            found = list(group)
            errors = [d for d in found if d.severity is Severity.ERROR]
            others = [d for d in found if d.severity is not Severity.ERROR]
            where = _xml_text(format_location(path))
            case = ET.SubElement(suite, "testcase", classname=where, name=where, time="0")
            if path:
                case.set("file", _xml_text(path))
            tests += 1
            if errors:
                failures += 1
                if len(errors) == 1:
                    first_line = (errors[0].message.splitlines() or [""])[0]
                    message = f"{errors[0].code} {first_line}"
                else:
                    message = f"{len(errors)} 个{Severity.ERROR.label}"
                failure = ET.SubElement(case, "failure", type=" ".join(_unique_codes(errors)),
                                        message=_xml_text(message.strip()))
                failure.text = _xml_text("\n".join(format_diagnostic(d) for d in errors))
            if others:
                ET.SubElement(case, "system-out").text = _xml_text(
                    "\n".join(format_diagnostic(d) for d in others))

        if tests == 0:
            ET.SubElement(suite, "testcase", classname="gongkai", name=SUITE_NAME, time="0")
            tests = 1

        for element in (root, suite):
            element.set("tests", str(tests))
            element.set("failures", str(failures))
            element.set("errors", "0")
            element.set("time", "0")
        suite.set("skipped", "0")

        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
