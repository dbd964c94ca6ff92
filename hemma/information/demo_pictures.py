"""The demo's picture instructions and printable leaflet, made when the demo is loaded (no
binary files in the repository).

The pictures are pictograms without words, so that one image serves every language: its
caption and alt text say in each language what it shows (hemma/information/demo.py). Each is
drawn at twice its size and scaled down, for smooth edges, and saved as a PNG carrying EXIF
tags as a drawing program leaves them: the upload must strip them (hemma/information/
uploads.py), as it does a camera's. The leaflet is a one-page PDF written by hand with the
PDF's standard Helvetica, enough for Swedish, Finnish and English.
"""

import io
import math
import textwrap
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 800
_S = 2  # drawn at twice the size, then scaled down

INK = "#1f2933"
PAPER = "#f7f5ef"
WHITE = "#ffffff"

# What a drawing program writes into a file: what the upload must not keep.
_SOFTWARE = 0x0131
_ARTIST = 0x013B
_DATETIME = 0x0132

Box = tuple[float, float, float, float]
Point = tuple[float, float]


class _Pen:
    """ImageDraw in the final picture's pixels: coordinates and widths are doubled."""

    def __init__(self, draw: ImageDraw.ImageDraw) -> None:
        self.draw = draw

    @staticmethod
    def _box(box: Box) -> list[float]:
        return [v * _S for v in box]

    def rect(self, box: Box, fill=None, outline=INK, width=4, radius=0) -> None:
        self.draw.rounded_rectangle(
            self._box(box), radius=radius * _S, fill=fill, outline=outline, width=width * _S
        )

    def ellipse(self, box: Box, fill=None, outline=INK, width=4) -> None:
        self.draw.ellipse(self._box(box), fill=fill, outline=outline, width=width * _S)

    def circle(self, centre: Point, radius: float, **options) -> None:
        x, y = centre
        self.ellipse((x - radius, y - radius, x + radius, y + radius), **options)

    def polygon(self, points: Sequence[Point], fill=None, outline=INK, width=4) -> None:
        self.draw.polygon(
            [(x * _S, y * _S) for x, y in points], fill=fill, outline=outline, width=width * _S
        )

    def line(self, points: Sequence[Point], fill=INK, width=4) -> None:
        self.draw.line([(x * _S, y * _S) for x, y in points], fill=fill, width=width * _S)
        for x, y in (points[0], points[-1]):  # round ends
            r = width * _S / 2
            self.draw.ellipse([x * _S - r, y * _S - r, x * _S + r, y * _S + r], fill=fill)

    def arc(self, box: Box, start: float, end: float, fill=INK, width=4) -> None:
        self.draw.arc(self._box(box), start, end, fill=fill, width=width * _S)

    def pie(self, box: Box, start: float, end: float, fill) -> None:
        self.draw.pieslice(self._box(box), start, end, fill=fill)

    def arrow(self, start: Point, end: Point, fill=INK, width=8) -> None:
        self.line([start, end], fill=fill, width=width)
        angle = math.atan2(end[1] - start[1], end[0] - start[0])
        size = width * 3
        left = (
            end[0] - size * math.cos(angle - 0.5),
            end[1] - size * math.sin(angle - 0.5),
        )
        right = (
            end[0] - size * math.cos(angle + 0.5),
            end[1] - size * math.sin(angle + 0.5),
        )
        self.polygon([end, left, right], fill=fill, outline=fill, width=1)


def _picture(draw: Callable[[_Pen], None], background: str = PAPER) -> bytes:
    image = Image.new("RGB", (WIDTH * _S, HEIGHT * _S), background)
    draw(_Pen(ImageDraw.Draw(image)))
    image = image.reduce(_S)
    exif = Image.Exif()
    exif[_SOFTWARE] = "Hemma demo drawing"
    exif[_ARTIST] = "Hemma"
    exif[_DATETIME] = "2023:04:20 10:00:00"
    out = io.BytesIO()
    image.save(out, format="PNG", exif=exif)
    return out.getvalue()


# -- sorting waste -----------------------------------------------------------------------------


def _bin(pen: _Pen, x: float, colour: str, symbol: Callable[[_Pen, float, float], None]) -> None:
    """A wheeled bin 140 wide at `x`, its lid in its colour, its symbol on a white disc."""
    top, bottom = 250, 690
    pen.polygon([(x, top), (x + 140, top), (x + 128, bottom), (x + 12, bottom)], fill=colour)
    pen.rect((x - 8, top - 44, x + 148, top), fill=colour, radius=8)
    pen.rect((x + 50, top - 60, x + 90, top - 44), fill=INK, radius=4)
    for wheel in (x + 28, x + 112):
        pen.circle((wheel, bottom + 14), 18, fill=INK)
    pen.circle((x + 70, 430), 58, fill=WHITE)
    symbol(pen, x + 70, 430)


