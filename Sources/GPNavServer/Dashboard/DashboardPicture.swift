import GPNav
import Hummingbird

/// A picture of a study that the dashboard shows, drawn by the library's plot code: the same
/// ``StudyPlots`` calls, and so the same SVG, as `gpnav plot history`, `pareto` and `cube`.
enum DashboardPicture: Hashable, Sendable {
    /// Best accuracy so far against trial number.
    case history
    /// Accuracy against MACs with the Pareto front.
    case pareto
    /// The GP's predicted accuracy over two factors; `grid` draws small multiples over the others.
    case cube(x: CubeFactor, y: CubeFactor, grid: Bool)

    /// The picture a path's last segment names (`history.svg`, `pareto.svg`, `cube.svg`), with the
    /// cube's query (`x`, `y`: factor names, default resolution and width; `grid`: true or false).
    /// A parameter given twice never reaches here (``SingleQueryParametersMiddleware``).
    init(file: String, query: Parameters) throws {
        switch file {
        case "history.svg": self = .history
        case "pareto.svg": self = .pareto
        case "cube.svg":
            let x = try Self.factor(query, "x") ?? .resolution
            let y = try Self.factor(query, "y") ?? .width
            guard x != y else { throw APIError.badParameter(name: "y", detail: "must differ from x ('\(x.rawValue)')") }
            let grid: Bool
            switch query.get("grid") {
            case nil, "false", "0": grid = false
            case "", "true", "1": grid = true
            default: throw APIError.badParameter(name: "grid", detail: "use true or false")
            }
            self = .cube(x: x, y: y, grid: grid)
        default:
            throw APIError.noRoute(method: "GET", path: "/dashboard/studies/{name}/\(file)")
        }
    }

    /// A short name of the picture and its parameters, for entity tags: letters, digits and dashes.
    var key: String {
        switch self {
        case .history: "history"
        case .pareto: "pareto"
        case .cube(let x, let y, let grid): "cube-\(x.rawValue)-\(y.rawValue)" + (grid ? "-grid" : "")
        }
    }

    /// The SVG document, as `gpnav plot` writes it.
    /// - Throws: ``PlotError`` when the study has too few complete trials or lacks a factor; GP
    ///   errors from the cube's fit.
    func render(study: Study, trials: [Trial]) throws -> String {
        switch self {
        case .history: try StudyPlots.history(study: study, trials: trials).render()
        case .pareto: try StudyPlots.pareto(study: study, trials: trials).render()
        case .cube(let x, let y, let grid): try StudyPlots.cube(study: study, trials: trials, x: x, y: y, grid: grid).render()
        }
    }

    private static func factor(_ query: Parameters, _ name: String) throws -> CubeFactor? {
        guard let text = query.get(name) else { return nil }
        guard let factor = CubeFactor(rawValue: text) else {
            throw APIError.badParameter(name: name, detail: "use one of \(CubeFactor.knownNames.joined(separator: ", "))")
        }
        return factor
    }
}
