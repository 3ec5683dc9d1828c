"""Write every corpus case as tests/corpus/<theme>/<name>.eml + .json.

Run from anywhere: `python3 tests/corpus/tools/generate.py`. The output is deterministic, so
re-running it on an unchanged script leaves the committed files unchanged.
"""

import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import case  # noqa: E402

MODULES = [
    "cases_en", "cases_fr", "cases_es", "cases_pt", "cases_de", "cases_other", "cases_address",
    "cases_mime", "cases_list", "cases_auto", "cases_bounce", "cases_loop",
]


def main():
    for name in MODULES:
        try:
            mod = __import__(name)
        except ModuleNotFoundError as e:
            if e.name == name:
                continue
            raise
        mod.build()
    n = case.write_all()
    by = collections.Counter(c["path"].split("/")[0] for c in case.CASES)
    print(f"{n} cases:", dict(sorted(by.items())))


if __name__ == "__main__":
    main()
