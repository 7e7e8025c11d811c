import GPNav

/// The operations on studies: create (or open), list, show.
extension GPNavAPI {
    func createStudy(_ input: Operations.CreateStudy.Input) async throws -> Operations.CreateStudy.Output {
        let body = switch input.body { case .json(let body): body }
        let (session, created) = try await sessions.createOrOpen(body.name, settings: body.settings)
        if created {
            logger.info("study created", metadata: [
                "event": "study_created", "study": "\(body.name)", "budget": "\(body.settings.budget.limitsText)",
                "target_trials": "\(body.settings.targetTrials)", "family": "\(body.settings.family)",
            ])
        }
        let study = try WireValues.study(try await session.status())
        return created ? .created(.init(body: .json(study))) : .ok(.init(body: .json(study)))
    }

    func listStudies(_ input: Operations.ListStudies.Input) async throws -> Operations.ListStudies.Output {
        var studies: [Components.Schemas.Study] = []
        for study in try await store.studies() {
            let session = try await sessions.sessionForRecording(named: study.name)
            studies.append(try WireValues.study(try await session.status()))
        }
        return .ok(.init(body: .json(.init(studies: studies))))
    }

    func getStudy(_ input: Operations.GetStudy.Input) async throws -> Operations.GetStudy.Output {
        let session = try await session(input.path.name, forAsking: false)
        return .ok(.init(body: .json(try WireValues.study(try await session.status()))))
    }
}
