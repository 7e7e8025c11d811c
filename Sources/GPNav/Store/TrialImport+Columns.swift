import Foundation
import MobileViT

extension TrialImport {
    /// A problem with one row, before the file and line are prefixed.
    struct RowProblem: Error {
        var message: String
    }

    /// Where each known column sits in the header.
    struct ColumnMap {
        var resolution: Int
        var width: Int
        var accuracy: Int
        var classes: Int?
        var state: Int?
        var error: Int?
        var startedAt: Int?
        var finishedAt: Int?
        var family: Int?
        /// Every column by name, for the parts a family has beyond the fixed columns.
        var byName: [String: Int]
        /// Metric name and column.
        var metrics: [(name: String, column: Int)]

        init(names: [String], source: String) throws(TrialImportError) {
            let known = Set(TrialImport.requiredColumns + ["classes", "state", "error", "started_at", "finished_at", "family"]
                            + TrialExport.partColumns)
            var seen: Set<String> = []
            for name in names where known.contains(name) || name.hasPrefix(TrialExport.metricPrefix) {
                guard seen.insert(name).inserted else {
                    throw TrialImportError(message: "\(source): line 1: column '\(name)' appears twice in the header")
                }
            }
            let missing = TrialImport.requiredColumns.filter { !names.contains($0) }
            guard missing.isEmpty else {
                throw TrialImportError(message: "\(source): line 1: the header lacks the required column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (the columns of a trial CSV export)")
            }
            let index = { (name: String) in names.firstIndex(of: name) ?? 0 }
            resolution = index("resolution")
            width = index("width")
            accuracy = index("accuracy")
            classes = names.firstIndex(of: "classes")
            state = names.firstIndex(of: "state")
            error = names.firstIndex(of: "error")
            startedAt = names.firstIndex(of: "started_at")
            finishedAt = names.firstIndex(of: "finished_at")
            family = names.firstIndex(of: "family")
            var byName: [String: Int] = [:]
            for (column, name) in names.enumerated() where byName[name] == nil { byName[name] = column }
            self.byName = byName
            var metrics: [(String, Int)] = []
            for (column, name) in names.enumerated() where name.hasPrefix(TrialExport.metricPrefix) {
                let metric = String(name.dropFirst(TrialExport.metricPrefix.count))
                guard !metric.isEmpty else {
                    throw TrialImportError(message: "\(source): line 1: column '\(name)' names no metric (write metric_<name>)")
                }
                metrics.append((metric, column))
            }
            self.metrics = metrics.map { (name: $0.0, column: $0.1) }
        }

