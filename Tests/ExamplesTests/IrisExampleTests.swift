import Foundation
import ModelRegistryTestSupport
import Testing

/// The `iris` example: config file, load through the registry, classification, unload, events.
@Suite struct IrisExampleTests {
    /// A printed prediction: features, label, and each class's probability.
    private struct Prediction {
        var features: String
        var label: Int
        var probabilities: [Int: Double]
    }

    private func predictions(in output: String) throws -> [Prediction] {
        let pattern = #/^(\S+)\s+→ label (\d+).*probabilities \[(.*)\]$/#
        return try output.split(separator: "\n").compactMap { line in
            guard let match = line.wholeMatch(of: pattern) else { return nil }
            var probabilities: [Int: Double] = [:]
            for pair in match.3.split(separator: ", ") {
                let parts = pair.split(separator: ": ")
                let key = try #require(Int(String(parts[0])))
                let value = try #require(Double(String(parts[1])))
                probabilities[key] = value
            }
            let label = try #require(Int(String(match.2)))
            return Prediction(features: String(match.1), label: label, probabilities: probabilities)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func iris_twoRows_printsTwoLabeledLinesAndTheLifecycleEventsInOrder() async throws {
        let run = try await ExampleProcess.run("iris", ["5.1,3.5", "6.7,3.0"])
        #expect(run.status == 0, "stderr: \(run.stderr)")

        let predictions = try predictions(in: run.stdout)
        #expect(predictions.map(\.features) == ["5.1,3.5", "6.7,3.0"])
        for prediction in predictions {
            #expect(prediction.probabilities.count == 3)
            #expect(abs(prediction.probabilities.values.reduce(0, +) - 1) < 0.01)
            #expect(prediction.probabilities.max { $0.value < $1.value }?.key == prediction.label)
        }

        let events = try #require(run.stdout.components(separatedBy: "events:").last)
        let names = ["loadStarted", "loaded", "unloadStarted", "unloaded"]
        let positions = names.map { events.range(of: " iris \($0) ")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "events: \(events)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    }

    @Test(.timeLimit(.minutes(2)))
    func iris_configFile_servesItsDefaultModelOnTheDefaultRows() async throws {
        let folder = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("models.json")
        let json = """
            {"defaultModel": "flowers",
             "models": {"flowers": {"engine": "onnxruntime", "type": "classifier",
                                    "path": "\(NativeFixtures.model("logreg_iris.onnx").path)"}}}
            """
        try Data(json.utf8).write(to: config)

        let run = try await ExampleProcess.run("iris", ["--config", config.path])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("loaded flowers (onnxruntime/classifier)"))
        #expect(try predictions(in: run.stdout).count == 4)
        #expect(run.stdout.contains(" flowers unloaded "))
    }

    @Test(.timeLimit(.minutes(2)))
    func iris_rowOfWrongWidth_failsNamingTheRowAndTheWidth() async throws {
        let run = try await ExampleProcess.run("iris", ["5.1,3.5,1.4,0.2"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("row 5.1,3.5,1.4,0.2 has 4 values, but the model takes 2 per row"))
    }

    @Test(.timeLimit(.minutes(2)))
    func iris_malformedRow_isAUsageError() async throws {
        let run = try await ExampleProcess.run("iris", ["5.1;3.5"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("row \"5.1;3.5\" is not comma-separated numbers"))
    }
}
