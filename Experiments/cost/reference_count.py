"""A second, independent count of MobileViTv2 MACs and parameters (published convention).

Written straight from /work/shared/reference/mobilevitv2.md, deliberately plain: it walks the
network layer by layer and sums conv and linear costs. Used by crosscheck.py to check the Swift
cost model (MobileViT.CostModel) on random architectures. Standard library only.
"""

import math


def round8(v, divisor, min_value=None):
    if min_value is None:
        min_value = divisor
    r = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if r < 0.9 * v:
        r += divisor
    return r


def conv(k, cin, cout, h, w, groups=1, bias=False, bn=False):
    """(macs, params) of a k x k conv producing an h x w map."""
    weights = k * k * cin * cout // groups
    macs = weights * h * w
    params = weights
    if bias:
        macs += cout * h * w
        params += cout
    if bn:
        params += 2 * cout
    return macs, params


def count(resolution, width, mv2_depths=(1, 2), vit_depths=(2, 4, 3), classes=1000):
    """Total (macs, params) of MobileViTv2 with these global factors."""
    total = [0, 0]

    def add(cost):
        total[0] += cost[0]
        total[1] += cost[1]

    def mv2(cin, cout, stride, h):
        hidden = round8(round(cin * 2), 8)
        hout = math.ceil(h / stride)
        add(conv(1, cin, hidden, h, h, bn=True))
        add(conv(3, hidden, hidden, hout, hout, groups=hidden, bn=True))
        add(conv(1, hidden, cout, hout, hout, bn=True))
        return hout

    def mobilevit(c, d, layers, h):
        if h % 2 == 1:
            h += 1
        tokens = h * h
        add(conv(3, c, c, h, h, groups=c, bn=True))
        add(conv(1, c, d, h, h))
        f = (2 * d) // 16 * 16
        for _ in range(layers):
            add((0, 2 * d))  # LayerNorm
            add(conv(1, d, 1 + 2 * d, tokens, 1, bias=True))
            add(conv(1, d, d, tokens, 1, bias=True))
            add((0, 2 * d))  # LayerNorm
            add(conv(1, d, f, tokens, 1, bias=True))
            add(conv(1, f, d, tokens, 1, bias=True))
        add((0, 2 * d))  # final LayerNorm
        add(conv(1, d, c, h, h, bn=True))
        return h

    c0 = round8(min(max(32 * width, 16), 64), 8, 16)
    c1 = round8(64 * width, 16)
    c2 = round8(128 * width, 8)
    c3, c4, c5 = (round8(b * width, 8) for b in (256, 384, 512))
    d3, d4, d5 = (round8(b * width, 8) for b in (128, 192, 256))

    h = math.ceil(resolution / 2)
    add(conv(3, 3, c0, h, h, bn=True))
    cin = c0
    for _ in range(mv2_depths[0]):
        h = mv2(cin, c1, 1, h)
        cin = c1
    for i in range(mv2_depths[1]):
        h = mv2(cin, c2, 2 if i == 0 else 1, h)
        cin = c2
    for c, d, layers in ((c3, d3, vit_depths[0]), (c4, d4, vit_depths[1]), (c5, d5, vit_depths[2])):
        h = mv2(cin, c, 2, h)
        h = mobilevit(c, d, layers, h)
        cin = c
    add((c5 * classes + classes, c5 * classes + classes))
    return total[0], total[1]


if __name__ == "__main__":
    for w in (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0):
        macs, params = count(256, w)
        print(f"width {w}: macs {macs} ({macs / 1e9:.3f} G) params {params} ({params / 1e6:.2f} M)")
