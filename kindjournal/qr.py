"""QR codes drawn on the server (segno) as SVG data: URIs for an <img>: no script, nothing
fetched, allowed by the pages' `img-src 'self' data:`. Used by new share links and by the
set-up of two-factor sign-in; project-level so that neither app imports the other."""

import segno


def qr_data_uri(text):
    # Dark modules on white whatever the page's colour mode: phone cameras need the contrast,
    # and the quiet zone (border) segno keeps around the code.
    return segno.make(text, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")
