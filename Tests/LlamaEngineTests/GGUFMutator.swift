import Foundation

/// A seeded mutator over a valid GGUF file: it maps where each field lies (header counts, every metadata key, type
/// and value, every tensor's dimensions, type and offset), then changes one or a few of them in place. The same seed
/// gives the same mutation, so a failure can be replayed from the seed printed with it.
struct GGUFMutator {
    /// Where one metadata pair lies.
    struct Pair {
        let key: String
        let typeOffset: Int
        let type: UInt32
        let valueOffset: Int
    }

    /// Where one tensor info lies.
    struct TensorInfo {
        let name: String
        let dimensionCountOffset: Int
        let dimensions: [Int64]
        let typeOffset: Int
        let offsetOffset: Int
    }

    let bytes: [UInt8]
    private(set) var pairs: [Pair] = []
    private(set) var tensors: [TensorInfo] = []

    /// Maps a valid GGUF file.
    init(validFile bytes: [UInt8]) {
        self.bytes = bytes
        var cursor = 24
        let pairCount = Int(Self.read(UInt64.self, bytes, 16))
        let tensorCount = Int(Self.read(UInt64.self, bytes, 8))
        for _ in 0..<pairCount {
            let key = Self.string(bytes, &cursor)
            let type = Self.read(UInt32.self, bytes, cursor)
            pairs.append(Pair(key: key, typeOffset: cursor, type: type, valueOffset: cursor + 4))
            cursor += 4
            Self.skipValue(type: type, bytes, &cursor)
        }
        for _ in 0..<tensorCount {
            let name = Self.string(bytes, &cursor)
            let countOffset = cursor
            let count = Int(Self.read(UInt32.self, bytes, cursor))
            cursor += 4
            let dimensions = (0..<count).map { Self.read(Int64.self, bytes, cursor + 8 * $0) }
            cursor += 8 * count
            tensors.append(TensorInfo(
                name: name, dimensionCountOffset: countOffset, dimensions: dimensions, typeOffset: cursor,
                offsetOffset: cursor + 4))
            cursor += 12
        }
    }

    /// Applies 1 to 3 mutations chosen by `seed`.
    /// - Returns: The mutated bytes and a description of each mutation.
    func mutate(seed: UInt64) -> (bytes: [UInt8], mutations: [String]) {
        var random = SplitMix64(seed: seed)
        var output = bytes
        var mutations: [String] = []
        for _ in 0..<(1 + Int(random.next() % 3)) {
            mutations.append(mutateOnce(&output, &random))
        }
        return (output, mutations)
    }

    /// The file with one tensor's dimensions replaced (same count), or `nil` when it has no such tensor.
    func settingDimensions(of name: String, to dimensions: [Int64]) -> [UInt8]? {
        guard let tensor = tensors.first(where: { $0.name == name }), tensor.dimensions.count == dimensions.count else {
            return nil
        }
        var output = bytes
        for (index, value) in dimensions.enumerated() { Self.write(value, &output, tensor.dimensionCountOffset + 4 + 8 * index) }
        return output
    }

    /// The file with one integer metadata value replaced, or `nil` when it has no such integer key.
    func settingInteger(_ key: String, to value: Int64) -> [UInt8]? {
        guard let pair = pairs.first(where: { $0.key == key }), Self.integerSizes[pair.type] != nil else { return nil }
        var output = bytes
        Self.writeInteger(value, type: pair.type, &output, pair.valueOffset)
        return output
    }

