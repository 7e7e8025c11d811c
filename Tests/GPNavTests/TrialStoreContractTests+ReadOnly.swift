import Testing
@testable import GPNav

extension TrialStoreContractTests {
    /// A store opened for reading says so when asked to write, in its own words on every backend
    /// (not the SQLite file's "file or directory not writable").
    @Test(arguments: StoreBackend.available)
    func writingToAStoreOpenedForReadingIsRefusedAsOpenedForReading(backend: StoreBackend) throws {
        let (writer, _, location) = try backend.storeWithStudy()
        try writer.close()
        let reader = try openStore(location, access: .readOnly)
        #expect(throws: StoreError.readOnly(path: location.description, reason: StoreError.openedForReading)) {
            try reader.createStudy(Fixtures.study("new"))
        }
        #expect(try reader.studies().count == 1)
    }
}
