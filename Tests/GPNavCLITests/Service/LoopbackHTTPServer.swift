import Foundation
import TestScratch
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for client tests: it records every request and answers
/// each with what `answer` returns, one request per connection. It stops itself after `lifetime`
/// seconds, or on ``stop()``.
final class LoopbackHTTPServer: @unchecked Sendable {
    /// One request as it arrived.
    struct Request: Sendable {
        var method: String
        var path: String
        /// Header names in lower case.
        var headers: [String: String]
        var body: String
    }

    /// One answer: a status line's code and reason, extra headers, a body.
    struct Answer: Sendable {
        var status: Int
        var reason: String = "OK"
        var headers: [String: String] = [:]
        var body: String = ""
    }

    let port: Int
    private let socketFD: Int32
    private let lock = NSLock()
    private var received: [Request] = []
    private var stopped = false
    private let answer: @Sendable (Request) -> Answer

    /// The requests received so far.
    var requests: [Request] { lock.withLock { received } }

    init(lifetime: Double = 60, answer: @escaping @Sendable (Request) -> Answer) throws {
        self.answer = answer
        let listener: (descriptor: Int32, port: Int)
        do {
            listener = try LoopbackListener.open(backlog: 16)
        } catch {
            throw ServeProcessError(message: error.description)
        }
        socketFD = listener.descriptor
        port = listener.port
        let deadline = Date().addingTimeInterval(lifetime)
        let thread = Thread { [self] in serve(until: deadline) }
        thread.start()
    }

    func stop() {
        lock.withLock { stopped = true }
    }

    private func serve(until deadline: Date) {
        defer { close(socketFD) }
        while Date() < deadline, !lock.withLock({ stopped }) {
            var entry = pollfd(fd: socketFD, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) > 0 else { continue }
            let client = accept(socketFD, nil, nil)
            guard client >= 0 else { continue }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var headEnd: Int?
        var expected = 0
        while true {
            if let end = headEnd, bytes.count >= end + expected { break }
            let count = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            bytes.append(contentsOf: buffer[0..<count])
            if headEnd == nil, let range = Data(bytes).range(of: Data("\r\n\r\n".utf8)) {
                headEnd = range.upperBound
                let head = String(decoding: bytes[0..<range.lowerBound], as: UTF8.self)
                for line in head.split(separator: "\r\n").dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2, parts[0].lowercased() == "content-length" {
                        expected = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
            }
        }
        guard let end = headEnd else { return }
        let head = String(decoding: bytes[0..<(end - 4)], as: UTF8.self)
        let lines = head.split(separator: "\r\n").map(String.init)
        let requestLine = (lines.first ?? "").split(separator: " ").map(String.init)
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        let request = Request(method: requestLine.first ?? "", path: requestLine.count > 1 ? requestLine[1] : "",
                              headers: headers, body: String(decoding: bytes[end...], as: UTF8.self))
        lock.withLock { received.append(request) }
        let reply = answer(request)
        var text = "HTTP/1.1 \(reply.status) \(reply.reason)\r\n"
        var replyHeaders = reply.headers
        replyHeaders["Content-Length"] = String(reply.body.utf8.count)
        replyHeaders["Connection"] = "close"
        if !reply.body.isEmpty, replyHeaders["Content-Type"] == nil { replyHeaders["Content-Type"] = "application/json" }
        for (name, value) in replyHeaders { text += "\(name): \(value)\r\n" }
        text += "\r\n" + reply.body
        let data = Array(text.utf8)
        var sent = 0
        while sent < data.count {
            let count = data[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            sent += count
        }
    }
}
