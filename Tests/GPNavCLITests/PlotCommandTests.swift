import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GPNav
import Testing

@Suite("gpnav plot")
struct PlotCommandTests {
    /// Whether `path` holds well-formed XML whose root is `<svg>`, and how many elements carry
    /// each class token.
    final class SVGCheck: NSObject, XMLParserDelegate {
        var root: String?
        var classes: [String: Int] = [:]
        private(set) var parsed = false

        init(path: String) throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            super.init()
            let parser = XMLParser(data: data)
            parser.delegate = self
            parsed = parser.parse()
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            if root == nil { root = elementName }
            for token in (attributeDict["class"] ?? "").split(separator: " ") { classes[String(token), default: 0] += 1 }
        }

        var isSVG: Bool { parsed && root == "svg" }
    }

    @Test(arguments: [
        (["plot", "pareto"], "trial-mark", 4),
        (["plot", "history"], "trial-mark", 4),
        (["plot", "cube", "--x", "resolution", "--y", "width"], "trial-mark", 4),
        (["plot", "cube", "--x", "width", "--y", "vit-depth", "--grid"], "colorbar", 1),
    ])
    func eachPlotWritesAnSVGFile(arguments: [String], markClass: String, count: Int) async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(arguments + ["--study", "s300", "--out", "plot.svg"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.isEmpty)
        let check = try SVGCheck(path: fixture.file("plot.svg"))
        #expect(check.isSVG)
        if arguments.contains("--grid") {
            #expect(check.classes["colorbar"] == 1)
            #expect((check.classes["panel-caption"] ?? 0) == 4 * 4)
        } else {
            // s300 has 4 complete trials; each is one mark (per panel).
            #expect(check.classes[markClass] == count)
            #expect((check.classes["axis-label"] ?? 0) == 2)
        }
    }

    @Test func withoutStudyTheOnlyStudyIsDrawnElseTheStudiesAreListed() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let ambiguous = try await fixture.runner.run(["plot", "pareto", "--out", "p.svg"])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stderr == "gpnav: error: the database has 2 studies (s300, other): choose one with --study NAME\n")
        #expect(!FileManager.default.fileExists(atPath: fixture.file("p.svg")))

        let single = try CLIFixture()
        let store = try SQLiteTrialStore(path: single.file("gpnav.sqlite"), access: .readWrite(createIfMissing: true))
        let id = try store.createStudy(CLIFixture.study("only")).id ?? -1
        _ = try store.addFinishedTrial(try CLIFixture.trial(id, .complete, resolution: 256, width: 1.0,
                                                            macs: 1_843_000_000, params: 4_900_000, accuracy: 78))
        let output = try await single.runner.run(["plot", "history", "--out", "h.svg"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try SVGCheck(path: single.file("h.svg")).isSVG)
    }

    @Test func badInputIsOneLineAndNonZero() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let before = try fixture.contents()
        let unknown = try await fixture.runner.run(["plot", "pareto", "--study", "nope", "--out", "p.svg"])
        #expect(unknown.status == 4)
        #expect(unknown.stderr.hasPrefix("gpnav: error: "))
        #expect(unknown.stderr.filter { $0 == "\n" }.count == 1)
        let missingDirectory = try await fixture.runner.run(["plot", "pareto", "--study", "s300", "--out", "no/p.svg"])
        #expect(missingDirectory.status == 2)
        #expect(missingDirectory.stderr == "gpnav: error: cannot write 'no/p.svg': check that its directory exists and is writable\n")
        let sameAxes = try await fixture.runner.run(["plot", "cube", "--study", "s300", "--x", "width", "--y", "width", "--out", "c.svg"])
        #expect(sameAxes.status == 2)
        #expect(sameAxes.stderr.contains("--x and --y are both 'width'"))
        let fixAxis = try await fixture.runner.run(["plot", "cube", "--study", "s300", "--fix", "width=1", "--out", "c.svg"])
        #expect(fixAxis.status == 2)
        #expect(fixAxis.stderr.contains("--fix names 'width', which is an axis of the plot"))
        #expect(try fixture.contents() == before)
    }

    @Test func studyWithoutCompleteTrialsIsADataError() async throws {
        let fixture = try CLIFixture()
        let store = try SQLiteTrialStore(path: fixture.file("gpnav.sqlite"), access: .readWrite(createIfMissing: true))
        let id = try store.createStudy(CLIFixture.study("empty")).id ?? -1
        _ = try store.addFinishedTrial(try CLIFixture.trial(id, .failed, resolution: 256, width: 1.0, macs: 1, params: 1,
                                                            accuracy: nil, error: "boom"))
        let output = try await fixture.runner.run(["plot", "history", "--out", "h.svg"])
        #expect(output.status == 3)
        #expect(output.stderr == "gpnav: error: study 'empty' has no complete trials to plot; run 'gpnav search' or 'gpnav evaluate' first\n")
    }

    @Test func offGridFixValueIsSnappedWithANote() async throws {
        let fixture = try CLIFixture()
        try fixture.seed()
        let output = try await fixture.runner.run(["plot", "cube", "--study", "s300", "--fix", "mv2-depth=1.2,vit-depth=0.5",
                                             "--out", "c.svg"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr == "gpnav: note: mv2-depth=1.2 is not on the study's grid; using the nearest grid value 1.0\n")
    }
}
