"""Draws the installable app's icons into static/img (run once: `make icons`; the PNGs are
committed). The glyph is the favicon's dumbbell (static/img/favicon.svg, a 32-unit grid), white
on the theme colour. A maskable icon fills the whole square and keeps the glyph inside the
middle 80 % circle that every launcher shape leaves visible."""

from pathlib import Path

from PIL import Image, ImageDraw

THEME = "#0d6efd"
STATIC_IMG = Path(__file__).resolve().parent.parent / "static" / "img"
# The favicon's bars, as (x, y, width, height) on its 32-unit grid.
DUMBBELL = [(9, 13, 3, 6), (20, 13, 3, 6), (12, 15, 8, 2), (6, 14, 3, 4), (23, 14, 3, 4)]


def icon(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, size, size), fill=THEME)
        glyph = size * 0.6  # the bars span 20 of 32 units: well inside the safe circle
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size * 6 / 32, fill=THEME)
        glyph = size
    unit = glyph / 32
    offset = (size - glyph) / 2
    for x, y, width, height in DUMBBELL:
        left, top = offset + x * unit, offset + y * unit
        draw.rectangle((left, top, left + width * unit, top + height * unit), fill="white")
    return image


def main():
    icons = {
        "icon-192.png": (192, False),
        "icon-512.png": (512, False),
        "icon-maskable-512.png": (512, True),
        "apple-touch-icon.png": (180, True),  # iOS rounds the corners itself
    }
    for name, (size, maskable) in icons.items():
        icon(size, maskable=maskable).save(STATIC_IMG / name, optimize=True)


if __name__ == "__main__":
    main()