def _apple_core(pen: _Pen, x: float, y: float) -> None:
    pen.ellipse((x - 26, y - 48, x + 26, y - 20), fill="#c0392b")
    pen.rect((x - 11, y - 26, x + 11, y + 26), fill="#f3e2b3", width=3)
    pen.ellipse((x - 26, y + 20, x + 26, y + 48), fill="#c0392b")
    pen.line([(x, y - 48), (x + 6, y - 62)], width=5)
    pen.ellipse((x + 6, y - 66, x + 30, y - 54), fill="#2e7d32", width=2)


def _carton(pen: _Pen, x: float, y: float) -> None:
    pen.polygon(
        [(x - 34, y - 16), (x + 22, y - 16), (x + 22, y + 38), (x - 34, y + 38)], fill="#c8a165"
    )
    pen.polygon(
        [(x - 34, y - 16), (x - 14, y - 36), (x + 40, y - 36), (x + 22, y - 16)], fill="#dcb97f"
    )
    pen.polygon(
        [(x + 22, y - 16), (x + 40, y - 36), (x + 40, y + 18), (x + 22, y + 38)], fill="#a9834b"
    )


def _newspaper(pen: _Pen, x: float, y: float) -> None:
    pen.rect((x - 34, y - 38, x + 34, y + 38), fill=WHITE, width=3)
    pen.rect((x - 24, y - 28, x + 24, y - 16), fill=INK, width=1)
    for row in range(4):
        pen.line([(x - 24, y - 4 + row * 11), (x + 24, y - 4 + row * 11)], fill="#7b8794", width=3)


def _glass_bottle(pen: _Pen, x: float, y: float) -> None:
    pen.rect((x - 8, y - 50, x + 8, y - 22), fill="#2e7d32", width=3)
    pen.rect((x - 22, y - 24, x + 22, y + 46), fill="#2e7d32", width=3, radius=10)
    pen.rect((x - 12, y, x + 12, y + 22), fill="#e8f5e9", width=2)


def _tin_can(pen: _Pen, x: float, y: float) -> None:
    pen.rect((x - 30, y - 30, x + 30, y + 36), fill="#b0bec5", width=3)
    pen.ellipse((x - 30, y - 40, x + 30, y - 20), fill="#cfd8dc", width=3)
    pen.ellipse((x - 30, y + 26, x + 30, y + 46), fill="#b0bec5", width=3)
    pen.line([(x - 30, y + 4), (x + 30, y + 4)], fill="#78909c", width=3)


def _plastic_bottle(pen: _Pen, x: float, y: float) -> None:
    pen.rect((x - 10, y - 54, x + 10, y - 42), fill="#1565c0", width=2)
    pen.polygon(
        [(x - 8, y - 42), (x + 8, y - 42), (x + 22, y - 22), (x - 22, y - 22)], fill="#bbdefb"
    )
    pen.rect((x - 22, y - 24, x + 22, y + 48), fill="#bbdefb", width=3, radius=6)
    for row in (y - 6, y + 14, y + 32):
        pen.line([(x - 22, row), (x + 22, row)], fill="#64b5f6", width=3)


def _rubbish_bag(pen: _Pen, x: float, y: float) -> None:
    pen.ellipse((x - 38, y - 22, x + 38, y + 46), fill="#455a64")
    pen.polygon([(x - 12, y - 22), (x + 12, y - 22), (x + 4, y - 36), (x - 4, y - 36)])
    pen.polygon([(x - 4, y - 36), (x - 22, y - 52), (x - 10, y - 36)], fill="#455a64")
    pen.polygon([(x + 4, y - 36), (x + 22, y - 52), (x + 10, y - 36)], fill="#455a64")


# The seven bins of the guide's list, in its order: (lid colour, symbol).
BINS: tuple[tuple[str, Callable[[_Pen, float, float], None]], ...] = (
    ("#2e7d32", _apple_core),  # biowaste
    ("#8d6e63", _carton),  # cardboard
    ("#1565c0", _newspaper),  # paper
    ("#00897b", _glass_bottle),  # glass
    ("#78909c", _tin_can),  # metal
    ("#f9a825", _plastic_bottle),  # plastic
    ("#37474f", _rubbish_bag),  # mixed waste
)


def waste_bins() -> bytes:
    """Seven bins in a row, each with its colour and a picture of what goes in it."""

    def draw(pen: _Pen) -> None:
        pen.rect((20, 740, 1180, 760), fill="#cbd2d9", outline="#cbd2d9")
        for n, (colour, symbol) in enumerate(BINS):
            _bin(pen, 42 + n * 162, colour, symbol)

    return _picture(draw)


# -- the laundry booking board -----------------------------------------------------------------


