import GPNav

/// `POST /v1/studies/{name}/trials/{number}/reports`: one point of a running trial's learning
/// curve, stored with the trial; the answer is the study's decision whether training goes on
/// (``StudySession/record(_:trial:)``).
extension GPNavAPI {
    func reportEpoch(_ input: Operations.ReportEpoch.Input) async throws -> Operations.ReportEpoch.Output {
        let session = try await session(input.path.name, forAsking: false)
        let number = try Self.trialNumber(input.path.number)
        let body = switch input.body { case .json(let body): body }
        let directive = try await session.record(EpochReport(epoch: body.epoch, accuracy: body.accuracy), trial: number)
        return .ok(.init(body: .json(WireValues.directive(directive))))
    }
}
