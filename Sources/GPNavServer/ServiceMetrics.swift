import Foundation
import GPNav
import Synchronization

/// The server's counters and the ask latency histogram, written as Prometheus text
/// (exposition format 0.0.4). Trials by state are read from the store at scrape time, so they
/// are right after a restart; counters start at zero with the process, as Prometheus expects.
/// Requests are counted by method, route pattern (never the raw path, whose study names and
/// trial numbers would make a series per value) and status.
public final class ServiceMetrics: Sendable {
    /// Upper bounds (seconds) of the ask latency histogram's buckets.
    static let latencyBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct State {
        var asks = 0
        var tells = 0
        var heartbeats = 0
        var fails = 0
        var abandoned = 0
        var askLatencyCounts = [Int](repeating: 0, count: ServiceMetrics.latencyBuckets.count)
        var askLatencySum = 0.0
        var askLatencyCount = 0
        var requests: [RequestKey: Int] = [:]
    }

    /// One series of `gpnav_requests_total`.
    struct RequestKey: Hashable, Comparable {
        var method: String
        var route: String
        var status: Int

        static func < (a: RequestKey, b: RequestKey) -> Bool {
            (a.route, a.method, a.status) < (b.route, b.method, b.status)
        }
    }

    /// What the server knows of its open studies at scrape time.
    struct StudyCacheState {
        var openStudies: Int
        var estimatedBytes: Int
        var evictions: Int
    }

    private let state = Mutex(State())

    public init() {}

    func recordAsk(seconds: Double) {
        state.withLock { state in
            state.asks += 1
            state.askLatencySum += seconds
            state.askLatencyCount += 1
            if let bucket = Self.latencyBuckets.firstIndex(where: { seconds <= $0 }) {
                state.askLatencyCounts[bucket] += 1
            }
        }
    }

    func recordTell() { state.withLock { $0.tells += 1 } }
    func recordRequest(method: String, route: String, status: Int) {
        state.withLock { $0.requests[RequestKey(method: method, route: route, status: status), default: 0] += 1 }
    }
    func recordHeartbeat() { state.withLock { $0.heartbeats += 1 } }
    func recordFail() { state.withLock { $0.fails += 1 } }
    func recordAbandoned(_ count: Int) { state.withLock { $0.abandoned += count } }

    /// The exposition text: counters, the histogram, GP fit time per study (when known) and
    /// trials by study and state.
    func exposition(summaries: [StudySummary], fits: [(study: String, fits: Int, seconds: Double)],
                    cache: StudyCacheState? = nil) -> String {
        let snapshot = state.withLock { $0 }
        var text = PrometheusText()
        text.header("gpnav_build_info", help: "The gpnav build serving (value 1).", type: "gauge")
        text.sample("gpnav_build_info", labels: ["version": GPNavBuild.version], value: 1)
        if let resident = ProcessMemory.residentBytes() {
            text.header("gpnav_process_resident_memory_bytes", help: "Resident memory of the server process.", type: "gauge")
            text.sample("gpnav_process_resident_memory_bytes", value: Double(resident))
        }
        if let cache {
            text.header("gpnav_open_studies", help: "Studies whose session (planner and model) is kept in memory.",
                        type: "gauge")
            text.sample("gpnav_open_studies", value: Double(cache.openStudies))
            text.header("gpnav_open_studies_estimated_bytes", help: "Memory the open studies hold, by their own estimate.",
                        type: "gauge")
            text.sample("gpnav_open_studies_estimated_bytes", value: Double(cache.estimatedBytes))
            text.counter("gpnav_study_evictions_total", help: "Open studies closed to stay within the cache limits.",
                         value: Double(cache.evictions))
        }
        text.header("gpnav_requests_total", help: "HTTP requests answered, by method, route pattern and status.",
                    type: "counter")
        for (key, count) in snapshot.requests.sorted(by: { $0.key < $1.key }) {
            text.sample("gpnav_requests_total", labels: ["method": key.method, "route": key.route, "status": String(key.status)],
                        value: Double(count))
        }
        text.counter("gpnav_asks_total", help: "Suggestion requests answered.", value: Double(snapshot.asks))
        text.counter("gpnav_tells_total", help: "Trial results accepted (complete), each trial's once.", value: Double(snapshot.tells))
        text.counter("gpnav_heartbeats_total", help: "Heartbeats accepted.", value: Double(snapshot.heartbeats))
        text.counter("gpnav_fails_total", help: "Trials reported failed by workers.", value: Double(snapshot.fails))
        text.counter("gpnav_abandoned_trials_total", help: "Running trials failed by the reaper (lease expired).",
                     value: Double(snapshot.abandoned))
        var cumulative = 0
        let buckets = zip(Self.latencyBuckets, snapshot.askLatencyCounts).map { bound, count in
            cumulative += count
            return (bound, cumulative)
        }
        text.histogram("gpnav_ask_latency_seconds", help: "Time to answer a suggestion request.", buckets: buckets,
                       count: snapshot.askLatencyCount, sum: snapshot.askLatencySum)
        if !fits.isEmpty {
            text.header("gpnav_gp_fit_seconds", help: "Time spent fitting the study's GP.", type: "summary")
            for fit in fits {
                text.sample("gpnav_gp_fit_seconds_sum", labels: ["study": fit.study], value: fit.seconds)
                text.sample("gpnav_gp_fit_seconds_count", labels: ["study": fit.study], value: Double(fit.fits))
            }
        }
        text.header("gpnav_trials", help: "Trials by study and state.", type: "gauge")
        for summary in summaries {
            for state in TrialState.allCases {
                text.sample("gpnav_trials", labels: ["study": summary.study.name, "state": state.rawValue],
                            value: Double(summary.counts[state] ?? 0))
            }
        }
        return text.text
    }
}

/// Prometheus text exposition format, version 0.0.4: `# HELP` and `# TYPE` lines, then samples.
struct PrometheusText {
    private(set) var text = ""

    mutating func header(_ name: String, help: String, type: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    mutating func sample(_ name: String, labels: [String: String] = [:], value: Double) {
        let labelText = labels.isEmpty ? "" : "{" + labels.sorted { $0.key < $1.key }
            .map { "\($0.key)=\"\(Self.escaped($0.value))\"" }.joined(separator: ",") + "}"
        text += "\(name)\(labelText) \(Self.number(value))\n"
    }

    mutating func counter(_ name: String, help: String, value: Double) {
        header(name, help: help, type: "counter")
        sample(name, value: value)
    }

    mutating func histogram(_ name: String, help: String, buckets: [(Double, Int)], count: Int, sum: Double) {
        header(name, help: help, type: "histogram")
        for (bound, cumulative) in buckets {
            sample(name + "_bucket", labels: ["le": Self.number(bound)], value: Double(cumulative))
        }
        sample(name + "_bucket", labels: ["le": "+Inf"], value: Double(count))
        sample(name + "_sum", value: sum)
        sample(name + "_count", value: Double(count))
    }

    /// A label value with `\`, `"` and newlines escaped, as the format requires.
    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
