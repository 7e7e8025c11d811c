import ArgumentParser
import Foundation
import GPNav

extension CubeFactor: ExpressibleByArgument {}

/// `gpnav plot cube`: the GP's predicted accuracy over two factors as a heat map.
struct PlotCubeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cube",
        abstract: "Heat map of the GP's predicted accuracy over two factors, the others fixed.",
        usage: "gpnav plot cube --out <file.svg> [--x <x>] [--y <y>] [<options>]",
        discussion: """
            Fits the study's Gaussian process to its complete trials (at least 2) and colours the \
            grid of --x against --y by predicted top-1, with dashed contours of the predicted \
            standard deviation, iso-MACs lines at the budget and at 0.5x and 2x of it, and the \
            trials as marks (filled when their other factors equal the panel's); the recommended \
            trial (highest predicted accuracy within budget) is ringed. Colours span the predictions \
            over the MACs the study explored (its trials and its budget); cells beyond take the end \
            colours and the colour bar shows an arrow.

            Factors, the study's family's: \(FamilyNames.factorArguments). The others are fixed at the recommended \
            trial unless --fix names them; a value off the grid is moved to the nearest grid value \
            (a note on stderr says so). A choice such as mv2-expansion is never interpolated: as \
            --x or --y it becomes one panel per value, with the first other continuous factor as \
            the axis. --grid draws small multiples over two other factors (choices first; at most 4 \
            values of each, evenly spaced, always including the recommended trial's panel, which \
            is framed).

            Examples:
              gpnav plot cube --x resolution --y width --out cube.svg
              gpnav plot cube --x width --y vit-depth \\
                  --fix resolution=224,mv2-depth=1 --out c.svg
              gpnav plot cube --x resolution --y width --grid --out grid.svg
            """
    )

    @OptionGroup var options: PlotStudyOptions

    @Option(help: "Factor across: one of the study's family's factors (default resolution).")
    var x: CubeFactor = .resolution

    @Option(help: "Factor up: one of the study's family's factors (default width).")
    var y: CubeFactor = .width

    @Option(help: ArgumentHelp("Values of the other factors, e.g. mv2-depth=1.0,vit-depth=0.5.",
                               valueName: "factor=value,..."))
    var fix: String?

    @Flag(help: "Small multiples: one panel per combination of the other two factors.")
    var grid = false

    func validate() throws {
        guard x != y else { throw ValidationError("--x and --y are both '\(x.rawValue)': choose two different factors") }
        _ = try fixedValues()
    }

    /// `--fix` as factor values; the axes themselves cannot be fixed.
    func fixedValues() throws -> [CubeFactor: Double] {
        guard let fix else { return [:] }
        var values: [CubeFactor: Double] = [:]
        for term in fix.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let parts = term.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, let factor = CubeFactor(rawValue: String(parts[0])),
                  let value = NumberText.double(parts[1]), value.isFinite, value > 0 else {
                throw ValidationError("--fix term '\(term)' must be FACTOR=VALUE with FACTOR one of \(CubeFactor.knownNames.joined(separator: ", ")) and VALUE > 0")
            }
            guard factor != x, factor != y else {
                throw ValidationError("--fix names '\(factor.rawValue)', which is an axis of the plot")
            }
            values[factor] = value
        }
        return values
    }

    func run() async throws {
        let (study, trials) = try await options.load()
        let fixed = try fixedValues()
        for (factor, value) in fixed.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let index = try factor.position(in: study.space)
            let snapped = study.space.grids[index][study.space.nearestIndex(along: index, to: value)]
            if abs(snapped - value) > 1e-9 {
                StandardStreams.writeError(
                    "gpnav: note: \(factor.rawValue)=\(value) is not on the study's grid; using the nearest grid value \(snapped)\n")
            }
        }
        let plot = try StudyPlots.cube(study: study, trials: trials, x: x, y: y, fixed: fixed, grid: grid)
        try options.write(plot.render())
    }
}
