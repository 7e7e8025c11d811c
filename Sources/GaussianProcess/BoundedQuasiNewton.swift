/// Minimises a smooth function on a box l <= x <= u with projected limited-memory BFGS.
///
/// Each iteration fixes the variables that sit on a bound with the gradient pushing outwards,
/// takes the L-BFGS direction (two-loop recursion, Nocedal & Wright Algorithm 7.4) in the other
/// variables, and backtracks along the projected path P(x + t d) until the Armijo condition
/// f(P(x + t d)) <= f(x) + c1 g^T (P(x + t d) - x) holds. A failed evaluation (`nil`) counts as
/// +infinity, so the search backs away from hyperparameters where K is not positive definite.
/// It stops when the projected gradient's largest component falls below `gradientTolerance` or
/// an iteration lowers f by less than `relativeReduction` * max(|f|, 1).
struct BoundedQuasiNewton {
    var memory = 10
    var maxIterations = 500
    var gradientTolerance = 1e-6
    var relativeReduction = 1e-12

    struct Result {
        var x: [Double]
        var value: Double
        var evaluations: Int
    }

    /// `shouldStop` is polled before each iteration; once true, the point reached so far is returned.
    func minimise(
        start: [Double], lower: [Double], upper: [Double],
        shouldStop: () -> Bool = { false },
        objective: ([Double]) -> (value: Double, gradient: [Double])?
    ) -> Result? {
        let dimension = start.count
        func project(_ v: [Double]) -> [Double] {
            (0..<dimension).map { min(max(v[$0], lower[$0]), upper[$0]) }
        }
        var evaluations = 1
        var x = project(start)
        guard let first = objective(x), first.value.isFinite else { return nil }
        var f = first.value
        var g = first.gradient
        var history: [(s: [Double], y: [Double], rho: Double)] = []

        for _ in 0..<maxIterations {
            if shouldStop() { break }
            var projectedGradientNorm = 0.0
            var free = [Bool](repeating: true, count: dimension)
            for i in 0..<dimension {
                let step = min(max(x[i] - g[i], lower[i]), upper[i]) - x[i]
                projectedGradientNorm = max(projectedGradientNorm, abs(step))
                if (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0) { free[i] = false }
            }
            if projectedGradientNorm < gradientTolerance { break }

            var direction = twoLoopDirection(gradient: g, free: free, history: history)
            var slope = dot(direction, g)
            if !(slope < 0) {
                history.removeAll()
                direction = (0..<dimension).map { free[$0] ? -g[$0] : 0 }
                slope = dot(direction, g)
                if !(slope < 0) { break }
            }

            var t = history.isEmpty ? min(1, 1 / max(dot(direction, direction).squareRoot(), 1e-300)) : 1
            var accepted: (x: [Double], value: Double, gradient: [Double])?
            for _ in 0..<40 {
                let candidate = project((0..<dimension).map { x[$0] + t * direction[$0] })
                let decrease = dot(g, (0..<dimension).map { candidate[$0] - x[$0] })
                guard decrease < 0 else { break }
                evaluations += 1
                if let trial = objective(candidate), trial.value.isFinite {
                    if trial.value <= f + 1e-4 * decrease {
                        accepted = (candidate, trial.value, trial.gradient)
                        break
                    }
                    // Safeguarded quadratic interpolation along the path.
                    let derivative = decrease / t
                    let curvature = trial.value - f - derivative * t
                    let next = curvature > 0 ? -derivative * t * t / (2 * curvature) : 0.5 * t
                    t = min(max(next, 0.1 * t), 0.5 * t)
                } else {
                    t *= 0.25
                }
            }
            guard let step = accepted else {
                if history.isEmpty { break }
                history.removeAll()
                continue
            }
            let s = (0..<dimension).map { step.x[$0] - x[$0] }
            let y = (0..<dimension).map { step.gradient[$0] - g[$0] }
            let sy = dot(s, y)
            if sy > 1e-10 * dot(y, y) {
                history.append((s, y, 1 / sy))
                if history.count > memory { history.removeFirst() }
            }
            let reduction = f - step.value
            x = step.x
            f = step.value
            g = step.gradient
            if reduction <= relativeReduction * max(abs(f), 1) { break }
        }
        return Result(x: x, value: f, evaluations: evaluations)
    }

    /// -H g restricted to the free variables, H the L-BFGS inverse-Hessian approximation scaled by
    /// s^T y / y^T y of the newest pair.
    private func twoLoopDirection(gradient: [Double], free: [Bool], history: [(s: [Double], y: [Double], rho: Double)]) -> [Double] {
        var q = (0..<gradient.count).map { free[$0] ? gradient[$0] : 0 }
        var alphas = [Double](repeating: 0, count: history.count)
        for k in history.indices.reversed() {
            alphas[k] = history[k].rho * dot(history[k].s, q)
            for i in q.indices { q[i] -= alphas[k] * history[k].y[i] }
        }
        if let newest = history.last {
            let scale = 1 / (newest.rho * dot(newest.y, newest.y))
            for i in q.indices { q[i] *= scale }
        }
        for k in history.indices {
            let beta = history[k].rho * dot(history[k].y, q)
            for i in q.indices { q[i] += (alphas[k] - beta) * history[k].s[i] }
        }
        return (0..<q.count).map { free[$0] ? -q[$0] : 0 }
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }
}
