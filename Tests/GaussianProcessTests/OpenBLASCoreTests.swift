import Testing
@testable import GaussianProcess

@Suite("OpenBLAS kernel choice")
struct OpenBLASCoreTests {
    @Test("the BLAS behind LAPACKE is OpenBLAS and reports the kernels it chose")
    func reportsItsCore() throws {
        // A factorisation first, so that the library is loaded and initialised.
        var a = [4.0, 2.0, 2.0, 3.0]
        #expect(LinearAlgebra.choleskyInPlace(&a, n: 2))
        let core = try #require(OpenBLASCore.selected, "the BLAS is not OpenBLAS: install libopenblas-dev")
        #expect(!core.isEmpty)
    }
}
