import Foundation
import ModelRegistry
import ModelRegistryEngines

/// The registry's own costs, on the real ONNX engine serving logreg_iris.onnx: leases on a loaded model, a stampede
/// of gets on an unloaded one (single-flight loading), and event fan-out.
struct RegistryBenchmark {
    let model: URL
    let runs: Int
    /// Leases taken per lookup run.
    let lookups: Int
    /// Events published in the fan-out run.
    let events: Int

    private var configuration: ModelConfiguration {
        ModelConfiguration(name: "iris", engine: .onnxruntime, modelType: .classifier, path: model.path, threads: 1)
    }

    func run() async throws -> [Measurement] {
        Progress.say("registry: lookups, 1,000 concurrent gets, event fan-out; \(runs) runs each")
        var results = try await lookupThroughput()
        results += try await concurrentGets()
        results += try await fanOut()
        return results
    }

    /// `withModel` on a loaded model (the lease fast path, no actor hop): one task in a loop, and 8 tasks at once,
    /// each compared with what a lease cost when it went through the actor (a hop in to lease, a hop in to release:
    /// two actor calls), runs alternating; one task on a model with an idle keep-alive, whose lease ends the fast
    /// path records for the countdown; and `get` + `release`, which take the fast path too.
    private func lookupThroughput() async throws -> [Measurement] {
        let registry = ModelRegistry(factory: .builtIn, models: [configuration])
        _ = try await registry.load("iris")
        var idleConfiguration = configuration
        idleConfiguration.keepAlive = .idle(.seconds(300))
        let idleRegistry = ModelRegistry(factory: .builtIn, models: [idleConfiguration])
        _ = try await idleRegistry.load("iris")
        let perTask = lookups / 8
        func rate(tasks: Int, _ call: LeaseCall) async throws -> Double {
            let calls = tasks == 1 ? lookups : perTask
            let seconds = try await Statistics.time {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<tasks { group.addTask { try await call.repeated(calls) } }
                    try await group.waitForAll()
                }
            }
            return Double(calls * tasks) / seconds
        }
        let fast = LeaseCall.withModel(registry)
        let actor = LeaseCall.twoActorCalls(registry)
        let lease = LeaseCall.getAndRelease(registry)
        let idle = LeaseCall.withModel(idleRegistry)
        var (single, singleActor, concurrent, concurrentActor) = ([Double](), [Double](), [Double](), [Double]())
        var (singleIdle, singleLease) = ([Double](), [Double]())
        for _ in 0..<runs {
            single.append(try await rate(tasks: 1, fast))
            singleIdle.append(try await rate(tasks: 1, idle))
            singleLease.append(try await rate(tasks: 1, lease))
            singleActor.append(try await rate(tasks: 1, actor))
            concurrent.append(try await rate(tasks: 8, fast))
            concurrentActor.append(try await rate(tasks: 8, actor))
        }
        await registry.shutdown()
        await idleRegistry.shutdown()
        return [
            Measurement("registry", "withModel on a loaded model, 1 task", runs: single, unit: "lookups/s",
                        higherIsBetter: true, comparison: ("2 actor hops", singleActor)),
            Measurement("registry", "withModel on a loaded model, 8 tasks", runs: concurrent, unit: "lookups/s",
                        higherIsBetter: true, comparison: ("2 actor hops", concurrentActor)),
            Measurement("registry", "withModel, model with a 300 s keep-alive, 1 task", runs: singleIdle,
                        unit: "lookups/s", higherIsBetter: true, comparison: ("2 actor hops", singleActor)),
            Measurement("registry", "get + release on a loaded model, 1 task", runs: singleLease, unit: "lookups/s",
                        higherIsBetter: true, comparison: ("2 actor hops", singleActor)),
        ]
    }

    /// 1,000 tasks call `get` on an unloaded model at once; all must share one engine load.
    private func concurrentGets() async throws -> [Measurement] {
        var times: [Double] = []
        var loads: [Double] = []
        for _ in 0..<runs {
            let registry = ModelRegistry(factory: .builtIn, models: [configuration])
            let stream = registry.events(bufferingPolicy: .unbounded)
            let loadedEvents = Task {
                await stream.reduce(0) { count, event in if case .loaded = event.kind { count + 1 } else { count } }
            }
            var leases: [ModelLease] = []
            let seconds = try await Statistics.time {
                leases = try await withThrowingTaskGroup(of: ModelLease.self) { group in
                    for _ in 0..<1_000 { group.addTask { try await registry.get("iris") } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            for lease in leases { await lease.release() }
            times.append(seconds * 1000)
            await registry.shutdown()
            loads.append(Double(await loadedEvents.value))
        }
        if loads.contains(where: { $0 != 1 }) { Progress.say("WARNING: engine loads per run were \(loads), not 1") }
        return [
            Measurement("registry", "1,000 concurrent gets of an unloaded model (load included)", runs: times,
                        unit: "ms", higherIsBetter: false),
            Measurement("registry", "engine loads for those 1,000 gets (loaded events)", value: loads.max() ?? 0,
                        unit: "loads", runs: loads),
        ]
    }

    /// 100 subscribers with `.unbounded` buffers; `events` registry events published (register/unregister pairs).
    private func fanOut() async throws -> [Measurement] {
        let subscribers = 100
        var rates: [Double] = []
        var lost: [Double] = []
        for _ in 0..<runs {
            let registry = ModelRegistry(factory: .builtIn)
            let streams = (0..<subscribers).map { _ in registry.events(bufferingPolicy: .unbounded) }
            let target = events / 2 * 2
            let seconds = try await Statistics.time {
                let counters = streams.map { stream in
                    Task {
                        var count = 0
                        for await _ in stream {
                            count += 1
                            if count == target { break }
                        }
                        return count
                    }
                }
                var model = configuration
                model.name = "fanout"
                for _ in 0..<(target / 2) {  // two events each
                    try await registry.register(model)
                    try await registry.unregister(model.name)
                }
                await registry.shutdown()  // ends the streams: a subscriber that missed events stops there
                var received = 0
                for counter in counters { received += await counter.value }
                lost.append(Double(subscribers * target - received))
            }
            rates.append(Double(target) / seconds)
        }
        return [
            Measurement("registry", "events to \(subscribers) subscribers (.unbounded), each event to all", runs: rates,
                        unit: "events/s", higherIsBetter: true,
                        note: "multiply by \(subscribers) for deliveries/s"),
            Measurement(
                "registry", "events lost over those runs", value: lost.reduce(0, +), unit: "events", runs: lost),
        ]
    }
}

/// One way to lease iris, called in a loop by the lookup benchmark. Each case has its own loop, so the figure is what
/// the calls cost, as a caller's loop pays it, without a call through a type-erased closure per iteration (that call
/// added about a tenth to a fast `withModel`, and was counted against ours and the reference alike).
private enum LeaseCall: Sendable {
    /// `withModel` with an empty body.
    case withModel(ModelRegistry)
    /// `get`, then `release`.
    case getAndRelease(ModelRegistry)
    /// Two bare actor calls: the least a lease through the actor costs (a hop in to lease, a hop in to release).
    case twoActorCalls(ModelRegistry)

    func repeated(_ count: Int) async throws {
        switch self {
        case .withModel(let registry):
            for _ in 0..<count { try await registry.withModel("iris") { _ in } }
        case .getAndRelease(let registry):
            for _ in 0..<count { try await registry.get("iris").release() }
        case .twoActorCalls(let registry):
            for _ in 0..<count {
                guard await registry.isLoaded("iris"), await registry.isLoaded("iris") else { throw CancellationError() }
            }
        }
    }
}
