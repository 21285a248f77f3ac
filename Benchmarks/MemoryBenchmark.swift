import Foundation
import ModelRegistry
import ModelRegistryEngines

/// Resident memory before and after many load/unload cycles of real models through the registry: a leak in an
/// engine or the registry shows as growth proportional to the cycles.
struct MemoryBenchmark {
    let models: [(label: String, configuration: ModelConfiguration)]
    let cycles: Int

    func run() async throws -> [Measurement] {
        var results: [Measurement] = []
        for (label, configuration) in models {
            Progress.say("memory: \(cycles) load/unload cycles of \(label)")
            let registry = ModelRegistry(factory: .builtIn, models: [configuration])
            _ = try await registry.load(configuration.name)  // one warm-up cycle: one-time native set-up
            try await registry.unload(configuration.name)
            let before = Statistics.residentBytes()
            for _ in 0..<cycles {
                _ = try await registry.load(configuration.name)
                try await registry.unload(configuration.name)
            }
            let after = Statistics.residentBytes()
            await registry.shutdown()
            let mebibytes = { (bytes: Int) in Double(bytes) / 1_048_576 }
            results += [
                Measurement("memory", "\(label): RSS before (after 1 warm-up cycle)", value: mebibytes(before),
                            unit: "MiB"),
                Measurement("memory", "\(label): RSS after \(cycles) load/unload cycles", value: mebibytes(after),
                            unit: "MiB"),
                Measurement("memory", "\(label): difference", value: mebibytes(after - before), unit: "MiB",
                            higherIsBetter: false),
            ]
        }
        return results
    }
}
