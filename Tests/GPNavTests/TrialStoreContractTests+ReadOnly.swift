import Testing
@testable import GPNav

extension TrialStoreContractTests {
    /// A store opened for reading says so when asked to write, in its own words on every backend
    /// (not the SQLite file's "file or directory not writable").
    @Test(arguments: StoreBackend.available)
    func writingToAStoreOpenedForReadingIsRefusedAsOpenedForReading(backend: StoreBackend) async throws {
        let (writer, _, location) = try await backend.storeWithStudy()
        try await writer.close()
        let reader = try await openStore(location, access: .readOnly)
        await #expect(throws: StoreError.readOnly(path: location.description, reason: StoreError.openedForReading)) {
            try await reader.createStudy(Fixtures.study("new"))
        }
        #expect(try await reader.studies().count == 1)
    }
}
