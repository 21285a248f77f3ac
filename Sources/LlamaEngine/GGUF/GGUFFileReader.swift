import Foundation

/// Reads a GGUF file front to back with every read checked against the file size, so a corrupt length field ends in
/// ``GGUFValidationError/truncated(path:field:offset:needed:fileSize:)`` instead of a huge allocation or a crash.
///
/// Only the bytes under the cursor are buffered (a sliding window), so a multi-gigabyte file costs no more memory
/// than its largest metadata value.
final class GGUFFileReader {
    let path: String
    let fileSize: Int
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    /// The file offset of the next byte to read.
    private(set) var position = 0

    private static let chunkSize = 1 << 20

    /// Opens the file for reading.
    /// - Throws: ``GGUFValidationError`` when the file is missing, not a regular file, or cannot be opened.
    init(path: String) throws {
        self.path = path
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            guard FileManager.default.fileExists(atPath: path) else { throw GGUFValidationError.fileNotFound(path: path) }
            throw GGUFValidationError.unreadable(path: path, reason: error.localizedDescription)
        }
        guard (attributes[.type] as? FileAttributeType) == .typeRegular else {
            throw GGUFValidationError.unreadable(path: path, reason: "not a regular file")
        }
        fileSize = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw GGUFValidationError.unreadable(path: path, reason: "permission denied or open failed")
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// Makes `count` bytes at the cursor available in the buffer.
    private func ensure(_ count: Int, for field: @autoclosure () -> String) throws {
        guard count >= 0, count <= fileSize - position else {
            throw GGUFValidationError.truncated(
                path: path, field: field(), offset: position, needed: count, fileSize: fileSize)
        }
        let bufferEnd = bufferStart + buffer.count
        if position + count <= bufferEnd { return }
        buffer.removeFirst(position - bufferStart)
        bufferStart = position
        let wanted = max(count - buffer.count, Self.chunkSize)
        do {
            try handle.seek(toOffset: UInt64(bufferStart + buffer.count))
            let data = try handle.read(upToCount: min(wanted, fileSize - bufferStart - buffer.count)) ?? Data()
            buffer.append(contentsOf: data)
        } catch {
            throw GGUFValidationError.unreadable(path: path, reason: error.localizedDescription)
        }
        guard buffer.count >= count else {
            throw GGUFValidationError.unreadable(path: path, reason: "the file shrank while it was being read")
        }
    }

    /// Reads `count` raw bytes.
    /// - Throws: ``GGUFValidationError/truncated(path:field:offset:needed:fileSize:)`` past the end of the file.
    func bytes(_ count: Int, field: @autoclosure () -> String) throws -> ArraySlice<UInt8> {
        try ensure(count, for: field())
        let start = position - bufferStart
        position += count
        return buffer[start..<(start + count)]
    }

    /// Reads a little-endian integer.
    /// - Throws: ``GGUFValidationError/truncated(path:field:offset:needed:fileSize:)`` past the end of the file.
    func integer<T: FixedWidthInteger>(_ type: T.Type, field: @autoclosure () -> String) throws -> T {
        let raw = try bytes(MemoryLayout<T>.size, field: field())
        return raw.reversed().reduce(T.zero) { ($0 << 8) | T(truncatingIfNeeded: $1) }
    }

    /// Reads a length (a `UInt64` in GGUF v2/v3) and checks it fits in an `Int`.
    /// - Throws: ``GGUFValidationError/malformed(path:field:reason:)`` for absurd lengths.
    func length(field: @autoclosure () -> String) throws -> Int {
        let value = try integer(UInt64.self, field: field())
        guard value <= UInt64(fileSize) else {
            throw GGUFValidationError.malformed(
                path: path, field: field(), reason: "length \(value) exceeds the file size \(fileSize)")
        }
        return Int(value)
    }

    /// Reads a GGUF string (a length followed by UTF-8 bytes).
    /// - Throws: ``GGUFValidationError`` when the length runs past the end of the file.
    func stringBytes(field: @autoclosure () -> String) throws -> ArraySlice<UInt8> {
        let count = try length(field: field())
        return try bytes(count, field: field())
    }

    /// Reads a GGUF string as text; invalid UTF-8 becomes U+FFFD.
    /// - Throws: ``GGUFValidationError`` when the length runs past the end of the file.
    func string(field: @autoclosure () -> String) throws -> String {
        String(decoding: try stringBytes(field: field()), as: UTF8.self)
    }

    /// Skips `count` bytes.
    /// - Throws: ``GGUFValidationError/truncated(path:field:offset:needed:fileSize:)`` past the end of the file.
    func skip(_ count: Int, field: @autoclosure () -> String) throws {
        guard count >= 0, count <= fileSize - position else {
            throw GGUFValidationError.truncated(
                path: path, field: field(), offset: position, needed: count, fileSize: fileSize)
        }
        position += count
        if position > bufferStart + buffer.count {
            buffer.removeAll(keepingCapacity: true)
            bufferStart = position
        }
    }
}
