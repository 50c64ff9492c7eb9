"""Summarise the JUnit files of `make test`: tests per database and in the browser.

Prints a closing line `N passed, N failed` (with skipped) over all runs.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main(paths: list[str]) -> int:
    total = {"passed": 0, "failed": 0, "skipped": 0}
    for name in paths:
        path = Path(name)
        if not path.exists():
            continue
        root = ET.parse(path).getroot()
        counts = {"passed": 0, "failed": 0, "skipped": 0, "browser": 0}
        for case in root.iter("testcase"):
            outcome = "passed"
            if case.find("failure") is not None or case.find("error") is not None:
                outcome = "failed"
            elif case.find("skipped") is not None:
                outcome = "skipped"
            counts[outcome] += 1
            if "browser" in (case.get("classname") or "") and outcome == "passed":
                counts["browser"] += 1
        for key in total:
            total[key] += counts[key]
        print(
            f"{path.stem:<11} {counts['passed']:>5} geslaagd, {counts['failed']:>3} mislukt, "
            f"{counts['skipped']:>3} overgeslagen; waarvan {counts['browser']} in de browser"
        )
    print(f"{total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped")
    return 1 if total["failed"] or not total["passed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
