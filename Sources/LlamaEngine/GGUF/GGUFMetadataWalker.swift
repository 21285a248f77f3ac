import ModelRegistry

/// Walks GGUF metadata key/value pairs, keeping what the validator checks: `general.alignment`,
/// `general.architecture`, the `tokenizer.ggml.tokens` vocabulary (checked for duplicates), every integer scalar,
/// short strings, and the largest value of integer arrays (per-layer hyperparameters). Other values are skipped.
struct GGUFMetadataWalker {
    let path: String
    private(set) var alignment: Int?
    private(set) var architecture: String?
    private(set) var vocabularySize: Int?
    /// Integer scalars, and the maximum of integer arrays, by key.
    private(set) var integers: [String: Int64] = [:]
    /// Integer arrays of at most ``maxKeptArrayCount`` elements (per-layer hyperparameters), by key.
    private(set) var integerArrays: [String: [Int64]] = [:]
    /// Strings of at most 256 bytes, by key.
    private(set) var strings: [String: String] = [:]
    private var keys = Set<String>()

    /// Integer arrays longer than this (more than `LLAMA_MAX_LAYERS` entries) are reduced to their maximum.
    static let maxKeptArrayCount = 512

    init(path: String) { self.path = path }

    /// Reads the pair at the reader's cursor.
    /// - Parameters:
    ///   - index: The pair's position, for error messages.
    ///   - reader: The reader, positioned at the pair.
    /// - Throws: ``GGUFValidationError`` for truncation, unknown types, duplicate keys, a duplicate token or a vocabulary
    ///   over ``GGUFValidator/maximumVocabularySize``.
    mutating func readPair(index: Int, from reader: GGUFReader) throws {
        let key = try reader.string(field: "metadata \(index) key")
        let field = "metadata \(index) (\(key))"
        guard !key.isEmpty, keys.insert(key).inserted else {
            throw GGUFValidationError.malformed(path: path, field: field, reason: key.isEmpty ? "empty key" : "duplicate key")
        }
        let type = try valueType(reader.integer(UInt32.self, field: "\(field) type"), field: field)
        switch (key, type) {
        case ("general.alignment", .uint32):
            alignment = Int(try reader.integer(UInt32.self, field: field))
        case ("general.alignment", _):
            throw GGUFValidationError.malformed(path: path, field: field, reason: "must be a uint32")
        case ("general.architecture", .string):
            architecture = try reader.string(field: field)
        case ("tokenizer.ggml.tokens", .array):
            try readVocabulary(field: field, from: reader)
        case ("tokenizer.ggml.tokens", _):
            throw GGUFValidationError.malformed(path: path, field: field, reason: "must be an array of strings")
        case (_, .uint8), (_, .int8), (_, .uint16), (_, .int16), (_, .uint32), (_, .int32), (_, .uint64), (_, .int64):
            integers[key] = try readInteger(of: type, field: field, from: reader)
        case (_, .string):
            let bytes = try reader.stringBytes(field: field)
            if bytes.count <= 256 { strings[key] = String(decoding: bytes, as: UTF8.self) }
        default:
            try skipValue(of: type, field: field, from: reader, key: key)
        }
    }

    /// Reads an integer scalar of any width as an `Int64` (`UInt64` values above `Int64.max` are clamped).
    private func readInteger(of type: GGUFValueType, field: String, from reader: GGUFReader) throws -> Int64 {
        switch type {
        case .uint8: Int64(try reader.integer(UInt8.self, field: field))
        case .int8: Int64(try reader.integer(Int8.self, field: field))
        case .uint16: Int64(try reader.integer(UInt16.self, field: field))
        case .int16: Int64(try reader.integer(Int16.self, field: field))
        case .uint32: Int64(try reader.integer(UInt32.self, field: field))
        case .int32: Int64(try reader.integer(Int32.self, field: field))
        case .uint64: Int64(clamping: try reader.integer(UInt64.self, field: field))
        default: try reader.integer(Int64.self, field: field)
        }
    }

    private func valueType(_ raw: UInt32, field: String) throws -> GGUFValueType {
        guard let type = GGUFValueType(rawValue: raw) else {
            throw GGUFValidationError.malformed(path: path, field: field, reason: "unknown value type \(raw)")
        }
        return type
    }

    private mutating func skipValue(
        of type: GGUFValueType, field: String, from reader: GGUFReader, key: String
    ) throws {
        switch type {
        case .string:
            _ = try reader.stringBytes(field: field)
        case .array:
            let elementType = try valueType(reader.integer(UInt32.self, field: "\(field) element type"), field: field)
            let count = try reader.length(field: "\(field) element count")
            if [.uint8, .int8, .uint16, .int16, .uint32, .int32, .uint64, .int64].contains(elementType) {
                var largest = Int64.min
                var values: [Int64] = []
                for _ in 0..<count {
                    let value = try readInteger(of: elementType, field: field, from: reader)
                    largest = max(largest, value)
                    if count <= Self.maxKeptArrayCount { values.append(value) }
                }
                if count > 0 { integers[key] = largest }
                if count > 0, count <= Self.maxKeptArrayCount { integerArrays[key] = values }
            } else if let size = elementType.fixedSize {
                try reader.skip(count * size, field: "\(field) elements")
            } else if elementType == .string {
                for element in 0..<count { _ = try reader.stringBytes(field: "\(field) element \(element)") }
            } else {
                throw GGUFValidationError.malformed(path: path, field: field, reason: "arrays of arrays are not supported")
            }
        default:
            try reader.skip(type.fixedSize ?? 0, field: field)
        }
    }

    /// Reads the token strings and refuses duplicates, comparing them the way libllama stores them: cut at the first
    /// NUL byte (it reads each token as a C string), and an empty token renamed `[EMPTY_<index>]`. A vocabulary of
    /// more than ``GGUFValidator/maximumVocabularySize`` tokens is refused from its count, before a token is kept.
    private mutating func readVocabulary(field: String, from reader: GGUFReader) throws {
        let elementType = try valueType(reader.integer(UInt32.self, field: "\(field) element type"), field: field)
        guard elementType == .string else {
            throw GGUFValidationError.malformed(path: path, field: field, reason: "must be an array of strings")
        }
        let count = try reader.length(field: "\(field) token count")
        guard count <= GGUFValidator.maximumVocabularySize else {
            throw GGUFValidationError.malformed(
                path: path, field: field,
                reason: "\(count) tokens exceed the limit of \(GGUFValidator.maximumVocabularySize) "
                    + "(GGUFValidator.maximumVocabularySize; real vocabularies have under 300,000)")
        }
        var firstIndex: [[UInt8]: Int] = [:]
        firstIndex.reserveCapacity(min(count, 1 << 20))
        for index in 0..<count {
            var token = Array(try reader.stringBytes(field: "\(field) token \(index)"))
            if let nul = token.firstIndex(of: 0) { token.removeSubrange(nul...) }  // libllama reads a C string
            if token.isEmpty { token = Array("[EMPTY_\(index)]".utf8) }
            if let first = firstIndex.updateValue(index, forKey: token) {
                throw GGUFValidationError.duplicateToken(
                    path: path, token: String(decoding: token, as: UTF8.self), firstIndex: first, secondIndex: index)
            }
        }
        vocabularySize = count
    }
}
