// Counting throughput of MobileViTv1CostModel.cost (totals only), on one core.
//
// Compiled together with Sources/MobileViT by run.sh (one module, -O, whole-module); it uses only
// the public API.
import Foundation

@main
enum MobileViTv1CostBenchmark {
    static func main() throws {
        let arguments = CommandLine.arguments
        let evaluations = arguments.count > 1 ? Int(arguments[1]) ?? 5_000_000 : 5_000_000
        var random = SystemRandomNumberGenerator()
        // Search-like candidates: r 128-512, w 0.25-2 on every base plan, depths around the published.
        var pool: [MobileViTv1Network] = []
        for _ in 0..<4096 {
            pool.append(try MobileViTv1Network(
                resolution: 2 * Int.random(in: 64...256, using: &random),
                basePlan: MobileViTv1BasePlan.allCases.randomElement(using: &random) ?? .s,
                width: Double.random(in: 0.25...2, using: &random),
                mv2Depths: [Int.random(in: 1...3, using: &random), Int.random(in: 1...6, using: &random)],
                transformerDepths: [Int.random(in: 1...4, using: &random), Int.random(in: 1...8, using: &random),
                                    Int.random(in: 1...6, using: &random)],
                expansion: Bool.random(using: &random) ? 2 : 4))
        }
        var checksum = 0
        for network in pool { checksum &+= MobileViTv1CostModel.cost(of: network).macs }
        let start = DispatchTime.now().uptimeNanoseconds
        for index in 0..<evaluations {
            checksum &+= MobileViTv1CostModel.cost(of: pool[index & 4095]).macs
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let rate = Double(evaluations) / seconds
        print(String(format: "MobileViTv1CostModel.cost(of:): %d networks in %.3f s = %.2f million/s (%.0f ns each; checksum %d)",
                     evaluations, seconds, rate / 1e6, 1e9 / rate, checksum))
    }
}
