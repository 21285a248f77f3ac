import Foundation
import ModelRegistry
import Testing

/// Child output read to its end on threads of their own (`PipeReading`): nothing lost, and both pipes drained at
/// once, so a child that fills one pipe's buffer while the parent reads the other does not deadlock.
@Suite(.timeLimit(.minutes(2))) struct PipeReadingTests {
    private static let shell = URL(fileURLWithPath: "/bin/sh")

    @Test func bothPipesPastTheirBuffers_areReadWhole() async throws {
        // 1 MiB to each pipe, interleaved, far past the 64 KiB a pipe buffers.
        let script = "i=0; while [ $i -lt 16 ]; do head -c 65536 /dev/zero | tr '\\0' o; "
            + "head -c 65536 /dev/zero | tr '\\0' e >&2; i=$((i+1)); done"
        let outcome = try await ChildProcess.run(Self.shell, ["-c", script])
        #expect(outcome.succeeded)
        #expect(outcome.stdout.utf8.count == 1 << 20 && outcome.stdout.utf8.allSatisfy { $0 == UInt8(ascii: "o") })
        #expect(outcome.stderr.utf8.count == 1 << 20 && outcome.stderr.utf8.allSatisfy { $0 == UInt8(ascii: "e") })
    }

    @Test func outputInPieces_arrivesWholeAndInOrder_untilTheWriterCloses() async throws {
        let pipe = Pipe()
        let chunks = PipeReading.chunks(of: pipe.fileHandleForReading)
        let writer = pipe.fileHandleForWriting
        for line in ["one\n", "two\n", "three\n"] { try writer.write(contentsOf: Data(line.utf8)) }
        try writer.close()
        var text = Data()
        for await chunk in chunks { text.append(chunk) }
        #expect(String(decoding: text, as: UTF8.self) == "one\ntwo\nthree\n")
    }
}
