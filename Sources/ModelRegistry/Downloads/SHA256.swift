package import Foundation

/// SHA-256 (FIPS 180-4) in pure Swift, fed incrementally, so downloads can be checked as their bytes arrive on
/// platforms without CryptoKit and without a package dependency on swift-crypto.
///
/// ```swift
/// var hasher = SHA256()
/// hasher.update(Array("abc".utf8))
/// let hex = SHA256.hex(hasher.finalize())   // "ba7816bf…"
/// ```
///
/// `package` rather than `public`, so it cannot clash with CryptoKit's or swift-crypto's `SHA256` in user code.
package struct SHA256: Sendable {
    /// The size of one digest in bytes.
    package static let digestByteCount = 32

    var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// Bytes waiting for a full 64-byte block.
    private var pending: [UInt8] = []
    /// Bytes fed so far.
    private var length: UInt64 = 0

    /// Creates a hasher with nothing fed yet.
    package init() { pending.reserveCapacity(64) }

    /// Feeds bytes.
    /// - Parameter bytes: The next bytes of the message (`[UInt8]`, `Data`, …).
    package mutating func update(_ bytes: some ContiguousBytes) {
        bytes.withUnsafeBytes { update(buffer: $0) }
    }

    /// Feeds the bytes of a buffer.
    /// - Parameter buffer: The next bytes of the message.
    package mutating func update(buffer: UnsafeRawBufferPointer) {
        guard !buffer.isEmpty else { return }
        length &+= UInt64(buffer.count)
        var rest = buffer[...]
        if !pending.isEmpty {
            let take = min(64 - pending.count, rest.count)
            pending.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            guard pending.count == 64 else { return }
            pending.withUnsafeBytes { compress(block: $0) }
            pending.removeAll(keepingCapacity: true)
        }
        while rest.count >= 64 {
            compress(block: UnsafeRawBufferPointer(rebasing: rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        pending.append(contentsOf: rest)
    }

    /// Pads the message and returns its digest. The hasher should not be fed afterwards.
    /// - Returns: The 32-byte digest.
    package mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBytes { blocks in
            for start in stride(from: 0, to: blocks.count, by: 64) {
                compress(block: UnsafeRawBufferPointer(rebasing: blocks[start..<start + 64]))
            }
        }
        pending.removeAll()
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        return words.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * UInt32($0))) } }
    }

    /// The digest of a whole message.
    /// - Parameter bytes: The message.
    /// - Returns: The 32-byte digest.
    package static func hash(_ bytes: some ContiguousBytes) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of a file's contents, read in 1 MiB chunks.
    /// - Parameter file: The file to read.
    /// - Returns: The 32-byte digest.
    /// - Throws: The error of `FileHandle` when the file cannot be opened or read.
    package static func hash(fileAt file: URL) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
        }
        return hasher.finalize()
    }

    /// Lowercase hexadecimal text of bytes, as `sha256sum` prints a digest.
    /// - Parameter bytes: The bytes, usually a digest.
    /// - Returns: Two lowercase hex digits per byte.
    package static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
