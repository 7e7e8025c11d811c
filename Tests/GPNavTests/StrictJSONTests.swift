import Testing

@testable import GPNav

@Suite struct StrictJSONTests {
    @Test func plainJSONIsReadWithEveryKindOfValue() throws {
        let members = try StrictJSON.object(Array(#" {"a": -0.5e+2, "b": "x\"\u00e9\ud83d\ude00\n", "c": [1, {"d": null}], "e": true, "f": {}} "#.utf8))
        #expect(members["a"] == .number(-50))
        #expect(members["b"] == .string("x\"é😀\n"))
        #expect(members["c"] == .nested)
        #expect(members["e"] == .bool(true))
        #expect(members["f"] == .nested)
    }

    @Test(arguments: [
        (#"{"accuracy": 0x46}"#, "not a JSON number"),
        (#"{"accuracy": 070}"#, "not a JSON number"),
        (#"{"accuracy": +7}"#, "expected a value"),
        (#"{"accuracy": .5}"#, "expected a value"),
        (#"{"accuracy": 5.}"#, "digits after the decimal point"),
        (#"{"accuracy": NaN}"#, "NaN is not a JSON number"),
        (#"{"accuracy": -Infinity}"#, "Infinity is not a JSON number"),
        (#"{"a": 1, "a": 2}"#, "duplicate key \"a\""),
        (#"{"x": {"k": 1, "k": 1}}"#, "duplicate key \"k\""),
        (#"{"accuracy": 70} trailing"#, "unexpected text after the object"),
        (#"{"accuracy": 70}{"accuracy": 71}"#, "unexpected text after the object"),
        (#"{"accuracy": 70,}"#, "expected a quoted key"),
        (#"{'accuracy': 70}"#, "expected a quoted key"),
        (#"{accuracy: 70}"#, "expected a quoted key"),
        (#"{"a": "\ud800"}"#, "lone surrogate"),
        (#"{"a": "\q"}"#, "unknown escape"),
        ("{\"a\": \"tab\there\"}", "control character"),
        (#"{"a": tru}"#, "expected true"),
        (#"{"a": 1 /* c */}"#, "expected '}'"),
    ])
    func nonJSONIsRefusedWithItsReason(line: String, reason: String) {
        #expect {
            _ = try StrictJSON.object(Array(line.utf8))
        } throws: { error in
            (error as? StrictJSON.SyntaxError)?.message.contains(reason) == true
        }
    }

    @Test func invalidUTF8InAStringIsRefused() {
        let bytes = Array(#"{"a": ""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        #expect(throws: StrictJSON.SyntaxError.self) { try StrictJSON.object(bytes) }
    }

    @Test func deepNestingIsRefusedWithoutExhaustingTheStack() {
        let deep = "{\"a\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(throws: StrictJSON.SyntaxError.self) { try StrictJSON.object(Array(deep.utf8)) }
    }

    @Test func outputKeepsNULAndInvalidUTF8Visibly() {
        var tail = OutputTail(limit: 1024)
        tail.append(ArraySlice(Array("before".utf8) + [0] + Array("after é".utf8) + [0xFF, 0xC3] + Array("\n".utf8)))
        #expect(tail.text == "before\\u{0}after é\\x{FF}\\x{C3}\n")
    }

    @Test func aCutCharacterAtTheStartOfTheKeptTailIsDroppedWhole() {
        var tail = OutputTail(limit: 5)
        tail.append(ArraySlice(Array("ééééé".utf8)))
        #expect(tail.text == "[... 6 earlier bytes omitted]\néé")
    }
}
