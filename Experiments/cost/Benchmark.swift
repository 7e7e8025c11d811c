// Counting throughput of CostModel.cost (totals only), on one core.
//
// Compiled together with Sources/MobileViT by run.sh (one module, -O, whole-module), so it
// measures the library's own code; it uses only the public API.
import Foundation

@main
enum CostBenchmark {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func main() throws {
        let arguments = CommandLine.arguments
        let evaluations = arguments.count > 1 ? Int(arguments[1]) ?? 5_000_000 : 5_000_000
        var random = Generator(state: 42)
        // A pool of search-like candidates: r in 128...512, w in 0.25...2, depths around the base.
        var pool: [Architecture] = []
        for _ in 0..<4096 {
            pool.append(try Architecture(
                resolution: 2 * Int.random(in: 64...256, using: &random),
                width: Double.random(in: 0.25...2, using: &random),
                mv2Depths: [Int.random(in: 1...3, using: &random), Int.random(in: 1...4, using: &random)],
                vitDepths: [Int.random(in: 1...4, using: &random), Int.random(in: 1...8, using: &random),
                            Int.random(in: 1...6, using: &random)]))
        }
        for convention in CountingConvention.allCases {
            var checksum = 0
            // Warm-up pass, then the timed run.
            for architecture in pool { checksum &+= CostModel.cost(of: architecture, convention: convention).macs }
            let start = DispatchTime.now().uptimeNanoseconds
            for index in 0..<evaluations {
                checksum &+= CostModel.cost(of: pool[index & 4095], convention: convention).macs
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let rate = Double(evaluations) / seconds
            print(String(format: "cost(of:) %@: %d configurations in %.3f s = %.2f million/s (%.0f ns each; checksum %d)",
                         convention.rawValue, evaluations, seconds, rate / 1e6, 1e9 / rate, checksum))
        }
        let breakdowns = evaluations / 100
        var layers = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for index in 0..<breakdowns { layers &+= CostModel.breakdown(of: pool[index & 4095]).count }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "breakdown(of:): %d configurations in %.3f s = %.0f per second (%d layers)",
                     breakdowns, seconds, Double(breakdowns) / seconds, layers))
    }
}
