import GPNav

/// `POST /v1/studies/{name}/trials/{number}/reports`: one point of a running trial's learning
/// curve, stored with the trial; the answer is the study's decision whether training goes on
/// (``StudySession/record(_:trial:resumable:)``).
///
/// Whether a stop is a pause comes with each report (`resumable`), from the worker that trains
/// the trial: it alone knows whether its training can go on later, the server keeps nothing
/// about it between requests (so a restart changes nothing), and a worker that sends no such key
/// is judged as before, every stop final.
extension GPNavAPI {
    func reportEpoch(_ input: Operations.ReportEpoch.Input) async throws -> Operations.ReportEpoch.Output {
        let session = try await session(input.path.name, forAsking: false)
        let number = try Self.trialNumber(input.path.number)
        let body = switch input.body { case .json(let body): body }
        let directive = try await session.record(EpochReport(epoch: body.epoch, accuracy: body.accuracy), trial: number,
                                                 resumable: body.resumable ?? false)
        return .ok(.init(body: .json(WireValues.directive(directive))))
    }
}
