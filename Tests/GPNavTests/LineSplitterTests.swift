import Testing
@testable import GPNav

/// Stdout is split into lines of any length up to the bound; a longer line is reported, not kept.
@Suite struct LineSplitterTests {
    private func lines(_ chunks: [String], maxLength: Int) -> [StdoutLine] {
        var splitter = LineSplitter(maxLength: maxLength)
        var seen: [StdoutLine] = []
        for chunk in chunks { splitter.feed(Array(chunk.utf8)[...]) { seen.append($0) } }
        splitter.finish { seen.append($0) }
        return seen
    }

    private func describe(_ line: StdoutLine) -> String {
        switch line {
        case .text(let bytes): "text " + String(decoding: bytes, as: UTF8.self)
        case .overlong(let number, let bytes, let mentions): "overlong \(number) \(bytes) \(mentions)"
        }
    }

    @Test func linesSplitAcrossChunksAreJoined() {
        #expect(lines(["ab", "c\nde", "f\n", "g"], maxLength: 10).map(describe) == ["text abc", "text def", "text g"])
    }

    @Test func aLineOverTheBoundIsReportedWithItsNumberLengthAndWhetherItNamesTheAccuracy() {
        let seen = lines(["ok\n{\"accu", "racy\": 5, \"x\": \"", String(repeating: "x", count: 40), "\"}\nshort\n"], maxLength: 32)
        #expect(seen.map(describe) == ["text ok", "overlong 2 64 true", "text short"])
        let other = lines([String(repeating: "y", count: 50) + "\n"], maxLength: 32)
        #expect(other.map(describe) == ["overlong 1 50 false"])
    }

    @Test func theAccuracyKeyIsFoundAcrossEveryChunkBoundary() {
        let line = String(repeating: "z", count: 40) + "\"\"accuracy\": 1}"
        for cut in 1..<line.utf8.count {
            let bytes = Array(line.utf8)
            let parts = [String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self)]
            #expect(lines(parts, maxLength: 16).map(describe) == ["overlong 1 \(bytes.count) true"], "cut at \(cut)")
        }
    }
}
