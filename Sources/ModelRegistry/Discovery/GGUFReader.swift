import Foundation

/// The one GGUF reader of the package: it reads GGUF values front to back, from a file or from bytes in memory, with
/// every read checked against the size, so a corrupt length field ends in ``Failure/truncated(field:offset:needed:size:)``
/// instead of a huge allocation or a crash. Discovery (``GGUFHeader``) and LlamaEngine's `GGUFValidator` both read
/// through it.
///
/// From a file only the bytes under the cursor are buffered (a sliding window of at least 1 MiB), so a multi-gigabyte
/// file costs no more memory than its largest metadata value.
package final class GGUFReader {
    /// Why a read failed; the caller adds the file's name.
    package enum Failure: Error, Sendable, Equatable {
        /// No file exists at the path.
        case notFound
        /// The file cannot be opened or read, or is not a regular file.
        case unreadable(reason: String)
        /// The bytes end before `field`, which needs `needed` bytes at `offset`; `size` bytes are available.
        case truncated(field: String, offset: Int, needed: Int, size: Int)
        /// `field` holds a value the format does not allow.
        case malformed(field: String, reason: String)
    }

    /// The number of bytes that can be read: the file's size, or the count of the bytes given.
    package let size: Int
    /// The offset of the next byte to read.
    package private(set) var position = 0
    private let handle: FileHandle?
    private var buffer: [UInt8]
    private var bufferStart = 0

    private static let chunkSize = 1 << 20

    /// Opens a file for reading, following symbolic links (a Hugging Face cache stores every file as one).
    /// - Parameter path: A local file path.
    /// - Throws: ``Failure/notFound``, or ``Failure/unreadable(reason:)`` for a folder, a device or no permission.
    package init(path: String) throws(Failure) {
        let path = SymbolicLinks.resolve(path)
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            guard FileManager.default.fileExists(atPath: path) else { throw .notFound }
            throw .unreadable(reason: error.localizedDescription)
        }
        guard (attributes[.type] as? FileAttributeType) == .typeRegular else { throw .unreadable(reason: "not a regular file") }
        size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(reason: "permission denied or open failed")
        }
        self.handle = handle
        buffer = []
    }

    /// Reads from bytes in memory, e.g. the first bytes of a file.
    /// - Parameter bytes: The bytes; reads past their end fail as truncated.
    package init(bytes: [UInt8]) {
        size = bytes.count
        buffer = bytes
        handle = nil
    }

    deinit { try? handle?.close() }

    /// Makes `count` bytes at the cursor available in the buffer.
    private func ensure(_ count: Int, for field: () -> String) throws(Failure) {
        guard count >= 0, count <= size - position else {
            throw .truncated(field: field(), offset: position, needed: count, size: size)
        }
        let bufferEnd = bufferStart + buffer.count
        if position + count <= bufferEnd { return }
        guard let handle else { throw .unreadable(reason: "the bytes end early") }  // unreachable: size is the count
        buffer.removeFirst(position - bufferStart)
        bufferStart = position
        let wanted = max(count - buffer.count, Self.chunkSize)
        do {
            try handle.seek(toOffset: UInt64(bufferStart + buffer.count))
            let data = try handle.read(upToCount: min(wanted, size - bufferStart - buffer.count)) ?? Data()
            buffer.append(contentsOf: data)
        } catch {
            throw .unreadable(reason: error.localizedDescription)
        }
        guard buffer.count >= count else { throw .unreadable(reason: "the file shrank while it was being read") }
    }

    /// Reads `count` raw bytes.
    /// - Throws: ``Failure/truncated(field:offset:needed:size:)`` past the end.
    package func bytes(_ count: Int, field: @autoclosure () -> String) throws(Failure) -> ArraySlice<UInt8> {
        try ensure(count, for: field)
        let start = position - bufferStart
        position += count
        return buffer[start..<(start + count)]
    }

    /// Reads a little-endian integer.
    /// - Throws: ``Failure/truncated(field:offset:needed:size:)`` past the end.
    package func integer<T: FixedWidthInteger>(_ type: T.Type, field: @autoclosure () -> String) throws(Failure) -> T {
        let raw = try bytes(MemoryLayout<T>.size, field: field())
        return raw.reversed().reduce(T.zero) { ($0 << 8) | T(truncatingIfNeeded: $1) }
    }

    /// Reads a length (a `UInt64` in GGUF v2/v3) and checks that it fits in the bytes there are.
    /// - Throws: ``Failure/malformed(field:reason:)`` for absurd lengths.
    package func length(field: @autoclosure () -> String) throws(Failure) -> Int {
        let value = try integer(UInt64.self, field: field())
        guard value <= UInt64(size) else {
            throw .malformed(field: field(), reason: "length \(value) exceeds the file size \(size)")
        }
        return Int(value)
    }

    /// Reads a GGUF string (a length followed by UTF-8 bytes).
    /// - Throws: ``Failure`` when the length runs past the end.
    package func stringBytes(field: @autoclosure () -> String) throws(Failure) -> ArraySlice<UInt8> {
        let count = try length(field: field())
        return try bytes(count, field: field())
    }

    /// Reads a GGUF string as text; invalid UTF-8 becomes U+FFFD.
    /// - Throws: ``Failure`` when the length runs past the end.
    package func string(field: @autoclosure () -> String) throws(Failure) -> String {
        String(decoding: try stringBytes(field: field()), as: UTF8.self)
    }

    /// Skips `count` bytes.
    /// - Throws: ``Failure/truncated(field:offset:needed:size:)`` past the end.
    package func skip(_ count: Int, field: @autoclosure () -> String) throws(Failure) {
        guard count >= 0, count <= size - position else {
            throw .truncated(field: field(), offset: position, needed: count, size: size)
        }
        position += count
        if handle != nil, position > bufferStart + buffer.count {
            buffer.removeAll(keepingCapacity: true)
            bufferStart = position
        }
    }
}
