import Foundation
import ModelRegistryTestSupport
import Testing

@testable import ModelRegistry

@Suite(.timeLimit(.minutes(2)))
struct DiscoveryHeaderTests {
    @Test func parse_pythonWrittenFile_readsTheValuesItWasGiven() async throws {
        let bytes = try await Self.ggufBytes(architecture: "gpt2", contextLength: 1024, fileType: 15)
        let header = try GGUFHeader(parsing: bytes)
        #expect(header.version == 3)
        #expect(header.architecture == "gpt2")
        #expect(header.contextLength == 1024)
        #expect(header.quantization == "Q4_K_M")  // LLAMA_FTYPE_MOSTLY_Q4_K_M = 15 in llama.h
    }

    /// Every truncation of a real file either fails the magic/fixed-header check or parses without crashing,
    /// keeping the values that lie within the prefix.
    @Test func parse_everyTruncatedPrefix_neverReadsPastTheEnd() async throws {
        let bytes = try await Self.ggufBytes(architecture: "llama", contextLength: 64, fileType: 0)
        var parsedWithArchitecture = 0
        for length in 0...bytes.count {
            let prefix = Array(bytes.prefix(length))
            if let header = try? GGUFHeader(parsing: prefix) {
                #expect(length >= 24)
                #expect(header.architecture == nil || header.architecture == "llama")
                if header.architecture != nil { parsedWithArchitecture += 1 }
            } else {
                #expect(length < 24)
            }
        }
        #expect(parsedWithArchitecture > 0)
    }

    /// Arrays of arrays nested as deep as the 1 MiB prefix allows (about 87,000 levels): the walk stops at the
    /// nested array, keeping what came before, instead of recursing until the stack overflows. Run in a child
    /// process (an exit test), so that a stack overflow shows as a failed exit rather than ending the test run.
    @Test func parse_arraysNestedDeeplyInThePrefix_stopAtTheNestingWithoutOverflowingTheStack() async {
        await #expect(processExitsWith: .success) {
            var bytes = Array("GGUF".utf8) + [3, 0, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 0] + [2, 0, 0, 0, 0, 0, 0, 0]
            bytes += [20, 0, 0, 0, 0, 0, 0, 0] + Array("general.architecture".utf8) + [8, 0, 0, 0]
            bytes += [5, 0, 0, 0, 0, 0, 0, 0] + Array("llama".utf8)
            bytes += [4, 0, 0, 0, 0, 0, 0, 0] + Array("deep".utf8) + [9, 0, 0, 0]  // an array…
            let level: [UInt8] = [9, 0, 0, 0] + [1, 0, 0, 0, 0, 0, 0, 0]  // …of one array, of one array, …
            while bytes.count + level.count <= GGUFHeader.prefixLength { bytes += level }
            let header = try GGUFHeader(parsing: bytes)
            guard header.architecture == "llama" else { exit(2) }
        }
    }

    @Test func parse_wrongMagic_throwsInvalidNamingTheMagic() {
        let bytes = Array("GGML00000000000000000000".utf8)
        let error = #expect(throws: GGUFHeader.Invalid.self) { try GGUFHeader(parsing: bytes) }
        #expect(error?.reason.contains("magic \"GGUF\"") == true)
    }

    @Test func catalogDates_writtenTwice_keepTheSameText() throws {
        let dates = [Date(), Date(timeIntervalSince1970: 1_700_000_000.123_456), Date(timeIntervalSince1970: -0.5)]
        for date in dates {
            let text = CatalogCoding.format(date)
            let reread = try #require(CatalogCoding.parse(text))
            #expect(CatalogCoding.format(reread) == text)
            #expect(abs(reread.timeIntervalSince(date)) <= 0.0005)
        }
        #expect(CatalogCoding.format(Date(timeIntervalSince1970: 0.25)) == "1970-01-01T00:00:00.250Z")
        #expect(CatalogCoding.parse("1970-01-01T00:00:01Z") == Date(timeIntervalSince1970: 1))
        #expect(CatalogCoding.parse("yesterday") == nil)
    }

    /// A GGUF file written by the `gguf` Python package, as bytes.
    private static func ggufBytes(architecture: String, contextLength: Int, fileType: Int) async throws -> [UInt8] {
        let directory = try NativeFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("model.gguf")
        try await DiscoveryFixtures.writeGGUF(
            to: file, architecture: architecture, contextLength: contextLength, fileType: fileType)
        return Array(try Data(contentsOf: file))
    }
}
