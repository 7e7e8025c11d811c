// Times LAPACK dpotrf on an n x n symmetric positive-definite matrix, called from Swift through
// the same wrapper the GaussianProcess module uses (LinearAlgebra.choleskyInPlace).
// Usage: cholesky-benchmark [n] [repeats]; prints one JSON line with each run's seconds.
import Foundation

OpenBLASCore.reexecuteIfMisdetected()

let arguments = CommandLine.arguments
let n = arguments.count > 1 ? Int(arguments[1]) ?? 2000 : 2000
let repeats = arguments.count > 2 ? Int(arguments[2]) ?? 10 : 10

// A[i][j] = 1 / (1 + |i - j|) + n [i == j]: diagonally dominant, so positive definite;
// cholesky_benchmark.py builds the same matrix.
var matrix = [Double](repeating: 0, count: n * n)
for j in 0..<n {
    for i in 0..<n { matrix[i + j * n] = 1 / Double(1 + abs(i - j)) + (i == j ? Double(n) : 0) }
}

var seconds: [Double] = []
for _ in 0..<(repeats + 1) {
    var work = matrix
    work.withUnsafeMutableBufferPointer { _ in }  // copy now (copy-on-write), not inside the timing
    let start = DispatchTime.now().uptimeNanoseconds
    let ok = LinearAlgebra.choleskyInPlace(&work, n: n)
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard ok else {
        FileHandle.standardError.write(Data("dpotrf failed\n".utf8))
        exit(1)
    }
    seconds.append(elapsed)
}
seconds.removeFirst()  // warm-up: OpenBLAS starts its threads on the first call
print("{\"n\": \(n), \"seconds\": \(seconds)}")
