"""JUnit XML, for GitLab's test report widget (`artifacts:reports:junit`), Jenkins and other CI.

One `<testsuite name="gongkai check">` with one `<testcase>` per diagnostic, so that no finding is
merged into another or dropped by a consumer that reads one `<failure>` per test case (GitLab does):
classname = the file, name = `path:line:col CODE`. An error fails its test case (`<failure>` with
type = the code, message = the first line, text = the whole diagnostic); a warning or 提示 passes and
carries its text in `<system-out>`. With no diagnostics at all there is one passing test case named
"gongkai check", so CI still shows that the check ran. The output validates against the Jenkins xunit
plugin's junit-10.xsd (vendored under tests/vendor/): no attributes beyond it (no `file`, which that
schema rejects on `testcase`).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from pipeline.diagnostics import Diagnostic, Severity, format_location

from pipeline.reporters.base import Reporter, sort_diagnostics
from pipeline.reporters.text import format_diagnostic

SUITE_NAME = "gongkai check"

# Characters XML 1.0 cannot carry even escaped; ElementTree would write them and
# the report would then fail to parse, so they become U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


class JunitReporter(Reporter):
    name = "junit"

    def render(self, diagnostics: list[Diagnostic], checked_files: int,
               rules: dict[str, str] | None = None) -> str:
        root = ET.Element("testsuites", name=SUITE_NAME)
        suite = ET.SubElement(root, "testsuite", name=SUITE_NAME)
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="checked_files", value=str(checked_files))

        tests = failures = 0
        for diagnostic in sort_diagnostics(diagnostics):
            where = _xml_text(format_location(diagnostic.path))
            name = _xml_text(f"{format_location(diagnostic.path, diagnostic.line, diagnostic.col)} {diagnostic.code}")
            case = ET.SubElement(suite, "testcase", classname=where, name=name, time="0")
            tests += 1
            text = _xml_text(format_diagnostic(diagnostic, verbose=True))  # a CI test report has room for it
            if diagnostic.severity is Severity.ERROR:
                failures += 1
                first_line = (diagnostic.message.splitlines() or [""])[0]
                failure = ET.SubElement(case, "failure", type=diagnostic.code,
                                        message=_xml_text(f"{diagnostic.code} {first_line}".strip()))
                failure.text = text
            else:
                ET.SubElement(case, "system-out").text = text

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
