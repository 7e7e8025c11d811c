import Testing
import MobileViT

/// Totals checked against a second, independent implementation of the reference definition
/// (`Experiments/cost/reference_count.py`), and breakdowns checked against totals.
@Suite struct ReferenceCountTests {
    struct ReferenceCase: Sendable, CustomTestStringConvertible {
        let resolution: Int
        let width: Double
        let mv2: [Int]
        let vit: [Int]
        let classes: Int
        let macs: Int
        let params: Int
        init(_ r: Int, _ w: Double, _ mv2: [Int], _ vit: [Int], _ classes: Int, macs: Int, params: Int) {
            (resolution, width, self.mv2, self.vit, self.classes, self.macs, self.params) = (r, w, mv2, vit, classes, macs, params)
        }
        var testDescription: String { "r\(resolution) w\(width) mv2\(mv2) vit\(vit) k\(classes)" }
    }

    /// Printed by `reference_count.py` (random cases drawn with seed 7; see Experiments/cost/RESULTS.md).
    static let cases: [ReferenceCase] = [
        ReferenceCase(224, 1.0, [1, 2], [2, 4, 3], 1000, macs: 1414564568, params: 4901841),
        ReferenceCase(200, 0.5, [1, 2], [2, 4, 3], 1000, macs: 316970240, params: 1370593),
        ReferenceCase(96, 0.75, [2, 3], [1, 1, 1], 10, macs: 163315790, params: 1508869),
        ReferenceCase(32, 0.125, [1, 1], [1, 1, 1], 1, macs: 882841, params: 46892),
        ReferenceCase(362, 3.798, [4, 6], [1, 2, 2], 100, macs: 98325052664, params: 51692409),
        ReferenceCase(628, 0.35, [2, 1], [2, 7, 7], 1000, macs: 2158451832, params: 1023360),
        ReferenceCase(278, 0.477, [4, 1], [2, 4, 1], 21843, macs: 719801583, params: 6226194),
        ReferenceCase(82, 3.908, [1, 5], [3, 5, 7], 10, macs: 5740106542, params: 103328833),
        ReferenceCase(584, 0.581, [3, 5], [3, 2, 4], 100, macs: 6792221880, params: 1666509),
        ReferenceCase(130, 2.248, [1, 5], [1, 4, 8], 21843, macs: 4275245991, params: 59293888),
        ReferenceCase(826, 1.342, [4, 3], [5, 4, 3], 10, macs: 57986051166, params: 8611590),
        ReferenceCase(114, 2.351, [4, 3], [8, 5, 2], 1000, macs: 4436017064, params: 28550151),
    ]

    @Test(arguments: cases)
    func totalsMatchIndependentReference(_ reference: ReferenceCase) throws {
        let architecture = try Architecture(resolution: reference.resolution, width: reference.width,
                                            mv2Depths: reference.mv2, vitDepths: reference.vit, classes: reference.classes)
        #expect(CostModel.cost(of: architecture) == Cost(macs: reference.macs, params: reference.params))
    }

    @Test(arguments: CountingConvention.allCases)
    func breakdownSumsEqualTotalsOnRandomArchitectures(convention: CountingConvention) throws {
        var random = SplitMix64(seed: 0x6770_6e61_7600 + UInt64(convention == .full ? 1 : 0))
        for _ in 0..<300 {
            let architecture = try Architecture(
                resolution: 2 * Int.random(in: 16...512, using: &random),
                width: Double.random(in: 0.125...4, using: &random),
                mv2Depths: (0..<2).map { _ in Int.random(in: 1...6, using: &random) },
                vitDepths: (0..<3).map { _ in Int.random(in: 1...10, using: &random) },
                classes: Int.random(in: 1...5000, using: &random)
            )
            let layers = CostModel.breakdown(of: architecture, convention: convention)
            let total = CostModel.cost(of: architecture, convention: convention)
            #expect(layers.reduce(0) { $0 + $1.macs } == total.macs, "\(architecture)")
            #expect(layers.reduce(0) { $0 + $1.params } == total.params, "\(architecture)")
            // The layer count follows from the depths: 3 per MV2 block, 7 per attention layer.
            let mv2 = architecture.mv2Depths.reduce(0, +) + 3
            let attention = architecture.vitDepths.reduce(0, +)
            let resizes = layers.filter { $0.name.hasSuffix(".resize") }.count
            #expect(layers.count == 1 + 3 * mv2 + 3 * 4 + 7 * attention + resizes + 2)
        }
    }

    @Test func fullConventionNeverCountsLessThanPublished() throws {
        var random = SplitMix64(seed: 99)
        for _ in 0..<100 {
            let architecture = try Architecture(resolution: 2 * Int.random(in: 16...512, using: &random),
                                                width: Double.random(in: 0.125...4, using: &random))
            #expect(CostModel.cost(of: architecture, convention: .full).macs > CostModel.cost(of: architecture).macs)
        }
    }

    @Test func macsGrowWithEveryFactor() throws {
        let base = CostModel.cost(of: try Architecture(resolution: 256, width: 1.0)).macs
        #expect(CostModel.cost(of: try Architecture(resolution: 288, width: 1.0)).macs > base)
        #expect(CostModel.cost(of: try Architecture(resolution: 256, width: 1.25)).macs > base)
        #expect(CostModel.cost(of: try Architecture(resolution: 256, width: 1.0, mv2Depths: [2, 2])).macs > base)
        #expect(CostModel.cost(of: try Architecture(resolution: 256, width: 1.0, vitDepths: [2, 4, 4])).macs > base)
        #expect(CostModel.cost(of: try Architecture(resolution: 256, width: 1.0, classes: 1001)).macs == base + 513)
    }
}

/// A small deterministic generator (SplitMix64) so that random tests replay exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
