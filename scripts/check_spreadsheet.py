"""`make check-spreadsheet`: does LibreOffice run any cell of our CSV export as a formula?

Writes notes and act descriptions made to become formulas through kindjournal/journal/
csv_format.py (what /export/csv/ sends), opens the file in headless LibreOffice Calc with
formula evaluation on and each separator set people use (comma; semicolon, Excel's list
separator in much of Europe; comma, semicolon and tab, LibreOffice's default), and fails if
any cell came out as a formula. The same cells written without the guard are checked too and
must give formulas, so a LibreOffice that never evaluates anything cannot pass the check.
Needs `soffice` (Debian: apt-get install libreoffice-calc-nogui); not part of `make test`.
"""

import datetime
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kindjournal.journal import csv_format  # noqa: E402 - after the path above

SEPARATORS = {"comma": "44", "semicolon": "59", "comma, semicolon and tab": "44/59/9"}
NOTES = [
    "=1+1",
    "x;=1+14",
    "x\t=1+15",
    "\t=1+6",
    " =1+7",
    "first line\r\n=1+8",
    "first line\n+1+9\nthird; -1-10",
    "a, b;@SUM(1;2)",
    "'=1+11",
    "'\t=1+12",
]
ACTS = ["=1+101", "y;=1+114", "y\t=1+115", "z\n=1+116", "plain; -1-117"]
FORMULA = re.compile(r"<f[ >][^<]*</f>")


def export_days():
    first = datetime.date(2026, 1, 1)
    return [
        csv_format.ExportDay(
            first + datetime.timedelta(days=n),
            5,
            first + datetime.timedelta(days=n),
            [("Other", ACTS[n % len(ACTS)])],
            note,
        )
        for n, note in enumerate(NOTES)
    ]


def unguarded_file():
    """The same cells with neither guard nor quotes: what LibreOffice must turn into formulas."""
    lines = [",".join(csv_format.header(True))]
    for day in export_days():
        acts = csv_format.join_acts(day.acts)
        lines.append(f"{day.date},x,5,1,{acts},{day.recorded_on},{day.note}")
    return "\r\n".join(lines) + "\r\n"


def formulas(soffice, text, separators, folder):
    """The formulas LibreOffice made of `text` read with `separators`."""
    folder.mkdir(parents=True)
    source = folder / "export.csv"
    source.write_bytes(text.encode(csv_format.ENCODING))
    out = folder / "out"
    subprocess.run(  # noqa: S603 - LibreOffice on our own temporary file
        [
            soffice,
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            f"--infilter=CSV:{separators},34,76,1,,0,false,true,false,false,false,-1",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    with zipfile.ZipFile(out / "export.xlsx") as book:
        sheets = [name for name in book.namelist() if name.startswith("xl/worksheets/sheet")]
        return [found for name in sheets for found in FORMULA.findall(book.read(name).decode())]


def main():
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("No soffice: apt-get install -y libreoffice-calc-nogui (about 2 minutes).")
    exported = "".join(csv_format.lines(export_days(), notes=True))
    failed = False
    with tempfile.TemporaryDirectory(prefix="kindjournal-spreadsheet-") as tmp:
        for name, separators in SEPARATORS.items():
            folder = Path(tmp) / separators.replace("/", "-")
            ran = formulas(soffice, exported, separators, folder / "export")
            control = formulas(soffice, unguarded_file(), separators, folder / "control")
            print(
                f"{'PASS' if not ran and control else 'FAIL'}  {name}: {len(ran)} formulas in "
                f"the export ({len(control)} in the same cells unguarded)"
            )
            for formula in ran:
                print(f"      {formula}")
            failed = failed or bool(ran) or not control
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
