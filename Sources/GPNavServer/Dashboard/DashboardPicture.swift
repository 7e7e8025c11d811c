import Foundation
import GPNav
import Hummingbird

/// A view of a study that the dashboard shows, computed by the library's own code: the same
/// ``StudyPlots`` calls, and so the same SVG, as `gpnav plot history`, `pareto`, `front`, `cube`
/// and `curves`, and the factor relevance of ``FactorAnalysis`` that `gpnav analyze` prints.
enum DashboardPicture: Hashable, Sendable {
    /// Best accuracy so far against trial number.
    case history
    /// Accuracy against MACs with the Pareto front and the family's published models.
    case pareto
    /// Any two objectives against each other with their Pareto front.
    case front(x: FrontObjective, y: FrontObjective)
    /// The GP's predicted accuracy over two factors; `grid` draws small multiples over the others.
    case cube(x: CubeFactor, y: CubeFactor, grid: Bool)
    /// Every trial's learning curve, running trials' included.
    case curves
    /// The factor relevance `gpnav analyze` computes, as JSON (``DashboardRelevance``).
    case relevance

    /// The view a path's last segment names (`history.svg`, `pareto.svg`, `cube.svg`,
    /// `curves.svg`, `relevance.json`), with its query: the cube's `x`, `y` (factor names, default
    /// resolution and width) and `grid` (true or false); the Pareto picture's `x` and `y`
    /// (objectives; without them, accuracy against MACs as `gpnav plot pareto` draws it).
    /// A parameter given twice never reaches here (``SingleQueryParametersMiddleware``).
    init(file: String, query: Parameters) throws {
        switch file {
        case "history.svg": self = .history
        case "curves.svg": self = .curves
        case "relevance.json": self = .relevance
        case "pareto.svg":
            guard query.get("x") != nil || query.get("y") != nil else {
                self = .pareto
                return
            }
            let x = try Self.objective(query, "x") ?? .macs
            let y = try Self.objective(query, "y") ?? .accuracy
            guard x != y else { throw APIError.badParameter(name: "y", detail: "must differ from x ('\(x.rawValue)')") }
            self = .front(x: x, y: y)
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

    /// A short name of the view and its parameters, for entity tags: letters, digits and dashes.
    var key: String {
        switch self {
        case .history: "history"
        case .pareto: "pareto"
        case .front(let x, let y): "front-\(x.rawValue)-\(y.rawValue)"
        case .cube(let x, let y, let grid): "cube-\(x.rawValue)-\(y.rawValue)" + (grid ? "-grid" : "")
        case .curves: "curves"
        case .relevance: "relevance"
        }
    }

    var contentType: String {
        self == .relevance ? "application/json" : "image/svg+xml; charset=utf-8"
    }

    /// Whether drawing it reads the study's learning curves.
    var needsCurves: Bool {
        switch self {
        case .curves: true
        case .front(let x, let y): x == .epochs || y == .epochs
        default: false
        }
    }

    /// Whether drawing it fits the study's GP: seconds on a large study.
    var fitsModel: Bool {
        switch self {
        case .cube, .relevance: true
        default: false
        }
    }

    /// The least time between two drawings for all viewers while the study changes: a drawing
    /// stands, at the version it was drawn at, until it is this old. On a study that changes
    /// every second, ten viewers would otherwise each find a new version at every poll, and each
    /// drawing reads the whole study from the store, holding up the asks' own reads.
    var redrawInterval: Duration {
        fitsModel ? Self.modelRedrawInterval : Self.pictureRedrawInterval
    }

    /// ``redrawInterval`` of the views that fit the GP (a second or more on a 1,000-trial study).
    static let modelRedrawInterval: Duration = .seconds(30)
    /// ``redrawInterval`` of the other views (tens of milliseconds on a 1,000-trial study).
    static let pictureRedrawInterval: Duration = .seconds(5)

    /// Whether drawing it reads the trials' metrics: a front of measured latencies.
    var needsMetrics: Bool {
        if case .front(let x, let y) = self { return x == .latency || y == .latency }
        return false
    }

    /// Whether it changes while trials run, between changes of the study's version: the running
    /// trials' learning curves grow with every report, which no count or state shows.
    var changesWhileRunning: Bool { self == .curves }

    /// The SVG document as `gpnav plot` writes it, or the relevance as JSON.
    /// - Parameter curves: the study's learning curves by trial id (read when ``needsCurves``).
    /// - Throws: ``PlotError`` when the study has too few complete trials or lacks a factor or a
    ///   value; ``FactorAnalysisError``; GP errors from the cube's or the analysis' fit.
    func render(study: Study, trials: [Trial], curves: [Int64: [EpochReport]]) throws -> String {
        switch self {
        case .history: try StudyPlots.history(study: study, trials: trials).render()
        case .pareto: try StudyPlots.pareto(study: study, trials: trials).render()
        case .front(let x, let y): try StudyPlots.front(study: study, trials: trials, curves: curves, x: x, y: y).render()
        case .cube(let x, let y, let grid): try StudyPlots.cube(study: study, trials: trials, x: x, y: y, grid: grid).render()
        case .curves: try StudyPlots.curves(study: study, trials: trials, curves: curves).render()
        case .relevance: try DashboardRelevance(FactorAnalysis.analyze(study: study, trials: trials)).json()
        }
    }

    private static func factor(_ query: Parameters, _ name: String) throws -> CubeFactor? {
        guard let text = query.get(name) else { return nil }
        guard let factor = CubeFactor(rawValue: text) else {
            throw APIError.badParameter(name: name, detail: "use one of \(CubeFactor.knownNames.joined(separator: ", "))")
        }
        return factor
    }

    private static func objective(_ query: Parameters, _ name: String) throws -> FrontObjective? {
        guard let text = query.get(name) else { return nil }
        guard let objective = FrontObjective(rawValue: text) else {
            throw APIError.badParameter(name: name, detail: "use one of \(FrontObjective.knownNames.joined(separator: ", "))")
        }
        return objective
    }
}
