// Claim-and-finish throughput of a store, built like gpnav itself (`swift run -c release`):
// with 1, 4 and 16 writers, each its own store (its own SQLite connections or PostgreSQL pool, as
// separate processes have), every writer claims a distinct architecture of one study and finishes
// it as complete, `--each` times (default 100). Prints trials per second.
//
//     swift run -c release store-claims --db postgresql://USER:PASSWORD@HOST:PORT/DB?schema=claims
//     swift run -c release store-claims --db Experiments/out/store/claims.sqlite [--each 100]
//
// `bash Experiments/store/run.sh` runs it on both backends. The same measurement as the test
// `BenchmarkClaims` (which runs in the debug test bundle).
import Foundation
import GPNav
import MobileViT

var location: String?
var each = 100
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let flag = arguments.next(), let value = arguments.next() {
    switch flag {
    case "--db": location = value
    case "--each": each = Int(value) ?? each
    default: break
    }
}
guard let location else {
    FileHandle.standardError.write(Data("usage: store-claims --db PATH|URL [--each N]\n".utf8))
    exit(2)
}

/// Every grid point of the default space, resolution slowest: distinct architectures to claim.
let defaultPoints = SearchSpace.default.allPoints

/// The `index`th architecture of the default space (distinct for every index below the number
/// of its points).
func architecture(_ index: Int) throws -> Architecture {
    try SearchSpace.default.architecture(at: defaultPoints[index % defaultPoints.count])
}

let storeLocation = try StoreLocation(location)
let setup = try await openStore(storeLocation, access: .readWrite(createIfMissing: true))
let run = UUID().uuidString.prefix(8)
print("| writers | trials | seconds | trials per second |")
print("|---:|---:|---:|---:|")
for writers in [1, 4, 16] {
    let study = try await setup.createStudy(Study(name: "claims-\(writers)-\(run)", settings: StudySettings(
        budget: Budget(macs: 300_000_000), targetTrials: writers * each, seed: 1, evaluator: "synthetic (benchmark)")))
    guard let studyID = study.id else { exit(1) }
    let start = Date()
    let each = each
    try await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<writers {
            group.addTask {
                let writerStore = try await openStore(storeLocation, access: .readWrite(createIfMissing: false))
                for index in 0..<each {
                    let trial = Trial(studyID: studyID, number: 0, state: .running,
                                      architecture: try architecture(writer * each + index),
                                      macs: 1_000_000, params: 1_000, proposal: Proposal(kind: .random), startedAt: Date())
                    guard let claimed = try await writerStore.claimTrial(trial), let id = claimed.id else {
                        throw StoreError.backend(store: "\(storeLocation)", message: "a distinct architecture was refused")
                    }
                    try await writerStore.finishTrial(id: id, outcome: TrialOutcome(state: .complete, accuracy: 70))
                }
                try await writerStore.close()
            }
        }
        try await group.waitForAll()
    }
    let seconds = Date().timeIntervalSince(start)
    let total = writers * each
    guard try await setup.trials(TrialQuery(study: study.name)).map(\.number) == Array(0..<total) else {
        FileHandle.standardError.write(Data("store-claims: numbers are not 0..<\(total)\n".utf8))
        exit(1)
    }
    print("| \(writers) | \(total) | \(String(format: "%.2f", seconds)) | \(Int(Double(total) / seconds)) |")
}
try await setup.close()
