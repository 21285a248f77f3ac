import Foundation
import ModelRegistry
import ModelRegistryEngines
import ModelRegistryHTTP

/// The tour's steps: catalog, production version, workers, a burst of requests drained by an unload, the model
/// list and the statistics, then a version swap under requests.
struct RegistryTour {
    let model: URL
    let requests: Int
    let late: Int

    func run() async throws {
        print("== catalog")
        let catalog = try TourCatalog.make(model: model)

        print("\n== registry")
        let registry = ModelRegistry(factory: .builtIn)
        let configuration = try await registry.useProductionVersion(of: "iris", from: catalog) { configuration in
            configuration.maxWorkers = 2
            configuration.threads = 1
            configuration.warmUp = "zeros"
        }
        let production = try catalog.production(of: "iris")
        print("registered \(configuration.name) from \(production.id) (\(production.stage)), "
            + "\(configuration.engine)/\(configuration.modelType), \(configuration.maxWorkers) workers")

        let workers = WorkerRegistry(registry: registry)
        await workers.start()
        let record = try await registry.load(configuration.name)  // its workers exist once the load returns
        print("loaded \(record.name): state \(record.state), \(record.memoryBytes ?? 0) bytes")

        print("\n== \(requests) concurrent requests, then drainAndUnload")
        let burst = RequestBurst(registry: registry, workers: workers, name: configuration.name)
        let report = try await burst.run(count: requests, late: late)
        print("submitted \(report.submitted), completed \(report.completed), failed \(report.failedCount)")
        for (reason, count) in report.failed.sorted(by: { $0.key < $1.key }) { print("  failed \(count) × \(reason)") }
        let labels = report.labels.sorted { $0.key < $1.key }.map { "label \($0.key) × \($0.value)" }
        print("  predictions: \(labels.joined(separator: ", "))")
        let accounted = report.completed + report.failedCount
        print("accounted for: \(accounted) of \(report.submitted)\(accounted == report.submitted ? "" : " (MISSING)")")
        print("state after drainAndUnload: \(try await registry.state(of: configuration.name))")

        print("\n== GET /v1/models")
        print(String(decoding: try await registry.openAIModelList.jsonData(), as: UTF8.self))

        print("\n== statistics")
        let statistics = await registry.statistics
        let figures: [(String, String)] = [
            ("registered", "\(statistics.registered)"), ("loaded", "\(statistics.loaded)"),
            ("loading", "\(statistics.loading)"), ("failed", "\(statistics.failed)"),
            ("total loads", "\(statistics.totalLoads)"), ("total failures", "\(statistics.totalFailures)"),
            ("evictions", "\(statistics.evictions)"), ("active leases", "\(statistics.activeLeases)"),
            ("memory in use", "\(statistics.memoryInUse) bytes"), ("dropped events", "\(statistics.droppedEvents)"),
        ]
        for (label, value) in figures {
            print("  \(label.padding(toLength: 16, withPad: " ", startingAt: 0)) \(value)")
        }

        print("\n== a new version promoted while requests run")
        try await VersionSwapTour(registry: registry, catalog: catalog, name: configuration.name, model: model).run()

        await workers.stop()
        await registry.shutdown()
    }
}
