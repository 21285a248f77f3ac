import Foundation
import LlamaEngine
import ModelRegistryTestSupport
import Testing

@Suite struct GGUFValidatorTests {
    @Test func fixture_summaryMatchesTheFile() async throws {
        let summary = try GGUFValidator().validate(path: LlamaFixtures.tinyLLM.path)
        #expect(summary.version == 3)
        #expect(summary.architecture == "llama")
        #expect(summary.vocabularySize == (try await LlamaFixtures.vocabularySize(of: LlamaFixtures.tinyLLM)))
        #expect(summary.dataOffset + summary.dataSize <= summary.fileSize)
        #expect(summary.tensorCount == 3 + 9 * (try await LlamaFixtures.metadataInteger("llama.block_count", in: LlamaFixtures.tinyLLM)))
    }

    @Test func hugeDeclaredCounts_refusedWithoutAllocating() throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("counts.gguf")
        var bytes = Array("GGUF".utf8) + [3, 0, 0, 0]
        bytes += [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]  // tensor count
        bytes += [1, 0, 0, 0, 0, 0, 0, 0]  // metadata count
        try Data(bytes).write(to: url)
        #expect(throws: GGUFValidationError.self) { try GGUFValidator().validate(path: url.path) }
    }

    @Test func hugeStringLength_refusedAsCorrupt() throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("string.gguf")
        var bytes = Array("GGUF".utf8) + [3, 0, 0, 0]
        bytes += [0, 0, 0, 0, 0, 0, 0, 0] + [1, 0, 0, 0, 0, 0, 0, 0]  // no tensors, one pair
        bytes += [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]  // key length 4 GiB
        try Data(bytes).write(to: url)
        let error = try #require(throws: GGUFValidationError.self) { try GGUFValidator().validate(path: url.path) }
        guard case .malformed = error else { Issue.record("unexpected \(error)"); return }
    }

    @Test func unsupportedVersion_refused() throws {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("v1.gguf")
        try Data(Array("GGUF".utf8) + [1, 0, 0, 0] + Array(repeating: 0, count: 16)).write(to: url)
        let error = try #require(throws: GGUFValidationError.self) { try GGUFValidator().validate(path: url.path) }
        #expect(error == .unsupportedVersion(path: url.path, version: 1))
    }
}
