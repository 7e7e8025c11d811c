import Foundation
import Testing
@testable import GPNav

/// A backend the store contract tests run against: each test gets a fresh, empty store of it.
///
/// SQLite always runs. PostgreSQL runs when `GPNAV_TEST_POSTGRES_URL` names a server
/// (`bash .ci/with-postgres swift test --traits Full` starts a throwaway one); each store is a schema of its own
/// in that database, so tests never see each other's studies.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    /// The PostgreSQL server for tests, or nil when none is given or the build has no PostgreSQL store.
    static var postgresURL: String? {
        guard BuildFeature.postgreSQL.isBuilt else { return nil }
        return ProcessInfo.processInfo.environment["GPNAV_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// How to run the PostgreSQL tests, for the message of a run that skips them.
    static let howToRunPostgres = BuildFeature.postgreSQL.isBuilt
        ? "PostgreSQL store tests skipped: GPNAV_TEST_POSTGRES_URL is not set; run them with `bash .ci/with-postgres swift test --traits Full`"
        : "PostgreSQL store tests skipped: this build has no PostgreSQL store; run them with `bash .ci/with-postgres swift test --traits Full`"

    /// The backends this run can test.
    static var available: [StoreBackend] {
        postgresURL == nil ? [.sqlite] : allCases
    }

    var testDescription: String { rawValue }

    /// A new location no test has used: a file in a new directory, or a new schema.
    func newLocation() throws -> StoreLocation {
        switch self {
        case .sqlite:
            return .sqlite(path: try TemporaryDirectory().file("store.sqlite"))
        case .postgres:
            let base = try #require(Self.postgresURL, "GPNAV_TEST_POSTGRES_URL")
            var url = try PostgresURL(base)
            url.schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            return .postgres(url)
        }
    }

    /// A new, empty store opened for writing, and where it is.
    func newStore() async throws -> (any ClosableTrialStore, StoreLocation) {
        let location = try newLocation()
        return (try await openStore(location, access: .readWrite(createIfMissing: true)), location)
    }

    /// Runs `work` `count` times at once, each on its own thread with a store of its own on
    /// `location`, standing in for that many processes (separate SQLite connections lock the file
    /// as processes do; separate PostgreSQL stores have connection pools of their own); returns
    /// what each returned, in the order they ended.
    static func concurrently<T: Sendable>(_ count: Int, at location: StoreLocation,
                                          _ work: @escaping @Sendable (any ClosableTrialStore) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: T.self) { group in
            for _ in 0..<count {
                group.addTask {
                    try await Task.detached {
                        try await work(try await openStore(location, access: .readWrite(createIfMissing: false)))
                    }.value
                }
            }
            var all: [T] = []
            for try await one in group { all.append(one) }
            return all
        }
    }

    /// A new store holding one study (``Fixtures/study(_:createdAt:)``), the study, and where it is.
    func storeWithStudy(_ name: String = "macs-300M") async throws -> (any ClosableTrialStore, Study, StoreLocation) {
        let (store, location) = try await newStore()
        return (store, try await store.createStudy(Fixtures.study(name)), location)
    }
}

@Suite("Store backends")
struct StoreBackendTests {
    /// Shows, in a run without PostgreSQL, that its tests were skipped and how to run them; in CI
    /// (`CI` set) a missing server is a failure, so the PostgreSQL tests always run there.
    @Test(.enabled(if: StoreBackend.postgresURL == nil, "PostgreSQL store tests run"))
    func postgresTestsAreSkippedOnlyOutsideCI() async {
        if ProcessInfo.processInfo.environment["CI"].map({ !$0.isEmpty }) ?? false {
            Issue.record("CI must run the PostgreSQL store tests: \(StoreBackend.howToRunPostgres)")
        } else {
            print(StoreBackend.howToRunPostgres)
        }
    }
}
