// regenerate-openapi: rewrites openapi.json's family-generated schemas (FamilyName, Architecture,
// SearchSpace) from the family registry, leaving every other line as written. Run from the
// repository root after adding or changing a family:
//
//     swift run regenerate-openapi            # rewrites Sources/GPNavServer/openapi.json
//     swift run regenerate-openapi --check    # exit 1, and say so, when the file is out of date
//
// FamilySchemasTests fails while the file and the registry differ.
import Foundation
import GPNavServer

let arguments = Array(CommandLine.arguments.dropFirst())
let check = arguments.contains("--check")
let paths = arguments.filter { $0 != "--check" }
guard paths.count <= 1, !paths.contains(where: { $0.hasPrefix("-") }) else {
    FileHandle.standardError.write(Data("usage: regenerate-openapi [--check] [PATH (default Sources/GPNavServer/openapi.json)]\n".utf8))
    exit(2)
}
let path = paths.first ?? "Sources/GPNavServer/openapi.json"
guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
    FileHandle.standardError.write(Data("regenerate-openapi: error: \(path) cannot be read as UTF-8 text\n".utf8))
    exit(1)
}
do {
    let regenerated = try FamilySchemas.regenerated(text)
    if regenerated == text {
        print("\(path): the family schemas are the registry's; nothing to change")
    } else if check {
        FileHandle.standardError.write(Data("regenerate-openapi: \(path) differs from the family registry's schemas; run `swift run regenerate-openapi`\n".utf8))
        exit(1)
    } else {
        try Data(regenerated.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        print("\(path): wrote the family registry's FamilyName, Architecture and SearchSpace schemas")
    }
} catch {
    FileHandle.standardError.write(Data("regenerate-openapi: error: \(path): \(error)\n".utf8))
    exit(1)
}
