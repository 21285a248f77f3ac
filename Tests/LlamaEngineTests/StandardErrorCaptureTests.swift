import Foundation
@testable import LlamaEngine
import Testing

/// The capture of libllama's stderr output on the real file descriptor 2: output larger than a pipe holds must not
/// block the writer, and fd 2 must point where it pointed before. Serialized, so that no test of the suite looks at
/// fd 2 while another one has it pointing into the capture's pipe.
@Suite(.serialized, .timeLimit(.minutes(3))) struct StandardErrorCaptureTests {
    /// The device and inode fd 2 points to, so that tests can see it is restored; read while no capture of
    /// another suite (a bad grammar in `SamplingOptionTests`) can have fd 2 pointing into its pipe.
    static func standardErrorIdentity() -> (device: UInt64, inode: UInt64) {
        var info = stat()
        let status = StandardErrorCapture.whileNotCapturing { fstat(STDERR_FILENO, &info) }
        #expect(status == 0)
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// Writes `text` to fd 2.
    /// - Returns: Whether `write` took all of it.
    static func writeToStandardError(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return write(STDERR_FILENO, bytes, bytes.count) == bytes.count
    }

    @Test func outputLargerThanAPipeHolds_doesNotBlock_keepsTheFirst64KiB_andRestoresStandardError() throws {
        let before = Self.standardErrorIdentity()
        let line = Array("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n".utf8)  // 64 bytes
        let output = StandardErrorCapture.capture {
            for _ in 0..<(1 << 14) {  // 1 MiB, sixteen times what a Linux pipe holds
                _ = write(STDERR_FILENO, line, line.count)
            }
        }
        let captured = try #require(output)
        #expect(captured.utf8.count == StandardErrorCapture.limit)
        #expect(captured.contains(String(decoding: line, as: UTF8.self)))
        let after = Self.standardErrorIdentity()
        #expect(after.device == before.device && after.inode == before.inode)
        #expect(Self.writeToStandardError("StandardErrorCaptureTests: stderr works after the capture\n"))
    }

    @Test func secondCapture_afterALargeOne_returnsItsOwnOutput() {
        let large = [UInt8](repeating: UInt8(ascii: "x"), count: 200_000)
        _ = StandardErrorCapture.capture { _ = write(STDERR_FILENO, large, large.count) }
        let output = StandardErrorCapture.capture { _ = Self.writeToStandardError("second capture\n") }
        #expect(output?.contains("second capture\n") == true)  // other threads' stderr output may be there too
    }

    @Test func malformedGrammarOf200KB_throwsTheGrammarError_twice_andLeavesStandardErrorRestored() async throws {
        // libllama's parser writes the whole grammar to stderr after its message: far more than a pipe holds.
        let rules = (0..<8000).map { "rule\($0) ::= \"a\" [b-z]* \"c\"\n" }.joined()
        let grammar = rules + "root ::= (\"a\" | "
        #expect(grammar.utf8.count > 200_000)
        let before = Self.standardErrorIdentity()
        let engine = try await LlamaFixtures.engine()
        for _ in 0..<2 {  // the second one finds the capture's lock free
            let error = try await #require(throws: LlamaError.self) {
                for try await _ in engine.generate(prompt: "the", options: .init(grammar: grammar)) {}
            }
            guard case .invalidGrammar(_, let reason) = error else { Issue.record("unexpected \(error)"); return }
            #expect(reason.contains("expecting"), "\(reason)")
            #expect(reason.count <= LlamaSession.grammarProblemLength + 1)
        }
        let after = Self.standardErrorIdentity()
        #expect(after.device == before.device && after.inode == before.inode)
        #expect(Self.writeToStandardError("StandardErrorCaptureTests: stderr works after the grammar errors\n"))
        let result = try await engine.complete(prompt: "the cat", options: .init(maxTokens: 2))
        #expect(result.tokens.count == 2)
        await engine.unload()
    }
}
