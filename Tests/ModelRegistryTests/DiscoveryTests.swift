import Foundation
import ModelRegistry
import ModelRegistryTestSupport
import Testing

@Suite(.timeLimit(.minutes(2)))
struct DiscoveryTests {
    @Test func scan_mixedDirectory_registersModelsAndReportsUnreadableEntries() async throws {
        let layout = try await DiscoveryFixtures.makeModelsDirectory()
        defer { try? FileManager.default.removeItem(at: layout.workspace) }
        let catalog = try ModelCatalog(fileURL: layout.catalogFile)

        let stats = try ModelDiscovery(catalog: catalog).scan(layout.root)

        #expect(stats.scanned == layout.entryCount)
        #expect(stats.found == layout.models.count)
        #expect(stats.added == layout.models.count)
        #expect(stats.updated == 0 && stats.unchanged == 0)
        #expect(Set(stats.errors.keys) == layout.failing)
        let reason = { (entry: String) in stats.errors[layout.root.appendingPathComponent(entry).path] ?? "" }
        #expect(reason("two").contains("a.onnx, b.onnx"))
        #expect(reason("dangling.onnx").contains("dangling symbolic link to /nonexistent/model.onnx"))
        #expect(reason("fake.gguf").contains("not a GGUF file"))

        let versions = try catalog.list()
        #expect(Dictionary(uniqueKeysWithValues: versions.map { ($0.name, $0.path) }) == layout.models)
        #expect(versions.allSatisfy { $0.version == "1.0.0" && $0.stage == .development })
        for version in versions {
            let size = try FileManager.default.attributesOfItem(atPath: version.path)[.size] as? Int
            #expect(version.metadata.sizeBytes == size.map(Int64.init))
        }
    }

    @Test func scan_ggufFile_readsHeaderValues() async throws {
        let layout = try await DiscoveryFixtures.makeModelsDirectory()
        defer { try? FileManager.default.removeItem(at: layout.workspace) }
        let catalog = try ModelCatalog(fileURL: layout.catalogFile)
        try ModelDiscovery(catalog: catalog).scan(layout.root)

        let tiny = try catalog.version(name: "tiny", version: "1.0.0")
        #expect(tiny.format == .gguf)
        // The values the Python writer was given: architecture llama, context 256, file type 1 (F16 in llama.h).
        #expect(tiny.metadata.architecture == "llama")
        #expect(tiny.metadata.contextLength == 256)
        #expect(tiny.metadata.quantization == "F16")
        let config = try tiny.configuration()
        #expect(config.pair == EnginePair(engine: .llamacpp, modelType: .llm) && config.contextLength == 256)
        #expect(try catalog.version(name: "logreg_iris", version: "1.0.0").configuration().engine == .onnxruntime)
    }

    @Test func rescan_unchangedDirectory_addsNothing() async throws {
        let layout = try await DiscoveryFixtures.makeModelsDirectory()
        defer { try? FileManager.default.removeItem(at: layout.workspace) }
        let catalog = try ModelCatalog(fileURL: layout.catalogFile)
        let discovery = ModelDiscovery(catalog: catalog)
        try discovery.scan(layout.root)
        let before = try catalog.list()

        let stats = try discovery.scan(layout.root)
        #expect(stats.added == 0 && stats.updated == 0)
        #expect(stats.unchanged == layout.models.count)
        #expect(Set(stats.errors.keys) == layout.failing)
        #expect(try catalog.list() == before)
    }

    @Test func rescan_changedFile_registersNextPatchAndKeepsOldVersions() async throws {
        let layout = try await DiscoveryFixtures.makeModelsDirectory()
        defer { try? FileManager.default.removeItem(at: layout.workspace) }
        let catalog = try ModelCatalog(fileURL: layout.catalogFile)
        let discovery = ModelDiscovery(catalog: catalog)
        try discovery.scan(layout.root)
        try catalog.promote(name: "tiny", version: "1.0.0")

        // Rewrite the GGUF file with a longer context: a new size and modification time.
        try await DiscoveryFixtures.writeGGUF(
            to: URL(fileURLWithPath: layout.models["tiny"]!), architecture: "llama", contextLength: 4096, fileType: 0)
        let stats = try discovery.scan(layout.root)

        #expect(stats.added == 0 && stats.updated == 1 && stats.unchanged == layout.models.count - 1)
        let tiny = try catalog.list(name: "tiny")
        #expect(tiny.map(\.version) == ["1.0.0", "1.0.1"])
        #expect(tiny.map(\.stage) == [.production, .development])
        #expect(tiny[1].metadata.contextLength == 4096 && tiny[1].metadata.quantization == "F32")
        #expect(try discovery.scan(layout.root).updated == 0)
    }

    @Test func scan_missingDirectory_throwsFileSystemError() throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("nope")
        let error = #expect(throws: RegistryError.self) {
            try ModelDiscovery(catalog: ModelCatalog(fileURL: file)).scan(missing)
        }
        guard case .fileSystem(let path, _, _)? = error else {
            Issue.record("expected fileSystem, got \(String(describing: error))")
            return
        }
        #expect(path == missing.path)
    }

    @Test func cli_scanAndPromote_workThroughTheTool() async throws {
        let layout = try await DiscoveryFixtures.makeModelsDirectory()
        defer { try? FileManager.default.removeItem(at: layout.workspace) }
        let file = layout.catalogFile
        let tool = try CatalogFixtures.toolURL()

        #expect(try await CatalogFixtures.run(tool, [file.path, "scan", layout.root.path]).status == 0)
        #expect(try await CatalogFixtures.run(tool, [file.path, "promote", "sigmoid", "1.0.0"]).status == 0)
        let missing = try await CatalogFixtures.run(tool, [file.path, "production", "logreg_iris"])
        #expect(missing.status == 1 && missing.stderr.contains("no production version of logreg_iris"))
        let usage = try await CatalogFixtures.run(tool, [file.path, "promote", "sigmoid"])
        #expect(usage.status == 2)

        #expect(try ModelCatalog(fileURL: file).production(of: "sigmoid").path == layout.models["sigmoid"])
    }
}
