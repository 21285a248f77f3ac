import Foundation
import ModelRegistry
import ModelRegistryEngines
import OnnxRuntimeEngine

/// The example's steps: get a configuration file, build the registry from it, follow its events, load the model,
/// classify, unload, and show the events.
struct IrisDemo {
    /// A configuration file to read; when `nil` one is written to a temporary folder.
    let configFile: URL?
    /// The model file to put in the written configuration.
    let modelFile: URL
    /// The rows to classify.
    let rows: [IrisRow]

    func run() async throws {
        let configuration = try loadConfiguration()
        let registry = try ModelRegistry(factory: .builtIn, configuration: configuration)
        let name = (try? await registry.defaultModel()) ?? configuration.models[0].name

        // Subscribe before anything happens; `.unbounded` so that no event is dropped.
        let events = registry.events(bufferingPolicy: .unbounded)
        let collector = Task { await events.reduce(into: [RegistryEvent]()) { $0.append($1) } }

        let record = try await registry.load(name)
        let memory = record.memoryBytes.map { ", \($0) bytes" } ?? ""
        print("loaded \(name) (\(record.engine)/\(record.modelType)) in \(milliseconds(record.loadDuration))\(memory)")

        let predictions: [IrisPrediction]
        do {
            predictions = try await registry.withModel(name, as: OnnxRuntimeEngine.self) { engine in
                print("input \(engine.inputs.map(\.description).joined(separator: ", ")); "
                    + "output \(engine.outputs.map(\.description).joined(separator: ", "))")
                return try await IrisClassifier(engine: engine).classify(rows)
            }
        } catch {
            await registry.shutdown()  // unloads the model before the error is reported
            throw error
        }
        for prediction in predictions { print(prediction.line) }

        try await registry.unload(name)
        await registry.shutdown()  // ends the event stream, so the collector finishes
        print("events:")
        for event in await collector.value { print("  \(event)") }
    }

    /// Reads the configuration file, or writes one for the model file and reads it back.
    private func loadConfiguration() throws -> RegistryConfiguration {
        if let configFile {
            print("config: \(configFile.path)")
            return try RegistryConfiguration.load(contentsOf: configFile)
        }
        let iris = ModelConfiguration(
            name: "iris", engine: .onnxruntime, modelType: .classifier, path: modelFile.path, threads: 1)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iris-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("models.json")
        let data = try RegistryConfiguration(models: [iris], defaultModel: "iris").encoded()
        try data.write(to: file)
        print("wrote config: \(file.path)")
        print(String(decoding: data, as: UTF8.self))
        return try RegistryConfiguration.load(contentsOf: file)
    }

    private func milliseconds(_ duration: Duration?) -> String {
        guard let duration else { return "?" }
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f ms", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }
}
