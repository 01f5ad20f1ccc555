#!/usr/bin/env python3
"""make-icons.py: draws the app icons as PNG files with only the standard
library, so they can be made again from this file (the output is the same
byte for byte on every run). Run from the repository root:

    python3 tools/make-icons.py

troth's icon (two soft rings on a calm background, as static/icon.svg):
static/icon-192.png, icon-512.png and icon-maskable-512.png (full-bleed
background, the rings inside the safe zone).

The plain "Notes" icon, for a device whose person chose the neutral
home-screen name (the shapes of static/icon-plain.svg, a sheet of paper
with three lines): static/icon-plain-192.png, icon-plain-512.png and
icon-plain-maskable-512.png (full-bleed grey; the sheet already lies
inside the safe zone, the circle of 40% of the size around the centre)."""
import struct, zlib, math


def write_png(path, size, pixel):
    """Writes a size x size RGBA PNG; pixel(x, y) gives (r, g, b, a) for
    the centre of each pixel, x and y from 0 to size."""
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            row += bytes(pixel(x + 0.5, y + 0.5))
        rows.append(bytes(row))
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


def cover(d):
    """How much of a pixel lies inside a shape, from its signed distance
    to the shape's edge (negative inside): a one-pixel soft edge."""
    return min(1.0, max(0.0, 0.5 - d))


def rounded_rect(px, py, x, y, w, h, r):
    """The signed distance from (px, py) to a rectangle with corners of
    radius r."""
    dx = max(x + r - px, 0, px - (x + w - r))
    dy = max(y + r - py, 0, py - (y + h - r))
    if dx == 0 and dy == 0:
        return -min(px - x, x + w - px, py - y, y + h - py)
    return math.hypot(dx, dy) - r


def mix(a, b, t):
    return [round(a[i] * (1 - t) + b[i] * t) for i in range(3)]


BG = (47, 111, 115)      # #2f6f73
FG = (251, 250, 247)     # the page background


def troth(path, size, maskable):
    scale = 0.62 if maskable else 0.8
    r = size * scale * 0.27          # ring radius
    w = size * scale * 0.075         # ring half-width
    cx, cy = size / 2, size / 2
    c1 = (cx - r * 0.55, cy)
    c2 = (cx + r * 0.55, cy)
    corner = 0 if maskable else size * 0.22

    def pixel(px, py):
        # rounded square mask (alpha) for the plain icon
        a = 1.0
        if corner:
            dx = max(corner - px, 0, px - (size - corner))
            dy = max(corner - py, 0, py - (size - corner))
            a = cover(math.hypot(dx, dy) - corner)
        ring = 0.0
        for (qx, qy) in (c1, c2):
            ring = max(ring, cover(abs(math.hypot(px - qx, py - qy) - r) - w))
        return mix(BG, FG, ring) + [round(255 * a)]
    write_png(path, size, pixel)


GREY = (95, 99, 104)     # #5f6368
PAPER = (255, 255, 255)  # #ffffff
LINE = (154, 160, 166)   # #9aa0a6
# static/icon-plain.svg, in its 512 x 512 view box: the sheet, its lines
SHEET = (136, 112, 240, 288, 20)
LINES = ((176, 176, 160, 20, 10), (176, 236, 160, 20, 10), (176, 296, 104, 20, 10))


def plain(path, size, maskable):
    k = size / 512

    def shape(px, py, rect):
        x, y, w, h, r = (v * k for v in rect)
        return cover(rounded_rect(px, py, x, y, w, h, r))

    def pixel(px, py):
        a = 1.0 if maskable else shape(px, py, (0, 0, 512, 512, 96))
        col = mix(GREY, PAPER, shape(px, py, SHEET))
        for rect in LINES:
            col = mix(col, LINE, shape(px, py, rect))
        return col + [round(255 * a)]
    write_png(path, size, pixel)


troth("static/icon-192.png", 192, False)
troth("static/icon-512.png", 512, False)
troth("static/icon-maskable-512.png", 512, True)
plain("static/icon-plain-192.png", 192, False)
plain("static/icon-plain-512.png", 512, False)
plain("static/icon-plain-maskable-512.png", 512, True)
