import ExampleSupport
import Foundation
import ModelRegistry
import Testing

@Suite(.timeLimit(.minutes(2))) struct SHA256Tests {
    /// Digests published with FIPS 180-2 / NIST's examples and in RFC 6234.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func hash_knownVector_matchesPublishedDigest(message: String, digest: String) {
        #expect(SHA256.hex(SHA256.hash(Array(message.utf8))) == digest)
    }

    @Test func hash_millionAs_fedInUnevenPieces_matchesPublishedDigest() {
        var hasher = SHA256()
        var left = 1_000_000
        var size = 1
        while left > 0 {
            let piece = min(size, left)
            hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: piece))
            left -= piece
            size = size % 997 + 13  // 1, 14, 27, …: crosses block boundaries at every offset
        }
        #expect(SHA256.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(arguments: [55, 56, 63, 64, 65, 119, 120, 128])
    func hash_lengthsAroundThePaddingBoundary_matchSha256sum(length: Int) async throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        try await HashedFile.with(bytes) { file in
            let expected = try await Self.sha256sum(file)
            #expect(SHA256.hex(SHA256.hash(bytes)) == expected)
        }
    }

    @Test func hashFile_largeFile_matchesSha256sum_andIncrementalFeeding() async throws {
        let bytes = (0..<3_000_017).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        try await HashedFile.with(bytes) { file in
            let expected = try await Self.sha256sum(file)
            #expect(SHA256.hex(try SHA256.hash(fileAt: file)) == expected)
            var hasher = SHA256()
            var start = 0
            for size in [1, 63, 64, 65, 4096, 100_000] where start < bytes.count {
                hasher.update(Array(bytes[start..<min(start + size, bytes.count)]))
                start += size
            }
            hasher.update(Array(bytes[min(start, bytes.count)...]))
            #expect(SHA256.hex(hasher.finalize()) == expected)
        }
    }

    @Test func hex_bytes_areLowercasePairs() {
        #expect(SHA256.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }

    /// The digest `sha256sum` (coreutils) prints for a file.
    static func sha256sum(_ file: URL) async throws -> String {
        let run = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["sha256sum", file.path])
        try #require(run.succeeded, "sha256sum failed: \(run.stderr)")
        return String(run.stdout.prefix(64))
    }
}

/// A temporary file for the hashing tests.
enum HashedFile {
    /// Writes `bytes` to a temporary file, runs `body` with it, and removes it.
    static func with(_ bytes: [UInt8], _ body: (URL) async throws -> Void) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sha256-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try await body(file)
    }
}
