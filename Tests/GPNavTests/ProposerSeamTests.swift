import Foundation
import MobileViT
import Synchronization
import Testing
@testable import GPNav

/// The study side of the proposer seam: a proposer sees snapshots only, and the study claims
/// what it proposes.
@Suite("Proposer seam")
struct ProposerSeamTests {
    let scratch: ScratchDirectory

    init() throws {
        scratch = try ScratchDirectory()
    }

    /// Proposes the first architecture of `script` that the snapshot does not show taken, and
    /// keeps every snapshot it was handed; `beforeAnswer` runs before each answer (a test's
    /// stand-in for another process acting meanwhile).
    struct ScriptedProposer: Proposer {
        let script: [Architecture]
        let seen: Log
        let beforeAnswer: @Sendable (Int) throws -> Void

        func propose(for snapshot: StudySnapshot) throws -> ProposerOutcome {
            let call = seen.snapshots.withLock { seen in
                seen.append(snapshot)
                return seen.count
            }
            try beforeAnswer(call)
            let taken = snapshot.taken
            guard let next = script.first(where: { !taken.contains($0) }) else { return .exhausted }
            return .proposal(ProposedArchitecture(architecture: next, cost: CostModel.cost(of: next),
                                                  proposal: Proposal(kind: .manual)))
        }
    }

    final class Log: Sendable {
        let snapshots = Mutex<[StudySnapshot]>([])
    }

    func study(_ file: String, target: Int = 5) async throws -> (SQLiteTrialStore, Study) {
        let store = try SQLiteTrialStore(path: scratch.path(file), access: .readWrite(createIfMissing: true))
        let settings = StudySettings(budget: Budget(macs: 300_000_000), targetTrials: target, evaluator: "test")
        let session = try await StudySession.open(store: store, name: "s", settings: settings, mode: .create, leaseSeconds: 120)
        return (store, session.study)
    }

    let script = Array(SearchSpace.default.family.presets.map(\.architecture).prefix(3))

    @Test func theStudyClaimsWhatItsProposerProposesAndShowsItTheClaimsSinceItsRead() async throws {
        let (store, study) = try await study("claims.sqlite")
        let log = Log()
        let proposer = StudyProposer(study: study, store: store, leaseSeconds: 120) { [script] _ in
            ScriptedProposer(script: script, seen: log, beforeAnswer: { _ in })
        }
        let asked = try await proposer.ask(worker: "w", count: 2)
        #expect(asked.trials.map(\.trial.architecture) == Array(script.prefix(2)))
        #expect(asked.trials.allSatisfy { $0.trial.worker == "w" && $0.trial.proposal.kind == .manual })
        let snapshots = log.snapshots.withLock { $0 }
        #expect(snapshots.map(\.trials.count) == [0, 1])
        #expect(snapshots.last?.running.map(\.architecture) == [script[0]])
        #expect(snapshots.allSatisfy { $0.budget == study.budget && $0.targetTrials == 5 && $0.name == "s" })
        #expect(try store.trials(TrialQuery(study: "s")).map(\.architecture) == Array(script.prefix(2)))
    }

    @Test func aClaimLostToAnotherProcessIsProposedAgainFromASnapshotThatShowsIt() async throws {
        let (store, study) = try await study("race.sqlite")
        let log = Log()
        let first = script[0]
        let rival = try #require(study.id)
        // On the first call another process claims the architecture about to be proposed.
        let proposer = StudyProposer(study: study, store: store, leaseSeconds: 120) { [script] _ in
            ScriptedProposer(script: script, seen: log, beforeAnswer: { call in
                guard call == 1 else { return }
                let cost = CostModel.cost(of: first)
                _ = try store.insertTrial(Trial(studyID: rival, number: 0, state: .running, architecture: first,
                                                macs: cost.macs, params: cost.params, proposal: Proposal(kind: .manual),
                                                startedAt: Date(), heartbeatAt: Date(), worker: "rival"),
                                          claimKey: TrialLifecycle.claimKey(first, attempt: 0))
            })
        }
        let asked = try await proposer.ask(worker: "w", count: 1)
        #expect(asked.trials.map(\.trial.architecture) == [script[1]])
        let snapshots = log.snapshots.withLock { $0 }
        #expect(snapshots.count == 2)
        #expect(snapshots.last?.running.map(\.worker) == ["rival"])
    }

    @Test func aProposerWithNothingLeftEndsTheStudyAsExhausted() async throws {
        let (store, study) = try await study("exhausted.sqlite")
        let proposer = StudyProposer(study: study, store: store, leaseSeconds: 120) { _ in
            ScriptedProposer(script: [], seen: Log(), beforeAnswer: { _ in })
        }
        let asked = try await proposer.ask(worker: "w", count: 1)
        #expect(asked.trials.isEmpty && asked.done && asked.exhausted)
    }
}
