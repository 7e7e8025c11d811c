import ArgumentParser
import GPNav
import MobileViT

/// `--macs`, `--params`, `--memory`, `--bits`: the hard constraints of a search or a chain.
struct BudgetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Most multiply-accumulates allowed, e.g. 300M or 1.2G.", valueName: "count"))
    var macs: String?

    @Option(help: ArgumentHelp("Most parameters allowed, e.g. 2M.", valueName: "count"))
    var params: String?

    @Option(help: ArgumentHelp("Most bytes of weights allowed at --bits bits each, e.g. 1.5MB.", valueName: "size"))
    var memory: String?

    @Option(help: ArgumentHelp("Bits the weights are deployed at: 32, 16, 8, 6 or 4; --memory counts at them (default 8). "
                               + "Given, it is the study's deployment precision: at 8 trials rank by accuracy_int8 "
                               + "(gpnav_torch.train --int8-eval), --latency measures the int8 model and --prune is refused.", valueName: "bits"))
    var bits: Int?

    /// The weights' bits for --memory when --bits is not given.
    static let defaultMemoryBits = 8

    var isEmpty: Bool { macs == nil && params == nil && memory == nil }

    /// The budget, with every value parsed and checked.
    func budget() throws -> Budget {
        if let bits, !Budget.supportedBits.contains(bits) {
            throw ValidationError("--bits \(bits) is not supported: use \(Budget.supportedBits.map(String.init).joined(separator: ", "))")
        }
        let budget = Budget(
            macs: try macs.map { try parse($0, flag: "--macs", bytes: false) },
            params: try params.map { try parse($0, flag: "--params", bytes: false) },
            memoryBytes: try memory.map { try parse($0, flag: "--memory", bytes: true) },
            bits: memory == nil ? nil : (bits ?? Self.defaultMemoryBits)
        )
        // The library's rule, the one the HTTP API applies as well.
        try budget.validate()
        return budget
    }

    /// Puts the deployment bits, when --bits is given, into `settings` and `given`.
    func applyDeploymentBits(to settings: inout StudySettings, given: inout Set<StudySettings.Key>) {
        guard let bits else { return }
        settings.deploymentBits = bits
        given.insert(.bits)
    }

    private func parse(_ text: String, flag: String, bytes: Bool) throws -> Int {
        do {
            return bytes ? try Quantity.parseBytes(text) : try Quantity.parseCount(text)
        } catch {
            throw ValidationError("\(flag): \(error)")
        }
    }
}
