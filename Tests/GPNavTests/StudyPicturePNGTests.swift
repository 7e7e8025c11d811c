import Foundation
@testable import GPNav
import Testing
import TestScratch

/// The study pictures rasterised by librsvg (`rsvg-convert`, Debian package `librsvg2-bin`, which
/// `.ci/setup` installs): a real SVG renderer accepts each one and draws it at its declared size.
/// Set `GPNAV_KEEP_PICTURES=DIR` to keep the PNGs there for a look.
@Suite("Study pictures as PNG")
struct StudyPicturePNGTests {
    static let converter: String? = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert", "/opt/homebrew/bin/rsvg-convert"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static let howToInstall = "the PNG picture tests need rsvg-convert: apt-get install librsvg2-bin (or bash .ci/setup)"

    /// Without the converter these tests are skipped with a line that says why; in CI (`CI` set)
    /// a missing converter is a failure, so the pictures are always rendered there.
    @Test(.enabled(if: converter == nil, "rsvg-convert is installed"))
    func pngTestsAreSkippedOnlyOutsideCI() {
        if ProcessInfo.processInfo.environment["CI"].map({ !$0.isEmpty }) ?? false {
            Issue.record("CI must render the pictures: \(Self.howToInstall)")
        } else {
            print("skipped: \(Self.howToInstall)")
        }
    }

    @Test(.enabled(if: converter != nil, "rsvg-convert is not installed: apt-get install librsvg2-bin"))
    func eachStudyPictureRendersToAPNGOfItsDeclaredSize() throws {
        let (study, trials) = try StudyPictureTests.study()
        let pictures: [(String, String)] = [
            ("pareto", try StudyPlots.pareto(study: study, trials: trials).render()),
            ("history", try StudyPlots.history(study: study, trials: trials).render()),
            ("cube", try StudyPlots.cube(study: study, trials: trials, x: .resolution, y: .width).render()),
        ]
        let keep = ProcessInfo.processInfo.environment["GPNAV_KEEP_PICTURES"]
        let directory = try keep.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: TestScratch.path("pictures"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: directory) } }
        for (name, svg) in pictures {
            let svgURL = directory.appendingPathComponent(name + ".svg"), pngURL = directory.appendingPathComponent(name + ".png")
            try svg.write(to: svgURL, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(Self.converter))
            process.arguments = ["--format", "png", "--output", pngURL.path, svgURL.path]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            process.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "rsvg-convert \(name).svg: \(message)")
            let png = try Data(contentsOf: pngURL)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(name).png is not a PNG")
            // IHDR: width and height, big-endian, at bytes 16 and 20; librsvg maps an SVG px to a PNG pixel.
            let size = { (offset: Int) in png.dropFirst(offset).prefix(4).reduce(0) { $0 << 8 | Int($1) } }
            let inspector = SVGInspector(svg)
            let declared = inspector.elements.first.map { ($0.attributes["width"] ?? "", $0.attributes["height"] ?? "") }
            #expect(declared.map { (Double($0.0).map { Int($0.rounded()) }, Double($0.1).map { Int($0.rounded()) }) }
                .map { $0.0 == size(16) && $0.1 == size(20) } == true,
                    "\(name).png is \(size(16)) x \(size(20)), the SVG declares \(String(describing: declared))")
        }
    }
}
