#if PostgreSQL
import Foundation
@testable import GPNav
import Testing

/// A PostgreSQL user that may read gpnav's tables but not write them: reading commands work, and
/// a writing one fails with one line saying the store is read-only for that user (not SQLite's
/// "file or directory"), exit 5.
@Suite("PostgreSQL user without write privilege",
       .enabled(if: PostgresServer.url != nil, "needs GPNAV_TEST_POSTGRES_URL: run `bash .ci/with-postgres swift test --traits Full`"))
struct PostgresReadOnlyUserTests {
    @Test func aUserWithoutWritePrivilegeReadsButAWriteSaysTheStoreIsReadOnlyForThatUser() async throws {
        let server = try PostgresServer()
        let fixture = try CLIFixture()
        let schema = "r_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let owner = try #require(try await openStore(StoreLocation(server.url(schema: schema)),
                                               access: .readWrite(createIfMissing: true)) as? PostgresTrialStore)
        _ = try await owner.createStudy(CLIFixture.study("s300"))
        let role = "reader_" + schema.dropFirst(2).prefix(12)
        try await owner.transaction { session in
            try await session.rows("CREATE ROLE \(role) LOGIN PASSWORD '\(server.password)'")
            try await session.rows("GRANT USAGE ON SCHEMA \(schema) TO \(role)")
            try await session.rows("GRANT SELECT ON ALL TABLES IN SCHEMA \(schema) TO \(role)")
        }
        let db = server.url(schema: schema, user: role)
        let studies = try await fixture.runner.run(["studies", "--db", db])
        #expect(studies.status == 0, "\(studies.stderr)")
        #expect(studies.stdout.contains("s300"))
        let delete = try await fixture.runner.run(["studies", "delete", "s300", "--db", db])
        #expect(delete.status == 5)
        #expect(delete.stderr.hasPrefix("gpnav: error: database 'postgresql://\(role):***@"), "\(delete.stderr)")
        #expect(delete.stderr.contains("is read-only (user '\(role)' lacks the privilege: permission denied for table"),
                "\(delete.stderr)")
        #expect(!delete.stderr.contains("file or directory"))
        #expect(!delete.stderr.contains(server.password))
        #expect(delete.stderr.split(separator: "\n").count == 1)
        // Not in a `defer`, which cannot await: a test that throws before here leaves the role behind.
        _ = try? await owner.transaction { session in
            try await session.rows("DROP OWNED BY \(role)")
            try await session.rows("DROP ROLE \(role)")
        }
        try? await owner.close()
    }
}
#endif
