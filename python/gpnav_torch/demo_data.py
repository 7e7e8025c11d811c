"""`python -m gpnav_torch.demo_data DIR`: a small, procedurally generated ImageFolder dataset.

No download: every image is drawn from a seeded random generator. Each class is a kind of object
(shapes, a ring, a cross, stripes in one orientation, a checkerboard patch, a dot grid, ...)
drawn with random colours, position, size and rotation over a noisy background with clutter
(random lines and small blobs). Classes that differ only by a mirror image are avoided, so a
random horizontal flip never changes a label. Small objects, thin strokes and clutter are there
so that resolution and capacity can matter; how much they do at a given training budget is an
empirical question (Experiments/real-training).

Writes DIR/train/<class>/NNNNN.png and DIR/val/<class>/NNNNN.png (a fifth as many per class in
val) and DIR/classes.txt.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

Point = Tuple[float, float]


def _regular_polygon(sides: int, rotation: float) -> Callable[[float, float, float], List[Point]]:
    def points(cx: float, cy: float, r: float) -> List[Point]:
        return [(cx + r * math.cos(rotation + 2 * math.pi * k / sides),
                 cy + r * math.sin(rotation + 2 * math.pi * k / sides)) for k in range(sides)]
    return points


def _star(cx: float, cy: float, r: float, rotation: float, tips: int = 5) -> List[Point]:
    points = []
    for k in range(2 * tips):
        radius = r if k % 2 == 0 else r * 0.42
        angle = rotation + math.pi * k / tips
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def _draw_object(draw: ImageDraw.ImageDraw, kind: str, cx: float, cy: float, r: float,
                 rotation: float, colour: Tuple[int, int, int], rng: np.random.Generator) -> None:
    if kind == "disc":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
    elif kind == "ring":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=colour, width=max(2, int(r * 0.28)))
    elif kind == "triangle":
        draw.polygon(_regular_polygon(3, rotation)(cx, cy, r), fill=colour)
    elif kind == "square":
        draw.polygon(_regular_polygon(4, rotation)(cx, cy, r), fill=colour)
    elif kind == "hexagon":
        draw.polygon(_regular_polygon(6, rotation)(cx, cy, r), fill=colour)
    elif kind == "star":
        draw.polygon(_star(cx, cy, r, rotation), fill=colour)
    elif kind == "cross":
        w = max(2, int(r * 0.35))
        for angle in (rotation, rotation + math.pi / 2):
            dx, dy = r * math.cos(angle), r * math.sin(angle)
            draw.line([cx - dx, cy - dy, cx + dx, cy + dy], fill=colour, width=w)
    elif kind in ("horizontal_stripes", "vertical_stripes"):
        # Orientation is the class, so only a small jitter of the angle.
        angle = (0.0 if kind == "horizontal_stripes" else math.pi / 2) + rng.uniform(-0.15, 0.15)
        step = max(3.0, r * 0.4)
        for k in range(-3, 4):
            ox, oy = -math.sin(angle) * k * step, math.cos(angle) * k * step
            dx, dy = math.cos(angle) * r, math.sin(angle) * r
            draw.line([cx + ox - dx, cy + oy - dy, cx + ox + dx, cy + oy + dy], fill=colour, width=max(1, int(step / 2.5)))
    elif kind == "checkerboard":
        cells, size = 4, 2 * r / 4
        for i in range(cells):
            for j in range(cells):
                if (i + j) % 2 == 0:
                    x0, y0 = cx - r + i * size, cy - r + j * size
                    draw.rectangle([x0, y0, x0 + size, y0 + size], fill=colour)
    elif kind == "dots":
        dot = max(1.5, r * 0.14)
        for i in range(-1, 2):
            for j in range(-1, 2):
                x, y = cx + i * r * 0.6, cy + j * r * 0.6
                draw.ellipse([x - dot, y - dot, x + dot, y + dot], fill=colour)
    elif kind == "crescent":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
    else:
        raise ValueError(kind)


# In order of how easily they are told apart, so that a dataset of few classes is a quick start.
KINDS: Sequence[str] = ("disc", "horizontal_stripes", "vertical_stripes", "checkerboard", "ring", "cross",
                        "triangle", "square", "star", "dots", "hexagon", "crescent")


def _random_colour(rng: np.random.Generator) -> Tuple[int, int, int]:
    return tuple(int(v) for v in rng.integers(0, 256, size=3))


def _contrasting(rng: np.random.Generator, background: np.ndarray) -> Tuple[int, int, int]:
    for _ in range(20):
        colour = np.array(_random_colour(rng))
        if np.abs(colour - background).sum() > 160:
            break
    return tuple(int(v) for v in colour)


def render(kind: str, size: int, rng: np.random.Generator) -> Image.Image:
    """One image of class `kind`, `size` x `size` pixels."""
    background = rng.integers(0, 256, size=3)
    # A smooth random gradient plus pixel noise as the background.
    ys, xs = np.mgrid[0:size, 0:size] / size
    tilt = rng.uniform(-60, 60, size=(2, 3))
    pixels = background + xs[..., None] * tilt[0] + ys[..., None] * tilt[1]
    pixels += rng.normal(0, 14, size=(size, size, 3))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(3, 9))):  # clutter: thin lines and small blobs
        colour = _random_colour(rng)
        x0, y0, x1, y1 = rng.uniform(0, size, size=4)
        if rng.random() < 0.5:
            draw.line([x0, y0, x1, y1], fill=colour, width=1)
        else:
            b = rng.uniform(1, max(1.0, size * 0.04))  # below 25 px the blob is one pixel
            draw.ellipse([x0 - b, y0 - b, x0 + b, y0 + b], fill=colour)
    r = rng.uniform(0.12, 0.3) * size
    cx, cy = rng.uniform(r, size - r, size=2)
    rotation = rng.uniform(0, 2 * math.pi)
    colour = _contrasting(rng, background)
    _draw_object(draw, kind, cx, cy, r, rotation, colour, rng)
    if kind == "crescent":  # a disc with an offset bite of background colour
        offset = 0.45 * r
        bx, by = cx + offset * math.cos(rotation), cy + offset * math.sin(rotation)
        draw.ellipse([bx - r * 0.85, by - r * 0.85, bx + r * 0.85, by + r * 0.85], fill=tuple(int(v) for v in background))
    if rng.random() < 0.5:
        image = image.filter(ImageFilter.GaussianBlur(radius=float(rng.uniform(0.3, 1.2))))
    return image


def write_dataset(directory: str, classes: int = 10, per_class: int = 200, size: int = 128, seed: int = 0,
                  val_per_class: Optional[int] = None,
                  progress: Optional[Callable[[str, int, int], None]] = None) -> None:
    """Writes the train and val splits: per_class and val_per_class (default max(1, per_class // 5))
    images per class. `progress(split, classes_done, classes)` is called after each class folder:
    the default dataset takes minutes to render."""
    if not 2 <= classes <= len(KINDS):
        raise ValueError(f"classes must be 2 to {len(KINDS)}, got {classes}")
    val = max(1, per_class // 5) if val_per_class is None else val_per_class
    if per_class < 1 or val < 1:
        raise ValueError(f"per-class and val-per-class must be at least 1, got {per_class} and {val}")
    if not 16 <= size <= 1024:
        raise ValueError(f"size must be 16 to 1024 pixels, got {size}")
    kinds = KINDS[:classes]
    for split, count, split_seed in (("train", per_class, 0), ("val", val, 1)):
        for index, kind in enumerate(kinds):
            folder = os.path.join(directory, split, f"{index:02d}_{kind}")
            os.makedirs(folder, exist_ok=True)
            rng = np.random.default_rng([seed, split_seed, index])
            for number in range(count):
                render(kind, size, rng).save(os.path.join(folder, f"{number:05d}.png"))
            if progress is not None:
                progress(split, index + 1, len(kinds))
    with open(os.path.join(directory, "classes.txt"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(f"{index:02d}_{kind}" for index, kind in enumerate(kinds)) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gpnav_torch.demo_data",
        description="Write a procedurally generated ImageFolder dataset (DIR/train, DIR/val). "
                    "A demo dataset: learnable, not trivial, and small.")
    parser.add_argument("directory", metavar="DIR")
    parser.add_argument("--classes", type=int, default=10, help=f"number of classes, 2 to {len(KINDS)} (default 10)")
    parser.add_argument("--per-class", type=int, default=200, help="training images per class (default 200); val gets a fifth")
    parser.add_argument("--val-per-class", type=int, help="validation images per class (default: a fifth of --per-class)")
    parser.add_argument("--size", type=int, default=128, help="image side in pixels (default 128)")
    parser.add_argument("--seed", type=int, default=0, help="seed (default 0); the same seed writes the same images")
    args = parser.parse_args(argv)
    on_terminal = sys.stderr.isatty()

    def report(split: str, done: int, total: int) -> None:
        # A live line on a terminal; in a log, one line per split.
        if on_terminal:
            print(f"\rwriting {split} images: class {done} of {total}", end="" if done < total else "\n",
                  file=sys.stderr, flush=True)
        elif done == total:
            print(f"wrote the {split} split ({total} classes)", file=sys.stderr, flush=True)

    try:
        write_dataset(args.directory, classes=args.classes, per_class=args.per_class, size=args.size, seed=args.seed,
                      val_per_class=args.val_per_class, progress=report)
    except (ValueError, OSError) as error:
        print(f"gpnav_torch.demo_data: error: {error}", file=sys.stderr)
        return 2
    val = max(1, args.per_class // 5) if args.val_per_class is None else args.val_per_class
    print(f"wrote {args.classes} classes x ({args.per_class} train + {val} val) images of "
          f"{args.size} px to {args.directory}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
