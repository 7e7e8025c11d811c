import Foundation

/// Iso-lines of a function sampled on a rectangular grid, by marching squares.
///
/// The grid holds `values[j][i]` = f(xs[i], ys[j]). In each cell the level crosses an edge where
/// its two corner values straddle it, at the linearly interpolated position
/// `x = x_a + (level - f_a) / (f_b - f_a) * (x_b - x_a)`. A cell with two crossings gives one
/// segment; a saddle (four crossings) is resolved by the mean of its corners. Cells touching a
/// non-finite value are skipped.
enum ContourLines {
    /// A straight piece of an iso-line, in data coordinates.
    struct Segment: Sendable, Equatable {
        public var x0: Double, y0: Double, x1: Double, y1: Double
    }

    /// The segments of the iso-line f = `level`.
    public static func segments(xs: [Double], ys: [Double], values: [[Double]], level: Double) -> [Segment] {
        guard xs.count >= 2, ys.count >= 2, values.count == ys.count, values.allSatisfy({ $0.count == xs.count }),
              level.isFinite else { return [] }
        var result: [Segment] = []
        for j in 0..<(ys.count - 1) {
            for i in 0..<(xs.count - 1) {
                // Corners counter-clockwise from (i, j): a, b = (i+1, j), c = (i+1, j+1), d = (i, j+1).
                let corners = [(xs[i], ys[j], values[j][i]), (xs[i + 1], ys[j], values[j][i + 1]),
                               (xs[i + 1], ys[j + 1], values[j + 1][i + 1]), (xs[i], ys[j + 1], values[j + 1][i])]
                guard corners.allSatisfy({ $0.2.isFinite }) else { continue }
                var crossings: [(Double, Double)] = []
                for edge in 0..<4 {
                    let a = corners[edge], b = corners[(edge + 1) % 4]
                    let aAbove = a.2 >= level, bAbove = b.2 >= level
                    guard aAbove != bAbove else { continue }
                    let t = (level - a.2) / (b.2 - a.2)
                    crossings.append((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
                }
                if crossings.count == 2 {
                    result.append(Segment(x0: crossings[0].0, y0: crossings[0].1, x1: crossings[1].0, y1: crossings[1].1))
                } else if crossings.count == 4 {
                    // Crossings lie on edges ab, bc, cd, da. If the centre is on a's side, a and c
                    // connect through it and b (ab-bc) and d (cd-da) are cut off alone; otherwise
                    // a (da-ab) and c (bc-cd) are.
                    let centre = corners.map(\.2).reduce(0, +) / 4
                    let aAbove = corners[0].2 >= level
                    let pairs = (centre >= level) == aAbove ? [(0, 1), (2, 3)] : [(3, 0), (1, 2)]
                    for (p, q) in pairs {
                        result.append(Segment(x0: crossings[p].0, y0: crossings[p].1, x1: crossings[q].0, y1: crossings[q].1))
                    }
                }
            }
        }
        return result
    }
}
