/// Receives the layers of a network walk in order; the walk never allocates on a sink's behalf.
///
/// Every family counts by walking its network once, layer by layer, into a sink: ``TotalSink``
/// for the totals, ``BreakdownSink`` for the per-layer list, and the family's own plan collector
/// for the channel plan. So totals, breakdown and plan can never disagree.
protocol LayerSink {
    /// One layer. `name` is only evaluated by sinks that keep names, so totals stay allocation-free.
    mutating func record(_ name: @autoclosure () -> String, shape: LayerShape, macs: Int, params: Int)
    /// One block as the walk builds it, with its exact widths, in the family's own block type;
    /// only a plan collector keeps it (counting sinks ignore it).
    mutating func enter<Block>(_ block: Block)
}

extension LayerSink {
    @inline(__always)
    mutating func enter<Block>(_ block: Block) {}
}

/// Keeps running totals only.
struct TotalSink: LayerSink {
    var macs = 0
    var params = 0

    @inline(__always)
    mutating func record(_ name: @autoclosure () -> String, shape: LayerShape, macs: Int, params: Int) {
        self.macs += macs
        self.params += params
    }
}

/// Keeps every layer.
struct BreakdownSink: LayerSink {
    var layers: [LayerCost] = []

    mutating func record(_ name: @autoclosure () -> String, shape: LayerShape, macs: Int, params: Int) {
        layers.append(LayerCost(name: name(), outputShape: shape.array, macs: macs, params: params))
    }
}

/// An output shape of up to three dimensions, kept inline so that walking allocates nothing.
struct LayerShape {
    let dimensions: (Int, Int, Int)
    let rank: Int

    /// A feature map C x H x H (square).
    static func map(_ channels: Int, _ size: Int) -> LayerShape {
        LayerShape(dimensions: (channels, size, size), rank: 3)
    }

    /// Unfolded tokens C x P x N for a square map of `size` x `size` pixels: P = 4, N = size^2 / 4.
    static func tokens(_ channels: Int, mapSize size: Int) -> LayerShape {
        LayerShape(dimensions: (channels, 4, size * size / 4), rank: 3)
    }

    /// A vector of `count` values (the classifier's output).
    static func vector(_ count: Int) -> LayerShape {
        LayerShape(dimensions: (count, 0, 0), rank: 1)
    }

    var array: [Int] {
        rank == 1 ? [dimensions.0] : [dimensions.0, dimensions.1, dimensions.2]
    }
}