        func row(_ record: CSV.Record, defaultClasses: Int) throws(RowProblem) -> Row {
            let fields = record.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            let state = try Self.state(state.map { fields[$0] } ?? "")
            let rowFamily = try Self.family(family.map { fields[$0] } ?? "")
            let resolution = try Self.integer(fields[resolution], "resolution")
            let width = try Self.number(fields[width], "width")
            var depthLists: [String: [Int]] = [:]
            for group in rowFamily.depthGroups {
                guard let column = byName[group.name], column < fields.count else {
                    throw RowProblem(message: "\(rowFamily.name) needs a \(group.name) column")
                }
                depthLists[group.name] = try Self.depths(fields[column], group.name)
            }
            var choices: [String: Int] = [:]
            for choice in rowFamily.choices {
                guard let column = byName[choice.name], column < fields.count, !fields[column].isEmpty else { continue }
                guard let value = choice.value(of: fields[column]) else {
                    throw RowProblem(message: "\(choice.name) '\(TrialImport.shown(fields[column]))' is not one of "
                        + choice.allowed.map(choice.text(of:)).joined(separator: ", "))
                }
                choices[choice.name] = value
            }
            let classesText = classes.map { fields[$0] } ?? ""
            let classes = classesText.isEmpty ? defaultClasses : try Self.integer(classesText, "classes")
            let architecture: Architecture
            do {
                architecture = try Architecture(family: rowFamily, resolution: resolution, width: width,
                                                depths: depthLists, choices: choices, classes: classes)
            } catch {
                throw RowProblem(message: error.description)
            }
            var accuracy: Double?
            if fields[self.accuracy].isEmpty {
                guard state != .complete else {
                    throw RowProblem(message: "accuracy is empty; a complete trial needs one (or set state to failed)")
                }
            } else {
                let value = try Self.number(fields[self.accuracy], "accuracy")
                guard (0...100).contains(value) else {
                    throw RowProblem(message: "accuracy \(TrialImport.shown(fields[self.accuracy])) is outside 0...100 (percent)")
                }
                accuracy = value
            }
            var metrics: [String: Double] = [:]
            for metric in self.metrics where !fields[metric.column].isEmpty {
                metrics[metric.name] = try Self.number(fields[metric.column], TrialExport.metricPrefix + metric.name)
            }
            let errorText = error.map { record.fields[$0] } ?? ""
            let error = errorText.isEmpty ? nil : errorText
            return Row(line: record.line, architecture: architecture, state: TrialState.reading(state, error: error),
                       accuracy: accuracy, metrics: metrics, error: error,
                       startedAt: try Self.time(startedAt.map { fields[$0] } ?? "", "started_at"),
                       finishedAt: try Self.time(finishedAt.map { fields[$0] } ?? "", "finished_at"))
        }

        /// A row's `family`: empty (or no such column, as in files written before families) means
        /// the default family, MobileViTv2.
        static func family(_ text: String) throws(RowProblem) -> any ArchitectureFamily {
            guard !text.isEmpty else { return ArchitectureFamilies.standard }
            do {
                return try ArchitectureFamilies.named(text)
            } catch {
                throw RowProblem(message: ArchitectureError.unknownFamily(TrialImport.shown(text)).description)
            }
        }

        /// The states a file may give, in words.
        static let finishedStates = TrialState.allCases.filter { $0 != .running }.map(\.rawValue).joined(separator: ", ")

        static func state(_ text: String) throws(RowProblem) -> TrialState {
            guard !text.isEmpty else { return .complete }
            guard let state = TrialState(rawValue: text) else {
                throw RowProblem(message: "state '\(TrialImport.shown(text))' is not one of \(finishedStates)")
            }
            guard state != .running else {
                throw RowProblem(message: "state 'running' cannot be imported: only finished trials (\(finishedStates)); leave running trials out of the file")
            }
            return state
        }

        static func integer(_ text: String, _ column: String) throws(RowProblem) -> Int {
            guard let value = NumberText.integer(text) else {
                throw RowProblem(message: "\(column) '\(TrialImport.shown(text))' is not a whole number")
            }
            return value
        }

        static func number(_ text: String, _ column: String) throws(RowProblem) -> Double {
            guard let value = NumberText.double(text) else {
                throw RowProblem(message: "\(column) '\(TrialImport.shown(text))' is not a number")
            }
            guard value.isFinite else { throw RowProblem(message: "\(column) '\(TrialImport.shown(text))' is not finite") }
            return value
        }

        static func depths(_ text: String, _ column: String) throws(RowProblem) -> [Int] {
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
                .map { NumberText.integer($0) }
            guard !text.isEmpty, parts.allSatisfy({ $0 != nil }) else {
                throw RowProblem(message: "\(column) '\(TrialImport.shown(text))' is not a comma-separated list of whole numbers, e.g. \"2,4,3\"")
            }
            return parts.compactMap { $0 }
        }

        static func time(_ text: String, _ column: String) throws(RowProblem) -> Date? {
            guard !text.isEmpty else { return nil }
            guard let date = StoreTime.date(text) else {
                throw RowProblem(message: "\(column) '\(TrialImport.shown(text))' is not an ISO 8601 UTC time like 2025-11-21T00:00:00.000Z")
            }
            return date
        }
    }
}
