import ArgumentParser
import Foundation
import GPNav
import MobileViT

/// `gpnav macs`: the exact MACs and parameters of one architecture of a registered family.
struct MACsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "macs",
        abstract: "Count the MACs and parameters of a \(FamilyNames.displayed) architecture.",
        usage: "gpnav macs [--model <name>] [<factor options>] [<options>]",
        discussion: """
            Counts multiply-accumulates per 1-image inference and learnable parameters exactly, \
            under the published convention (convolutions and linear layers; 1.82 G MACs \
            and 4.90 M parameters for mobilevitv2-1.0 at 256x256). --convention full also counts \
            normalisation, softmax, attention's element-wise products, residual adds and pooling \
            (not for MobileViT v1, counted as ml-cvnets counts it, attention's products \
            included). \
            Weight memory is reported at 32, 16, 8, 6 and 4 bits (or --bits). --format json also \
            writes channel_plan, every layer width a builder needs (gpnav_torch.build_model reads it).

            Factor flags override the preset's: --model mobilevitv2-0.5 --resolution 192 is the \
            0.5 model at 192x192. Give depths per stage or one --depth-multiplier, not both.

            Examples:
              gpnav macs --model mobilevitv2-0.75
              gpnav macs --model mobilevit-xs
              gpnav macs --resolution 224 --width 0.6 --vit-depths 1,3,2 --format json
              gpnav macs --depth-multiplier 0.5 --breakdown
              gpnav macs --family mobilenetv2 --width 0.75 --depths 1,2,2,3,2,2,1
            """
    )

    @OptionGroup var architectureOptions: ArchitectureOptions

    @Flag(name: .long, help: "List every layer with its output shape, MACs and parameters.")
    var breakdown = false

    @Option(name: .long, help: ArgumentHelp("What a MAC count includes: published or full.", valueName: "convention"))
    var convention: CountingConvention = .published

    @Option(name: .long, help: ArgumentHelp(
        "Weight bit widths for parameter memory, comma-separated, each 1 to 32.", valueName: "list"))
    var bits = "32,16,8,6,4"

    @Option(name: .long, help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    func run() throws {
        let architecture = try architectureOptions.architecture()
        let bitWidths = try Self.bitWidths(bits)
        try CostModel.check(convention, for: architecture)
        let cost = CostModel.cost(of: architecture, convention: convention)
        let layers = breakdown ? CostModel.breakdown(of: architecture, convention: convention) : nil
        let report = MACsReport(architecture: architecture, model: architectureOptions.model.flatMap { try? Preset.named($0).name },
                                convention: convention, cost: cost, bitWidths: bitWidths, layers: layers)
        switch format {
        case .json: try StandardStreams.writeOutput(try JSONOutput.encode(report) + "\n")
        case .csv: try StandardStreams.writeOutput(report.csv)
        case .table: try StandardStreams.writeOutput(report.table)
        }
    }

    /// Bit widths such as `32,16,8`: whole numbers from 1 to 32, no repeats needed.
    static func bitWidths(_ text: String) throws(MACsCommandError) -> [Int] {
        var widths: [Int] = []
        for field in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let bits = NumberText.integer(field), (1...32).contains(bits) else {
                throw .bits(text)
            }
            if !widths.contains(bits) { widths.append(bits) }
        }
        return widths
    }
}

/// Why `gpnav macs` refused its input (besides the architecture flags).
enum MACsCommandError: UserFacingError {
    case bits(String)

    var kind: FailureKind { .usage }

    var description: String {
        switch self {
        case .bits(let text):
            "--bits '\(text)' is invalid: give bit widths from 1 to 32 separated by commas, e.g. 8 or 32,16,8,6,4"
        }
    }
}

extension CountingConvention: ExpressibleByArgument {}
