extension LatencyTarget {
    /// The target in words, e.g. `pixel-8 (onnxruntime, 1 thread, float32)`.
    public var text: String {
        "\(device) (\(runtime), \(threads) thread\(threads == 1 ? "" : "s"), \(bits == 8 ? "int8" : "float\(bits)"))"
    }
}
