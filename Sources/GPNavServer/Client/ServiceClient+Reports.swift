import Foundation
import GPNav

extension ServiceClient {
    /// Sends one point of a trial's learning curve; returns whether the server says to stop training.
    public func report(study: String, trial: Int, _ report: EpochReport) async throws(ServiceClientError) -> Bool {
        struct Body: Encodable { var epoch: Int; var accuracy: Double }
        struct Reply: Decodable { var prune: Bool }
        let data = try await send("POST", path: ["v1", "studies", study, "trials", String(trial), "reports"],
                                  body: Body(epoch: report.epoch, accuracy: report.accuracy))
        do {
            return try JSONDecoder().decode(Reply.self, from: data).prune
        } catch {
            throw .badReply("the answer to a report has no boolean \"prune\"")
        }
    }
}
