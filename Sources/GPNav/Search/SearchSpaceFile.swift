import Foundation
import MobileViT

/// Reads a ``SearchSpace`` from a JSON file.
public enum SearchSpaceFile {
    /// The space in `path`, validated.
    /// - Throws: ``InputFileError`` (missing file, bad JSON), ``SearchSpaceError``.
    public static func load(_ path: String) throws -> SearchSpace {
        let data = try InputFile.read(path)
        let space: SearchSpace
        do {
            space = try JSONDecoder().decode(SearchSpace.self, from: data)
        } catch let error as DecodingError {
            throw InputFileError(path: path, problem: "not a search space: \(describe(error))")
        } catch let error as ArchitectureError {
            throw InputFileError(path: path, problem: "not a search space: \(error)")
        } catch {
            throw InputFileError(path: path, problem: "not valid JSON")
        }
        try space.validate()
        return space
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing key '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case .dataCorrupted(let context):
            context.codingPath.isEmpty ? "not valid JSON" : "bad value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        @unknown default: "unreadable"
        }
    }
}
