import Foundation
import GPNav
import MobileViT

/// What `gpnav macs` prints, in each output format.
struct MACsReport: Encodable {
    let architecture: Architecture
    let model: String?
    let convention: CountingConvention
    let cost: Cost
    let bitWidths: [Int]
    let layers: [LayerCost]?

    private enum CodingKeys: String, CodingKey {
        case model
        case convention, macs, params, weightBytes = "weight_bytes", layers, channelPlan = "channel_plan"
    }

    /// JSON: exact integers, architecture fields in snake_case, `weight_bytes` keyed by bit width,
    /// and the exact layer widths a builder needs under `channel_plan`.
    func encode(to encoder: any Encoder) throws {
        // The architecture writes its own keys (for MobileViTv2 resolution, width, mv2_depths,
        // vit_depths, classes).
        try architecture.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(model, forKey: .model)
        try container.encode(convention.rawValue, forKey: .convention)
        try container.encode(cost.macs, forKey: .macs)
        try container.encode(cost.params, forKey: .params)
        let bytes = Dictionary(uniqueKeysWithValues: bitWidths.map { (String($0), cost.weightBytes(bits: $0)) })
        try container.encode(bytes, forKey: .weightBytes)
        try container.encodeIfPresent(layers, forKey: .layers)
        try container.encode(CostModel.channelPlan(of: architecture), forKey: .channelPlan)
    }

    private static func depths(_ values: [Int]) -> String {
        values.map(String.init).joined(separator: ",")
    }

    private static func shape(_ dimensions: [Int]) -> String {
        dimensions.map(String.init).joined(separator: "x")
    }

    /// CSV: one summary row, or one row per layer with `--breakdown`.
    var csv: String {
        if let layers {
            return CSV.format(header: ["name", "output_shape", "macs", "params"], rows: layers.map {
                [$0.name, Self.shape($0.outputShape), String($0.macs), String($0.params)]
            })
        }
        let family = architecture.family
        let header = ["model", "resolution", "width"] + family.depthGroups.map(\.name) + family.choices.map(\.name)
            + ["classes", "convention", "macs", "params"] + bitWidths.map { "weight_bytes_\($0)" }
        let row = [model ?? "", String(architecture.resolution), formatWidth(architecture.width)]
            + architecture.depthLists.map(Self.depths) + architecture.choiceTexts
            + [String(architecture.classes), convention.rawValue, String(cost.macs), String(cost.params)]
            + bitWidths.map { String(cost.weightBytes(bits: $0)) }
        return CSV.format(header: header, rows: [row])
    }

    /// Table: the layers (with `--breakdown`), then the totals with human units and exact values.
    var table: String {
        var text = ""
        if let layers {
            var layerTable = TextTable(header: ["layer", "output", "macs", "params"], alignments: [.left, .left, .right, .right])
            for layer in layers {
                layerTable.append([layer.name, Self.shape(layer.outputShape),
                                   Quantity.formatCount(layer.macs), Quantity.formatCount(layer.params)])
            }
            layerTable.append(["total", "", Quantity.formatCount(cost.macs), Quantity.formatCount(cost.params)])
            text += layerTable.render() + "\n"
        }
        var summary = TextTable(header: ["quantity", "value", "exact"], alignments: [.left, .left, .right])
        if let model { summary.append(["model", model, ""]) }
        summary.append(["architecture", architecture.description, ""])
        summary.append(["convention", convention.rawValue, ""])
        summary.append(["macs", Quantity.formatCount(cost.macs), String(cost.macs)])
        summary.append(["params", Quantity.formatCount(cost.params), String(cost.params)])
        for bits in bitWidths {
            let bytes = cost.weightBytes(bits: bits)
            summary.append(["weights at \(bits) bits", Quantity.formatBytes(bytes), "\(bytes) B"])
        }
        return text + summary.render()
    }
}
