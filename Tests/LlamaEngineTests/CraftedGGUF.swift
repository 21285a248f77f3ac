import Foundation

/// A GGUF v3 file built byte by byte, for headers no converter would write (values past what the fields allow,
/// vocabularies declaring millions of tokens): metadata pairs and tensor infos, no tensor data.
struct CraftedGGUF {
    private var pairs: [UInt8] = []
    private var pairCount = 0
    private var infos: [UInt8] = []
    private var tensorCount = 0

    /// Adds a string value.
    mutating func add(_ key: String, string value: String) {
        begin(key, type: 8)
        Self.append(string: Array(value.utf8), to: &pairs)
    }

    /// Adds a `uint32` value.
    mutating func add(_ key: String, uint32 value: UInt32) {
        begin(key, type: 4)
        Self.append(value, to: &pairs)
    }

    /// Adds a `uint64` value.
    mutating func add(_ key: String, uint64 value: UInt64) {
        begin(key, type: 10)
        Self.append(value, to: &pairs)
    }

    /// Adds the start of an array of `count` strings (its element type and count) without its strings: whatever
    /// follows in the file is read as them.
    mutating func add(_ key: String, declaringStrings count: Int) {
        begin(key, type: 9)
        Self.append(UInt32(8), to: &pairs)
        Self.append(UInt64(count), to: &pairs)
    }

    /// Adds an f32 tensor info with `shape` (ggml order) at `offset` in the data section.
    mutating func addTensor(_ name: String, shape: [Int64], offset: UInt64 = 0) {
        tensorCount += 1
        Self.append(string: Array(name.utf8), to: &infos)
        Self.append(UInt32(shape.count), to: &infos)
        for dimension in shape { Self.append(dimension, to: &infos) }
        Self.append(UInt32(0), to: &infos)
        Self.append(offset, to: &infos)
    }

    /// The file's bytes, with `dataBytes` zero bytes of tensor data after the (32-byte aligned) header.
    func bytes(dataBytes: Int = 0) -> [UInt8] {
        var output = Array("GGUF".utf8)
        Self.append(UInt32(3), to: &output)
        Self.append(UInt64(tensorCount), to: &output)
        Self.append(UInt64(pairCount), to: &output)
        output += pairs
        output += infos
        output += [UInt8](repeating: 0, count: (32 - output.count % 32) % 32 + dataBytes)
        return output
    }

    private mutating func begin(_ key: String, type: UInt32) {
        pairCount += 1
        Self.append(string: Array(key.utf8), to: &pairs)
        Self.append(type, to: &pairs)
    }

    private static func append(string: [UInt8], to bytes: inout [UInt8]) {
        append(UInt64(string.count), to: &bytes)
        bytes += string
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}