def _sun(pen: _Pen, x: float, y: float, r: float) -> None:
    for n in range(8):
        a = n * math.pi / 4
        pen.line(
            [
                (x + (r + 6) * math.cos(a), y + (r + 6) * math.sin(a)),
                (x + (r + 16) * math.cos(a), y + (r + 16) * math.sin(a)),
            ],
            fill="#f9a825",
            width=4,
        )
    pen.circle((x, y), r, fill="#fdd835", outline="#f9a825")


def _moon(pen: _Pen, x: float, y: float, r: float, sky: str) -> None:
    pen.circle((x, y), r, fill="#fdd835", outline="#fdd835")
    pen.circle((x + r * 0.45, y - r * 0.3), r * 0.85, fill=sky, outline=sky)


def _lock(pen: _Pen, x: float, y: float) -> None:
    """The booking lock of a Finnish laundry board: a round cylinder with a key slot."""
    pen.circle((x, y), 24, fill="#1565c0")
    pen.circle((x, y), 13, fill="#90caf9", width=3)
    pen.line([(x, y - 8), (x, y + 8)], width=4)


def laundry_board() -> bytes:
    """A week's booking board (seven days, morning, day and evening turns) with some turns
    locked, and a washing machine beside it."""
    booked = {(0, 1), (1, 2), (2, 0), (3, 2), (4, 1), (5, 0), (5, 2), (6, 1)}

    def draw(pen: _Pen) -> None:
        pen.rect((40, 100, 800, 720), fill="#e4e7eb", radius=16)
        left, top, cell_w, cell_h = 160, 200, 88, 150
        for day in range(7):
            x = left + day * cell_w
            weekend = day >= 5
            # One dot per day of the week (1 to 7), no words.
            for dot in range(day + 1):
                pen.circle(
                    (x + 16 + (dot % 4) * 18, 138 + (dot // 4) * 20),
                    6,
                    fill="#c62828" if weekend else INK,
                    outline=None,
                )
            for turn in range(3):
                y = top + turn * cell_h
                pen.rect((x + 4, y + 8, x + cell_w - 4, y + cell_h - 8), fill=WHITE, width=3)
                if (day, turn) in booked:
                    _lock(pen, x + cell_w / 2, y + cell_h / 2)
        # The turns: morning (a rising sun), day (the sun), evening (the moon).
        _sun(pen, 100, top + cell_h / 2 + 20, 18)
        horizon = top + cell_h / 2 + 20
        pen.rect((56, horizon, 144, horizon + 44), fill="#e4e7eb", outline="#e4e7eb", width=1)
        pen.line([(62, horizon), (138, horizon)], width=4)
        _sun(pen, 100, top + cell_h * 1.5, 22)
        _moon(pen, 100, top + cell_h * 2.5, 26, "#e4e7eb")
        # The washing machine.
        pen.rect((860, 260, 1150, 720), fill=WHITE, radius=18)
        pen.line([(860, 340), (1150, 340)], width=4)
        pen.rect((880, 285, 980, 315), fill="#e4e7eb", width=3, radius=6)
        pen.circle((1100, 300), 20, fill="#cfd8dc", width=3)
        pen.circle((1005, 520), 110, fill="#cfd8dc", width=6)
        pen.circle((1005, 520), 80, fill="#90caf9", width=4)
        pen.arc((945, 470, 1065, 590), 200, 330, fill=WHITE, width=6)

    return _picture(draw)


# -- quiet hours -------------------------------------------------------------------------------

NIGHT = "#1a2340"


def _star(pen: _Pen, x: float, y: float, r: float) -> None:
    points = []
    for n in range(10):
        radius = r if n % 2 == 0 else r * 0.45
        a = -math.pi / 2 + n * math.pi / 5
        points.append((x + radius * math.cos(a), y + radius * math.sin(a)))
    pen.polygon(points, fill="#fff59d", outline="#fff59d", width=1)


def _clock(pen: _Pen, x: float, y: float, r: float, hour: float, minute: float) -> None:
    pen.circle((x, y), r, fill=WHITE, width=8)
    for n in range(12):
        a = n * math.pi / 6
        inner = r * (0.78 if n % 3 == 0 else 0.86)
        pen.line(
            [
                (x + inner * math.sin(a), y - inner * math.cos(a)),
                (x + r * 0.93 * math.sin(a), y - r * 0.93 * math.cos(a)),
            ],
            width=6 if n % 3 == 0 else 3,
        )
    h = (hour % 12 + minute / 60) * math.pi / 6
    m = minute * math.pi / 30
    pen.line([(x, y), (x + r * 0.5 * math.sin(h), y - r * 0.5 * math.cos(h))], width=12)
    pen.line([(x, y), (x + r * 0.75 * math.sin(m), y - r * 0.75 * math.cos(m))], width=8)
    pen.circle((x, y), 10, fill=INK)


def quiet_hours() -> bytes:
    """A moon and stars, a clock at ten o'clock, and a crossed-out loudspeaker."""

    def draw(pen: _Pen) -> None:
        _moon(pen, 210, 210, 110, NIGHT)
        for x, y, r in (
            (420, 110, 22),
            (520, 260, 14),
            (360, 360, 16),
            (120, 420, 12),
            (600, 90, 12),
            (1120, 90, 16),
        ):
            _star(pen, x, y, r)
        _clock(pen, 860, 330, 230, 10, 0)
        # The loudspeaker, crossed out.
        x, y = 230, 620
        pen.rect((x - 70, y - 40, x - 20, y + 40), fill=WHITE, outline=WHITE)
        pen.polygon(
            [(x - 20, y - 40), (x + 40, y - 90), (x + 40, y + 90), (x - 20, y + 40)],
            fill=WHITE,
            outline=WHITE,
        )
        for radius in (70, 110):
            pen.arc(
                (x + 40 - radius, y - radius, x + 40 + radius, y + radius),
                -40,
                40,
                fill=WHITE,
                width=10,
            )
        pen.circle((x + 20, y), 150, outline="#e53935", width=18)
        pen.line([(x + 20 - 106, y - 106), (x + 20 + 106, y + 106)], fill="#e53935", width=18)

    return _picture(draw, background=NIGHT)


# -- heating and airing ------------------------------------------------------------------------


def radiator_window() -> bytes:
    """A radiator with its thermostat and nothing in front of it, a wide-open window above it
    with fresh air coming in, and a clock showing ten minutes."""

    def draw(pen: _Pen) -> None:
        pen.rect((0, 740, 1200, 800), fill="#d7ccc8", outline="#d7ccc8", width=1)
        # The window: its frame and sill, the left pane shut, the right one swung wide
        # into the room, and fresh air coming in through the opening.
        pen.rect((330, 60, 830, 460), fill="#b3e5fc", width=8)
        pen.line([(580, 60), (580, 460)], width=8)
        pen.rect((330, 460, 830, 486), fill=WHITE, width=4)
        pen.polygon([(580, 60), (700, 110), (700, 520), (580, 460)], fill="#e1f5fe", width=6)
        for n in range(3):
            y = 140 + n * 110
            pen.arrow((740, y), (900, y + 70), fill="#1e88e5", width=10)
        # The radiator below it, and its thermostat.
        pen.rect((360, 560, 800, 720), fill=WHITE, radius=8)
        for n in range(1, 11):
            x = 360 + n * 40
            pen.line([(x, 576), (x, 704)], fill="#9aa5b1", width=4)
        pen.rect((800, 600, 830, 680), fill="#cfd8dc", width=3)
        pen.circle((858, 640), 30, fill=WHITE, width=5)
        pen.line([(858, 640), (858, 616)], width=5)
        # Ten minutes: a clock with the first ten minutes shaded.
        pen.circle((1040, 180), 110, fill=WHITE, width=8)
        pen.pie((930, 70, 1150, 290), -90, -30, fill="#90caf9")
        pen.circle((1040, 180), 110, width=8)
        pen.line([(1040, 180), (1040, 96)], width=8)
        pen.line([(1040, 180), (1040 + 84 * math.sin(math.pi / 3), 180 - 84 * 0.5)], width=8)
        pen.circle((1040, 180), 8, fill=INK)
        # A thermometer at about 21 degrees.
        pen.rect((120, 300, 160, 600), fill=WHITE, width=5, radius=20)
        pen.rect((130, 420, 150, 600), fill="#e53935", outline="#e53935", width=1)
        pen.circle((140, 620), 38, fill="#e53935", width=5)
        for n in range(6):
            pen.line([(160, 330 + n * 45), (180, 330 + n * 45)], width=4)

    return _picture(draw)


# -- the printable leaflet ---------------------------------------------------------------------


def _pdf_text(value: str) -> bytes:
    """A PDF string in the standard fonts' WinAnsi encoding."""
    raw = value.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def leaflet_pdf(*, language: str, title: str, paragraphs: Sequence[str]) -> bytes:
    """A one-page A4 PDF: the title in bold and the paragraphs wrapped below it, tagged
    with its language."""
    lines: list[bytes] = [b"BT", b"/F2 20 Tf", b"56 780 Td", _pdf_text(title) + b" Tj"]
    lines += [b"/F1 12 Tf", b"16 TL", b"0 -14 Td"]
    for paragraph in paragraphs:
        lines.append(b"T*")
        for line in textwrap.wrap(paragraph, 82):
            lines.append(_pdf_text(line) + b" '")
    lines.append(b"ET")
    content = b"\n".join(lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang " + _pdf_text(language) + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Title " + _pdf_text(title) + b" >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, len(objects), xref)
    )
    return out.getvalue()
