import Foundation
import ModelRegistry
import Testing

@Suite(.timeLimit(.minutes(2))) struct CatalogFileTests {
    @Test(arguments: [
        "{ not json", #"{"formatVersion": 1, "versions": [{"name": "iris"}]}"#,
        #"{"formatVersion": 99, "versions": []}"#, "",
    ])
    func open_corruptFile_throwsCorruptCatalogAndLeavesBytesUntouched(contents: String) throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bytes = Data(contents.utf8)
        try bytes.write(to: file)
        let error = #expect(throws: RegistryError.self) { try ModelCatalog(fileURL: file) }
        guard case .corruptCatalog(let path, let reason)? = error else {
            Issue.record("expected corruptCatalog, got \(String(describing: error))")
            return
        }
        #expect(path == file.path)
        #expect(!reason.isEmpty)
        #expect(try Data(contentsOf: file) == bytes)
    }

    @Test func register_afterFileCorrupted_throwsCorruptCatalogAndWritesNothing() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        try catalog.register(CatalogFixtures.version("iris", "1.0.0"))
        var bytes = try Data(contentsOf: file)
        bytes.removeLast(bytes.count / 2)
        try bytes.write(to: file)

        let error = #expect(throws: RegistryError.self) {
            try catalog.register(CatalogFixtures.version("iris", "2.0.0"))
        }
        guard case .corruptCatalog? = error else {
            Issue.record("expected corruptCatalog, got \(String(describing: error))")
            return
        }
        #expect(try Data(contentsOf: file) == bytes)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(leftovers == ["catalog.json", "catalog.json.lock"])
    }

    @Test func open_missingDirectory_throwsFileSystemError() throws {
        let (directory, _) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("absent/catalog.json")
        let error = #expect(throws: RegistryError.self) { try ModelCatalog(fileURL: file) }
        guard case .fileSystem(let path, _, let reason)? = error else {
            Issue.record("expected fileSystem, got \(String(describing: error))")
            return
        }
        #expect(path == file.path + ".lock")
        #expect(reason.contains("No such file or directory"))
    }

    @Test func write_replacesFileAtomically_noTemporaryFilesRemain() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        for minor in 0..<5 {
            try catalog.register(CatalogFixtures.version("iris", try SemanticVersion(major: 1, minor: minor, patch: 0)))
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == ["catalog.json", "catalog.json.lock"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
        #expect(json?["formatVersion"] as? Int == 1)
        #expect((json?["versions"] as? [Any])?.count == 5)
    }

    @Test func configuration_fromFormatAndHints_picksEngineAndType() throws {
        var onnx = CatalogFixtures.version("iris", "1.0.0", format: .onnx)
        let onnxConfig = try onnx.configuration()
        #expect(onnxConfig.name == "iris" && onnxConfig.engine == .onnxruntime && onnxConfig.modelType == .tensor)
        #expect(onnxConfig.path == onnx.path)
        onnx.modelType = .classifier
        let renamed = try onnx.configuration(name: "iris-prod")
        #expect(renamed.name == "iris-prod" && renamed.pair == EnginePair(engine: .onnxruntime, modelType: .classifier))

        var gguf = CatalogFixtures.version("llama", "1.0.0", format: .gguf)
        gguf.metadata.contextLength = 512
        let ggufConfig = try gguf.configuration()
        #expect(ggufConfig.pair == EnginePair(engine: .llamacpp, modelType: .llm) && ggufConfig.contextLength == 512)
        #expect(try gguf.configuration(engine: "custom", modelType: .embedding).pair.description == "custom/embedding")

        let other = CatalogFixtures.version("blob", "1.0.0", format: .other)
        #expect(throws: RegistryError.self) { try other.configuration() }
        #expect(try other.configuration(engine: .onnxruntime, modelType: .tensor).engine == .onnxruntime)
    }
}
