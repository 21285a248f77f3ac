/// Walks GGUF metadata key/value pairs, skipping values it does not need and keeping the few the validator checks:
/// `general.alignment`, `general.architecture` and the `tokenizer.ggml.tokens` vocabulary (checked for duplicates).
struct GGUFMetadataWalker {
    let path: String
    private(set) var alignment: Int?
    private(set) var architecture: String?
    private(set) var vocabularySize: Int?
    private var keys = Set<String>()

    init(path: String) { self.path = path }

    /// Reads the pair at the reader's cursor.
    /// - Parameters:
    ///   - index: The pair's position, for error messages.
    ///   - reader: The reader, positioned at the pair.
    /// - Throws: ``GGUFValidationError`` for truncation, unknown types, duplicate keys or a duplicate token.
    mutating func readPair(index: Int, from reader: GGUFFileReader) throws {
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
        default:
            try skipValue(of: type, field: field, from: reader)
        }
    }

    private func valueType(_ raw: UInt32, field: String) throws -> GGUFValueType {
        guard let type = GGUFValueType(rawValue: raw) else {
            throw GGUFValidationError.malformed(path: path, field: field, reason: "unknown value type \(raw)")
        }
        return type
    }

    private func skipValue(of type: GGUFValueType, field: String, from reader: GGUFFileReader) throws {
        switch type {
        case .string:
            _ = try reader.stringBytes(field: field)
        case .array:
            let elementType = try valueType(reader.integer(UInt32.self, field: "\(field) element type"), field: field)
            let count = try reader.length(field: "\(field) element count")
            if let size = elementType.fixedSize {
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

    /// Reads the token strings and refuses duplicates, treating an empty token the way libllama does (it renames it
    /// `[EMPTY_<index>]`, which can itself collide).
    private mutating func readVocabulary(field: String, from reader: GGUFFileReader) throws {
        let elementType = try valueType(reader.integer(UInt32.self, field: "\(field) element type"), field: field)
        guard elementType == .string else {
            throw GGUFValidationError.malformed(path: path, field: field, reason: "must be an array of strings")
        }
        let count = try reader.length(field: "\(field) token count")
        guard count <= Int(Int32.max) else {
            throw GGUFValidationError.malformed(path: path, field: field, reason: "\(count) tokens do not fit a token id")
        }
        var firstIndex: [[UInt8]: Int] = [:]
        firstIndex.reserveCapacity(min(count, 1 << 20))
        for index in 0..<count {
            var token = Array(try reader.stringBytes(field: "\(field) token \(index)"))
            if token.isEmpty { token = Array("[EMPTY_\(index)]".utf8) }
            if let first = firstIndex.updateValue(index, forKey: token) {
                throw GGUFValidationError.duplicateToken(
                    path: path, token: String(decoding: token, as: UTF8.self), firstIndex: first, secondIndex: index)
            }
        }
        vocabularySize = count
    }
}
