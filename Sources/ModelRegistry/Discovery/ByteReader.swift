/// Reads little-endian GGUF values from a byte array; every read returns `nil` instead of reading past the end.
struct ByteReader {
    /// The bytes.
    let bytes: [UInt8]
    /// The next byte to read.
    private(set) var offset = 0

    /// Creates a reader at the first byte.
    /// - Parameter bytes: The bytes to read.
    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The next `count` bytes, or `nil` when fewer remain.
    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// A little-endian fixed-width integer.
    mutating func integer<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        guard let slice = take(MemoryLayout<T>.size) else { return nil }
        return slice.reversed().reduce(T.zero) { ($0 << 8) | T(truncatingIfNeeded: $1) }
    }

    /// A GGUF string: a `UInt64` length, then UTF-8 bytes.
    mutating func string() -> String? {
        guard let length = integer(UInt64.self), length <= UInt64(Int.max), let slice = take(Int(length)) else {
            return nil
        }
        return String(decoding: slice, as: UTF8.self)
    }

    /// A value of a GGUF type (`gguf_type`): integers and strings are kept, other values skipped.
    /// - Parameter type: The type number.
    /// - Returns: The value, or `nil` when the bytes end or the type is unknown.
    mutating func value(type: UInt32) -> GGUFHeader.Value? {
        switch type {
        case 0: integer(UInt8.self).map { .number(Int($0)) }
        case 1: integer(Int8.self).map { .number(Int($0)) }
        case 2: integer(UInt16.self).map { .number(Int($0)) }
        case 3: integer(Int16.self).map { .number(Int($0)) }
        case 4: integer(UInt32.self).map { .number(Int($0)) }
        case 5: integer(Int32.self).map { .number(Int($0)) }
        case 10: integer(UInt64.self).map { .number(Int(clamping: $0)) }
        case 11: integer(Int64.self).map { .number(Int($0)) }
        case 6: take(4).map { _ in .skipped }
        case 7: take(1).map { _ in .skipped }
        case 12: take(8).map { _ in .skipped }
        case 8: string().map { .text($0) }
        case 9: array()
        default: nil
        }
    }

    /// Skips a GGUF array: an element type, a `UInt64` count, then the elements.
    private mutating func array() -> GGUFHeader.Value? {
        guard let type = integer(UInt32.self), let count = integer(UInt64.self) else { return nil }
        for _ in 0..<count {
            guard value(type: type) != nil else { return nil }
        }
        return .skipped
    }
}
