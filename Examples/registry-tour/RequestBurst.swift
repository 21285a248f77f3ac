import ModelRegistry
import OnnxRuntimeEngine

/// A burst of concurrent classification requests through a ``WorkerRegistry``, an unload that drains them, and
/// a few requests that arrive too late.
struct RequestBurst {
    let registry: ModelRegistry
    let workers: WorkerRegistry
    let name: String

    /// What became of the requests.
    struct Report {
        var submitted = 0
        var completed = 0
        /// Failed requests by reason.
        var failed: [String: Int] = [:]
        /// Predicted labels of the completed requests, counted.
        var labels: [Int64: Int] = [:]

        var failedCount: Int { failed.values.reduce(0, +) }
    }

    /// Submits `count` requests at once, unloads the model with ``WorkerRegistry/drainAndUnload(_:drainTimeout:)``
    /// as soon as they are all accepted, then submits `late` more while the model unloads.
    func run(count: Int, late: Int) async throws -> Report {
        let burst = (0..<count).map { index in Task { try await classify(index) } }
        while let status = workers.status(of: name), status.queued + status.inFlight + status.completed < count {
            await Task.yield()  // wait until every request is queued, running or done
        }
        if let status = workers.status(of: name) {
            print("unloading while \(status.queued) requests are queued, \(status.inFlight) running, "
                + "\(status.completed) done")
        }
        let unload = Task { try await workers.drainAndUnload(name) }
        while workers.status(of: name)?.isAccepting == true { await Task.yield() }
        let stragglers = (0..<late).map { index in Task { try await classify(count + index) } }

        var report = Report(submitted: count + late)
        for task in burst + stragglers {
            switch await task.result {
            case .success(let label):
                report.completed += 1
                report.labels[label, default: 0] += 1
            case .failure(let error):
                report.failed[Self.reason(error), default: 0] += 1
            }
        }
        try await unload.value
        return report
    }

    /// One request: classifies three rows derived from `index` and returns the first row's label.
    private func classify(_ index: Int) async throws -> Int64 {
        let base = Float(index % 25)
        let rows = Tensor(shape: [3, 2], floats: [4.4 + base * 0.14, 2.2 + base * 0.07, 5.0, 3.4, 6.5, 3.0])
        return try await workers.submit(to: name) { engine in
            guard let engine = engine as? OnnxRuntimeEngine else {
                throw RegistryError.engineTypeMismatch(
                    name: name, expected: "OnnxRuntimeEngine", actual: "\(type(of: engine))")
            }
            return try await engine.run(["float_input": rows])["label"]?.tensor?.int64s?.first ?? -1
        }
    }

    /// A short reason for a failed request: the registry error's case, else the error's type.
    private static func reason(_ error: any Error) -> String {
        guard let error = error as? RegistryError else { return "\(type(of: error))" }
        return "\(error)"
    }
}
