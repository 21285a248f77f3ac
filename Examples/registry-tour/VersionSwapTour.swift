import Foundation
import ModelRegistry
import OnnxRuntimeEngine

/// The tour's last step: a new catalog version promoted while requests run, and a version served by name.
struct VersionSwapTour {
    let registry: ModelRegistry
    let catalog: ModelCatalog
    let name: String
    let model: URL

    func run() async throws {
        let events = registry.events(bufferingPolicy: .unbounded)
        let watched = Task {
            var lines: [String] = []
            for await event in events where event.name == name {
                switch event.kind {
                case .loadProgress, .swapStarted, .swapped, .swapFailed, .retired, .loaded:
                    lines.append("  event: \(event.kind.label)")
                    if case .retired = event.kind { return lines }
                    if case .swapFailed = event.kind { return lines }
                default: continue
                }
            }
            return lines
        }
        try await registry.load(name)
        try catalog.register(ModelVersion(
            name: "iris", version: "1.2.0", path: model.path, format: .onnx,
            metadata: ModelMetadata(tags: ["retrained"]), modelType: .classifier))

        // Four clients ask for predictions every 200 µs while 1.2.0 is promoted and the registry swaps to it. (A
        // loop with no pause would never suspend: a fast ONNX run completes on the calling thread, and four such
        // loops would hold every thread of the cooperative pool, the swap's own work included.)
        let stop = Locked(false)
        let requests = Task {
            await withTaskGroup(of: (Int, Int).self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var (answered, failed) = (0, 0)
                        while !stop.withLock({ $0 }) {
                            do {
                                _ = try await predict(version: nil)
                                answered += 1
                            } catch { failed += 1 }
                            try? await Task.sleep(for: .microseconds(200))
                        }
                        return (answered, failed)
                    }
                }
                return await group.reduce(into: (0, 0)) { $0.0 += $1.0; $0.1 += $1.1 }
            }
        }
        try catalog.promote(name: "iris", version: "1.2.0")
        let swaps = try await registry.refreshVersions()
        stop.withLock { $0 = true }
        let (answered, failed) = await requests.value
        for line in await watched.value { print(line) }
        let mode = swaps[name].flatMap { $0 }.map(\.mode.rawValue) ?? "none"
        print("swap \(mode): \(answered) requests answered during the swap, \(failed) failed")
        print("now serving: \(try await registry.record(of: name).configuration.version ?? "?")")
        let label = try await predict(version: "1.0.0")
        print("iris@1.0.0 (staging) answered label \(label), served beside the production version")
    }

    /// The first of three fixed flowers' predictions, from the served version or the one named.
    private func predict(version: String?) async throws -> Int64 {
        let rows = Tensor(shape: [3, 2], floats: [5.1, 3.5, 6.7, 3.0, 4.9, 3.1])
        let body: (any InferenceEngine) async throws -> Int64 = { engine in
            guard let onnx = engine as? OnnxRuntimeEngine else { throw CancellationError() }
            return try await onnx.run(["float_input": rows])["label"]?.tensor?.int64s?.first ?? -1
        }
        if let version { return try await registry.withModel(name, version: version, body) }
        return try await registry.withModel(name, body)
    }
}
