#!/usr/bin/env python3
"""make-icons.py: draws troth's app icons (two soft rings on a calm
background) as PNG files with only the standard library, so the icons can
be made again from this file. Writes static/icon-192.png, icon-512.png and
icon-maskable-512.png (full-bleed background, the rings inside the safe
zone). Run from the repository root: python3 tools/make-icons.py"""
import struct, zlib, math

BG = (47, 111, 115)      # #2f6f73
FG = (251, 250, 247)     # the page background

def png(path, size, maskable):
    scale = 0.62 if maskable else 0.8
    r = size * scale * 0.27          # ring radius
    w = size * scale * 0.075         # ring half-width
    cx, cy = size / 2, size / 2
    c1 = (cx - r * 0.55, cy)
    c2 = (cx + r * 0.55, cy)
    corner = 0 if maskable else size * 0.22
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            px, py = x + 0.5, y + 0.5
            # rounded square mask (alpha) for the plain icon
            a = 1.0
            if corner:
                dx = max(corner - px, 0, px - (size - corner))
                dy = max(corner - py, 0, py - (size - corner))
                d = math.hypot(dx, dy) - corner
                a = min(1.0, max(0.0, 0.5 - d))
            ring = 0.0
            for (qx, qy) in (c1, c2):
                d = abs(math.hypot(px - qx, py - qy) - r) - w
                ring = max(ring, min(1.0, max(0.0, 0.5 - d)))
            col = [round(BG[i] * (1 - ring) + FG[i] * ring) for i in range(3)]
            row += bytes(col + [round(255 * a)])
        rows.append(bytes(row))
    raw = b"".join(rows)
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)

png("static/icon-192.png", 192, False)
png("static/icon-512.png", 512, False)
png("static/icon-maskable-512.png", 512, True)
