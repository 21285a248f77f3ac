import Foundation
import ModelRegistry
import Testing

/// Writers in several processes and tasks at once must not lose each other's versions: every change is a
/// read-modify-write under an exclusive `flock` on the sidecar lock file.
@Suite(.timeLimit(.minutes(2))) struct CatalogConcurrencyTests {
    @Test func register_twoProcessesAndTasksAtOnce_keepsEveryVersion() async throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tool = try CatalogFixtures.toolURL()
        let perProcess = 25
        let perTask = 10
        let model = directory.appendingPathComponent("shared.onnx").path

        // Two process lanes: each runs `model-catalog register` 25 times in a row, with its own major number, while
        // two in-process catalogs (separate descriptors on the same lock file) register concurrently.
        let failures = try await withThrowingTaskGroup(of: [String].self) { group in
            for lane in 1...2 {
                group.addTask {
                    var failures: [String] = []
                    for patch in 0..<perProcess {
                        let arguments = [
                            file.path, "register", "shared", "\(lane).0.\(patch)", model, "--tag", "process",
                        ]
                        let (status, stderr) = try await CatalogFixtures.run(tool, arguments)
                        if status != 0 { failures.append("\(arguments): exit \(status): \(stderr)") }
                    }
                    return failures
                }
            }
            for lane in 3...4 {
                group.addTask {
                    let catalog = try ModelCatalog(fileURL: file)
                    for patch in 0..<perTask {
                        let version = try SemanticVersion(major: lane, minor: 0, patch: patch)
                        try catalog.register(ModelVersion(name: "shared", version: version, path: model, format: .onnx))
                    }
                    return []
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(failures.isEmpty)

        let versions = try ModelCatalog(fileURL: file).versions(of: "shared")
        var expected: [SemanticVersion] = []
        for lane in 1...4 {
            for patch in 0..<(lane <= 2 ? perProcess : perTask) {
                expected.append(try SemanticVersion(major: lane, minor: 0, patch: patch))
            }
        }
        #expect(versions.count == 2 * perProcess + 2 * perTask)
        #expect(versions == expected.sorted())
    }

    @Test func register_manyTasksSharingOneCatalog_keepsEveryVersion() async throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for patch in 0..<5 {
                        let version = try SemanticVersion(major: 1, minor: 0, patch: patch)
                        try catalog.register(CatalogFixtures.version("m\(task)", version))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try catalog.list().count == 40)
        #expect(try catalog.names() == (0..<8).map { "m\($0)" })
    }

    @Test func promote_concurrently_leavesExactlyOneProduction() async throws {
        let (directory, file) = try CatalogFixtures.catalogURL()
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try ModelCatalog(fileURL: file)
        let versions = try (0..<10).map { patch throws(RegistryError) in
            try SemanticVersion(major: 1, minor: 0, patch: patch)
        }
        for version in versions { try catalog.register(CatalogFixtures.version("iris", version)) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for version in versions {
                group.addTask { try ModelCatalog(fileURL: file).promote(name: "iris", version: version) }
            }
            try await group.waitForAll()
        }
        let stages = try catalog.list(name: "iris").map(\.stage)
        #expect(stages.filter { $0 == .production }.count == 1)
        #expect(stages.filter { $0 == .staging }.count == 9)
    }
}
