import Foundation
import MobileViT
import Synchronization
import Testing
@testable import GPNav

/// Evaluation slots: each concurrent training knows its slot (`{slot}`, `GPNAV_SLOT`) and, with
/// ``DeviceSlots``, sees its own GPUs.
@Suite("Evaluation slots")
struct EvaluationSlotTests {
    @Test func devicesSplitEvenlyAmongFewerSlotsAndAreSharedInTurnByMore() throws {
        let four = try DeviceSlots(devices: [0, 1, 2, 3], slots: 2)
        #expect((0..<2).map(four.visibleDevices) == ["0,1", "2,3"])
        let each = try DeviceSlots(parsing: "3, 1,2,0", slots: 4)
        #expect((0..<4).map(each.visibleDevices) == ["3", "1", "2", "0"], "in the order given")
        let shared = try DeviceSlots(parsing: "0,1", slots: 5)
        #expect((0..<5).map(shared.visibleDevices) == ["0", "1", "0", "1", "0"])
    }

    @Test func deviceListsThatCannotServeTheSlotsAreRefusedByName() {
        #expect(throws: DeviceSlotsError.uneven(devices: 3, slots: 2)) { try DeviceSlots(parsing: "0,1,2", slots: 2) }
        #expect(throws: DeviceSlotsError.repeatedIndex(1)) { try DeviceSlots(parsing: "0,1,1", slots: 1) }
        #expect(throws: DeviceSlotsError.negativeIndex(-1)) { try DeviceSlots(devices: [-1], slots: 1) }
        #expect(throws: DeviceSlotsError.notAnIndex("x")) { try DeviceSlots(parsing: "0,x", slots: 1) }
        #expect(throws: DeviceSlotsError.notAnIndex("")) { try DeviceSlots(parsing: "0,", slots: 1) }
        #expect(throws: DeviceSlotsError.noSlots) { try DeviceSlots(devices: [0], slots: 0) }
        #expect(DeviceSlotsError.uneven(devices: 3, slots: 2).description.contains("3 GPUs do not split evenly among 2 slots"))
    }

    @Test func aSlotsCommandGetsItsSlotAndItsOwnDevices() async throws {
        let box = try Sandbox()
        defer { box.remove() }
        let base = box.evaluator("printf '{\"accuracy\": 50, \"slot\": %s, \"gpu\": %s}\\n' {slot} \"$CUDA_VISIBLE_DEVICES\"")
        let evaluator = CommandEvaluator(commandTemplate: base.commandTemplate, timeout: base.timeout,
                                         workingDirectory: base.workingDirectory, configDirectory: base.configDirectory,
                                         devices: try DeviceSlots(devices: [5, 7], slots: 2))
        let architecture = try Architecture(resolution: 224, width: 0.75, mv2Depths: [1, 2], vitDepths: [2, 3, 3])
        for slot in 0..<2 {
            let request = EvaluationRequest(architecture: architecture, macs: 1, params: 1, study: "s", trialNumber: slot, slot: slot)
            let result = try await evaluator.evaluate(request)
            #expect(result.metrics == ["slot": Double(slot), "gpu": slot == 0 ? 5 : 7])
        }
        // Without devices the slot still reaches the command, as GPNAV_SLOT too.
        let plain = box.evaluator("printf '{\"accuracy\": 50, \"slot\": %s}\\n' \"$GPNAV_SLOT\"")
        let request = EvaluationRequest(architecture: architecture, macs: 1, params: 1, study: "s", trialNumber: 9, slot: 3)
        #expect(try await plain.evaluate(request).metrics == ["slot": 3])
    }

    /// Records each evaluation's slot and fails the test when two running at once share one.
    final class SlotRecorder: Evaluator, Sendable {
        let state = Mutex<(busy: Set<Int>, used: Set<Int>, clash: Bool)>(([], [], false))
        var summary: String { "slot recorder" }
        var isSimulated: Bool { true }

        func evaluate(_ request: EvaluationRequest) async throws(EvaluationFailure) -> EvaluationResult {
            state.withLock { state in
                if !state.busy.insert(request.slot).inserted { state.clash = true }
                state.used.insert(request.slot)
            }
            try? await Task.sleep(for: .milliseconds(20))
            state.withLock { _ = $0.busy.remove(request.slot) }
            return EvaluationResult(accuracy: 50 + Double(request.trialNumber) / 10)
        }
    }

    @Test func aParallelSearchGivesEachTrainingInFlightASlotOfItsOwn() async throws {
        let scratch = try ScratchDirectory()
        let store = try SQLiteTrialStore(path: scratch.path("s.sqlite"), access: .readWrite(createIfMissing: true))
        let recorder = SlotRecorder()
        let configuration = SearchConfiguration(studyName: "s", settings: StudySessionTests.settings(trials: 6), parallel: 3)
        _ = try await ArchitectureSearch(store: store, evaluator: recorder, configuration: configuration).run()
        let (used, clash) = recorder.state.withLock { ($0.used, $0.clash) }
        #expect(!clash)
        #expect(used.isSubset(of: [0, 1, 2]) && used.count > 1)
    }
}
