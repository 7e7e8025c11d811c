import GPNav
import Hummingbird

/// `POST /v1/studies/{name}/trials/{number}/reports`: one point of a running trial's learning
/// curve, `{"epoch": 3, "accuracy": 41.2}`, stored with the trial; the answer says whether to stop
/// training, `{"prune": false}` (the study's decision, ``StudySession/record(_:trial:)``).
extension StudyRoutes {
    struct ReportBody: Decodable {
        var epoch: Int
        var accuracy: Double
    }

    struct ReportReply: Encodable {
        var prune: Bool

        init(_ directive: TrainingDirective) {
            switch directive {
            case .proceed: prune = false
            }
        }
    }

    func report(_ request: Request, _ context: ServerRequestContext) async throws -> Response {
        let session = try await session(context, forAsking: false)
        let number = try Self.trialNumber(context)
        let body = try await JSONBody.decode(ReportBody.self, from: request, context: context)
        let directive = try await session.record(EpochReport(epoch: body.epoch, accuracy: body.accuracy), trial: number)
        return JSONBody.response(ReportReply(directive))
    }
}