    private func mutateOnce(_ output: inout [UInt8], _ random: inout SplitMix64) -> String {
        let integerPairs = pairs.filter { (0...5).contains($0.type) || $0.type == 10 || $0.type == 11 }
        let hyperparameters = integerPairs.filter { $0.key.hasPrefix("llama.") }
        switch random.next() % 10 {
        case 0:
            let (offset, name) = [(4, "version"), (8, "tensor count"), (16, "metadata count")][Int(random.next() % 3)]
            let value = interesting(Self.read(UInt32.self, output, offset).magnitudeAsInt64, &random)
            Self.write(UInt32(truncatingIfNeeded: value), &output, offset)
            return "header \(name) = \(value)"
        case 1, 2, 3:
            let pair = hyperparameters.isEmpty ? integerPairs[Int(random.next() % UInt64(integerPairs.count))]
                : hyperparameters[Int(random.next() % UInt64(hyperparameters.count))]
            let old = Self.readInteger(type: pair.type, output, pair.valueOffset)
            let value = interesting(old, &random)
            Self.writeInteger(value, type: pair.type, &output, pair.valueOffset)
            return "\(pair.key) \(old) -> \(value)"
        case 4:
            let pair = pairs[Int(random.next() % UInt64(pairs.count))]
            let type = UInt32(random.next() % 14)
            Self.write(type, &output, pair.typeOffset)
            return "\(pair.key) type \(pair.type) -> \(type)"
        case 5, 6:
            let tensor = tensors[Int(random.next() % UInt64(tensors.count))]
            let index = Int(random.next() % UInt64(tensor.dimensions.count))
            let value = interesting(tensor.dimensions[index], &random)
            Self.write(value, &output, tensor.dimensionCountOffset + 4 + 8 * index)
            return "tensor \(tensor.name) dimension \(index) \(tensor.dimensions[index]) -> \(value)"
        case 7:
            let tensor = tensors[Int(random.next() % UInt64(tensors.count))]
            let type = UInt32(random.next() % 44)
            Self.write(type, &output, tensor.typeOffset)
            return "tensor \(tensor.name) type -> \(type)"
        case 8:
            let tensor = tensors[Int(random.next() % UInt64(tensors.count))]
            let old = Self.read(Int64.self, output, tensor.offsetOffset)
            let value = random.next() % 2 == 0 ? interesting(old, &random) : old &+ Int64(random.next() % 64) * 32
            Self.write(value, &output, tensor.offsetOffset)
            return "tensor \(tensor.name) offset \(old) -> \(value)"
        default:
            let offset = Int(random.next() % UInt64(tensors.last.map { $0.offsetOffset + 8 } ?? output.count))
            let value = UInt8(truncatingIfNeeded: random.next())
            output[offset] = value
            return "byte \(offset) = \(value)"
        }
    }

    /// A value near `old` or at an edge: 0, 1, -1, ±1, ×2, ÷2, odd, a large power of 2.
    private func interesting(_ old: Int64, _ random: inout SplitMix64) -> Int64 {
        let candidates: [Int64] = [0, 1, -1, old &+ 1, old &- 1, old &* 2, old / 2, 3, 5, 7, 1 << 31, Int64.max, old &+ 16]
        return candidates[Int(random.next() % UInt64(candidates.count))]
    }

    // MARK: - Little-endian access

    private static func read<T: FixedWidthInteger>(_ type: T.Type, _ bytes: [UInt8], _ offset: Int) -> T {
        (0..<MemoryLayout<T>.size).reversed().reduce(T.zero) { ($0 << 8) | T(truncatingIfNeeded: bytes[offset + $1]) }
    }

    private static func write<T: FixedWidthInteger>(_ value: T, _ bytes: inout [UInt8], _ offset: Int) {
        for index in 0..<MemoryLayout<T>.size { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }

    private static let integerSizes: [UInt32: Int] = [0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 10: 8, 11: 8]

    private static func readInteger(type: UInt32, _ bytes: [UInt8], _ offset: Int) -> Int64 {
        switch integerSizes[type] {
        case 1: Int64(read(UInt8.self, bytes, offset))
        case 2: Int64(read(UInt16.self, bytes, offset))
        case 4: Int64(read(UInt32.self, bytes, offset))
        default: read(Int64.self, bytes, offset)
        }
    }

    private static func writeInteger(_ value: Int64, type: UInt32, _ bytes: inout [UInt8], _ offset: Int) {
        switch integerSizes[type] {
        case 1: write(UInt8(truncatingIfNeeded: value), &bytes, offset)
        case 2: write(UInt16(truncatingIfNeeded: value), &bytes, offset)
        case 4: write(UInt32(truncatingIfNeeded: value), &bytes, offset)
        default: write(value, &bytes, offset)
        }
    }

    private static func string(_ bytes: [UInt8], _ cursor: inout Int) -> String {
        let length = Int(read(UInt64.self, bytes, cursor))
        defer { cursor += 8 + length }
        return String(decoding: bytes[(cursor + 8)..<(cursor + 8 + length)], as: UTF8.self)
    }

    private static func skipValue(type: UInt32, _ bytes: [UInt8], _ cursor: inout Int) {
        let sizes: [UInt32: Int] = [0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8]
        if let size = sizes[type] {
            cursor += size
        } else if type == 8 {
            _ = string(bytes, &cursor)
        } else {  // array
            let elementType = read(UInt32.self, bytes, cursor)
            let count = Int(read(UInt64.self, bytes, cursor + 4))
            cursor += 12
            for _ in 0..<count { skipValue(type: elementType, bytes, &cursor) }
        }
    }
}

/// A small seeded random number generator (SplitMix64), so mutations are the same on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension FixedWidthInteger {
    fileprivate var magnitudeAsInt64: Int64 { Int64(truncatingIfNeeded: self) }
}
