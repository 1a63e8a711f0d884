"""The QR code of a new link, drawn on the server (segno) as an SVG data: URI for an <img>:
no script, nothing fetched, allowed by the pages' `img-src 'self' data:`."""

import segno


def qr_data_uri(url):
    # Dark modules on white whatever the page's colour mode: phone cameras need the contrast,
    # and the quiet zone (border) segno keeps around the code.
    return segno.make(url, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")
