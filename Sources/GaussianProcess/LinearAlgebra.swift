import CLAPACK

/// Thin wrappers over LAPACKE/CBLAS on column-major buffers (lower triangles), working in place
/// on the caller's arrays so that nothing is copied on the way to LAPACK.
enum LinearAlgebra {
    /// Cholesky factor K = L L^T in place (`dpotrf`, lower); false when K is not positive definite.
    static func choleskyInPlace(_ a: inout [Double], n: Int) -> Bool {
        a.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count >= n * n else { return false }
            return LAPACKE_dpotrf(LAPACK_COL_MAJOR, lower, Int32(n), base, Int32(n)) == 0
        }
    }

    /// Solves (L L^T) X = B in place for the `nrhs` columns of `b` (`dpotrs`).
    static func choleskySolveInPlace(_ l: [Double], n: Int, _ b: inout [Double], nrhs: Int) {
        l.withUnsafeBufferPointer { factor in
            b.withUnsafeMutableBufferPointer { rhs in
                guard let lBase = factor.baseAddress, let bBase = rhs.baseAddress else { return }
                _ = LAPACKE_dpotrs(LAPACK_COL_MAJOR, lower, Int32(n), Int32(nrhs), lBase, Int32(n), bBase, Int32(n))
            }
        }
    }

    /// Overwrites the Cholesky factor L (lower) with the lower triangle of K^-1 (`dpotri`).
    static func inverseFromCholeskyInPlace(_ a: inout [Double], n: Int) -> Bool {
        a.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, buffer.count >= n * n else { return false }
            return LAPACKE_dpotri(LAPACK_COL_MAJOR, lower, Int32(n), base, Int32(n)) == 0
        }
    }

    /// Solves L V = B in place for the `m` columns of the n x m matrix `b` (`dtrsm`): one
    /// triangular solve for the whole batch.
    static func lowerTriangularSolveInPlace(_ l: [Double], n: Int, _ b: inout [Double], m: Int) {
        l.withUnsafeBufferPointer { factor in
            b.withUnsafeMutableBufferPointer { rhs in
                guard let lBase = factor.baseAddress, let bBase = rhs.baseAddress, m > 0 else { return }
                cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit,
                            Int32(n), Int32(m), 1, lBase, Int32(n), bBase, Int32(n))
            }
        }
    }

    /// Solves L V = B in place for the `m` columns of the n x m column-major matrix `b` (`dtrsm`),
    /// where L is stored row by row with leading dimension `stride` (as column-major storage that
    /// is the upper triangle U = L^T, so the solve is U^T V = B).
    static func rowMajorLowerTriangularSolveInPlace(_ l: [Double], n: Int, stride: Int, _ b: inout [Double], m: Int) {
        l.withUnsafeBufferPointer { factor in
            b.withUnsafeMutableBufferPointer { rhs in
                guard let lBase = factor.baseAddress, let bBase = rhs.baseAddress, n > 0, m > 0 else { return }
                cblas_dtrsm(CblasColMajor, CblasLeft, CblasUpper, CblasTrans, CblasNonUnit,
                            Int32(n), Int32(m), 1, lBase, Int32(stride), bBase, Int32(n))
            }
        }
    }

    /// A^T x for an n x m column-major A (`dgemv`).
    static func transposeTimes(_ a: [Double], n: Int, m: Int, _ x: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: m)
        a.withUnsafeBufferPointer { matrix in
            x.withUnsafeBufferPointer { vector in
                y.withUnsafeMutableBufferPointer { result in
                    guard let aBase = matrix.baseAddress, let xBase = vector.baseAddress,
                          let yBase = result.baseAddress, m > 0 else { return }
                    cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(m), 1, aBase, Int32(n), xBase, 1, 0, yBase, 1)
                }
            }
        }
        return y
    }

    private static let lower = CChar(UInt8(ascii: "L"))
}
