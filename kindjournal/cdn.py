"""The files the browser loads from jsDelivr, with their Subresource Integrity hashes.

This is the one place that names them. Read by: the `cdn` context processor (templates),
settings (the Content-Security-Policy allows exactly these URLs), the tests' CDN stand-in
(`tests/browser/cdn.py`), and `scripts/fetch_cdn_copies.sh` (which asks
`python -m kindjournal.cdn` what to take from the npm registry). No Django imports,
so that script can run before Django is installed.
"""

from dataclasses import dataclass

JSDELIVR = "https://cdn.jsdelivr.net/npm/"


@dataclass(frozen=True)
class CdnAsset:
    package: str  # npm package name
    version: str
    path: str  # path inside the npm package
    integrity: str

    @property
    def spec(self):
        return f"{self.package}@{self.version}"

    @property
    def url(self):
        return f"{JSDELIVR}{self.spec}/{self.path}"


ASSETS = {
    "bootstrap_css": CdnAsset(
        "bootstrap",
        "5.3.8",
        "dist/css/bootstrap.min.css",
        "sha384-sRIl4kxILFvY47J16cr9ZwB07vP4J8+LH7qKQnuqkuIAvNWLzeN8tE5YBujZqJLB",
    ),
    "bootstrap_js": CdnAsset(
        "bootstrap",
        "5.3.8",
        "dist/js/bootstrap.bundle.min.js",
        "sha384-FKyoEForCGlyvwx9Hj09JcYn3nv7wiPVlz7YYwJrWVcXK/BmnVDxM+D2scQbITxI",
    ),
    "chartjs": CdnAsset(
        "chart.js",
        "4.6.1",
        "dist/chart.umd.min.js",
        "sha384-Emf5ZVIUiarAdhkgtqK+5/Z5qIvM6QoVrS+qAVtfyZVuD5lIHrac0me485+Antp0",
    ),
}


def urls_of(*kinds):
    """CDN URLs of the assets whose file ends with one of `kinds` (".js", ".css")."""
    return [asset.url for asset in ASSETS.values() if asset.path.endswith(kinds)]


def package_specs():
    return sorted({asset.spec for asset in ASSETS.values()})


if __name__ == "__main__":
    print(" ".join(package_specs()))
