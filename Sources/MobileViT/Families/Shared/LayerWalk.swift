/// One pass over a family's network, layer by layer: each layer's output shape, MACs and
/// parameters go to a ``LayerSink``, and each block, with its exact widths, as a ``PlannedBlock``.
///
/// A family's cost, breakdown and channel plan are the same walk into three sinks (``TotalSink``,
/// ``BreakdownSink``, ``PlanSink``), so the totals, the per-layer list and the plan a builder
/// reads can never disagree.
protocol LayerWalk {
    /// What is walked: an ``Architecture``, or a family's own network value (MobileViT v1's).
    associatedtype Network
    /// The family's attention block in its plan (`Never` for a family without one).
    associatedtype Attention: Hashable & Sendable & Codable

    /// A walk that counts under ``CountingConvention/full`` when `full`, else `.published`.
    init(full: Bool)

    /// Walks `network` into `sink`.
    func walk<Sink: LayerSink>(_ network: Network, into sink: inout Sink)
}

extension LayerWalk {
    /// Total MACs and parameters of `network`; allocates nothing.
    static func cost(of network: Network, convention: CountingConvention) -> Cost {
        var sink = TotalSink()
        Self(full: convention == .full).walk(network, into: &sink)
        return Cost(macs: sink.macs, params: sink.params)
    }

    /// Every layer of `network` in order; its sums equal ``cost(of:convention:)``.
    static func breakdown(of network: Network, convention: CountingConvention) -> [LayerCost] {
        var sink = BreakdownSink()
        Self(full: convention == .full).walk(network, into: &sink)
        return sink.layers
    }

    /// The blocks of `network` with their exact widths, as the published-convention walk builds them.
    static func plan(of network: Network) -> PlanSink<Attention> {
        var sink = PlanSink<Attention>()
        Self(full: false).walk(network, into: &sink)
        return sink
    }
}

/// A family whose ``ArchitectureFamily/cost(of:convention:)``,
/// ``ArchitectureFamily/breakdown(of:convention:)`` and ``ArchitectureFamily/channelPlan(of:)``
/// are its ``Walk`` (a ``LayerWalk``) over the architecture; the family gives its plan type from the collected blocks.
protocol WalkedFamily: ArchitectureFamily {
    associatedtype Walk: LayerWalk where Walk.Network == Architecture
    associatedtype Plan: Encodable & Sendable

    /// The family's channel plan from the blocks its walk collected.
    static func plan(_ blocks: PlanSink<Walk.Attention>) -> Plan
}

extension WalkedFamily {
    public func cost(of architecture: Architecture, convention: CountingConvention) -> Cost {
        Walk.cost(of: architecture, convention: convention)
    }

    public func breakdown(of architecture: Architecture, convention: CountingConvention) -> [LayerCost] {
        Walk.breakdown(of: architecture, convention: convention)
    }

    public func channelPlan(of architecture: Architecture) -> ArchitecturePlan {
        ArchitecturePlan(Self.plan(Walk.plan(of: architecture)))
    }
}
