import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses an SVG string as XML and keeps every element's name, attributes and text, so tests can
/// check that a plot is well-formed and count its parts by `class`.
final class SVGInspector: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []
    private(set) var parseError: String?

    /// Parses `svg`; `parseError` is set when it is not well-formed XML.
    init(_ svg: String) {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        if !parser.parse() {
            parseError = parser.parserError.map { "\($0)" } ?? "unknown XML error"
        }
    }

    var isWellFormed: Bool { parseError == nil && elements.first?.name == "svg" }

    /// Elements whose class list contains `name`.
    func elements(class name: String) -> [Element] {
        elements.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(name)) }
    }

    func count(class name: String) -> Int { elements(class: name).count }

    /// The text of every `<text>` element.
    var texts: [String] { elements.filter { $0.name == "text" }.map(\.text) }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append(Element(name: elementName, attributes: attributeDict, text: ""))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = open.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        _ = open.popLast()
    }
}
