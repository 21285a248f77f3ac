import ModelRegistry

/// Checks a GGUF file in pure Swift before libllama opens it.
///
/// libllama returns `NULL` for most broken files, but some make it abort the whole process (a vocabulary with a
/// duplicated token trips a `GGML_ASSERT`). The validator walks the header, every metadata key/value and every tensor
/// info with bounds checks against the file size, checks that each tensor's data lies inside the file, that
/// `tokenizer.ggml.tokens` has no duplicates (and at most ``maximumVocabularySize`` tokens), and that the
/// hyperparameters libllama asserts on (layer and expert counts, RoPE scaling type) are in range, and, for the
/// llama-family layouts, that the hyperparameters agree with each other and with every tensor's shape
/// (``GGUFShapeCheck``). It reads only the header, never the tensor data.
///
/// ```swift
/// let summary = try GGUFValidator().validate(path: "/models/tiny-llama.gguf")
/// print(summary.architecture ?? "?", summary.tensorCount)
/// ```
public struct GGUFValidator: Sendable {
    /// The most tokens a `tokenizer.ggml.tokens` vocabulary may have: 4,194,304 (2^22), sixteen times the largest
    /// real vocabularies (about 260,000 tokens). The validator keeps every token to find duplicates, which costs
    /// several times the tokens' bytes, so a larger count is refused before a token is read.
    public static let maximumVocabularySize = 1 << 22

    /// Creates a validator.
    public init() {}

    /// The smallest encoding of one metadata pair (key length, value type, a 1-byte value) and of one tensor info
    /// (name length, dimension count, type, offset): header counts larger than the file could hold are corrupt.
    private static let minimumPairSize = 8 + 4 + 1
    private static let minimumTensorInfoSize = 8 + 4 + 4 + 8
    private static let maxTensorNameLength = 64
    private static let maxDimensions = 4

    /// Validates the file at `path`.
    /// - Parameter path: A local file path.
    /// - Returns: What the header says.
    /// - Throws: ``GGUFValidationError`` naming the file and the first problem found.
    public func validate(path: String) throws -> GGUFSummary {
        do {
            return try validate(GGUFReader(path: path), path: path)
        } catch let failure as GGUFReader.Failure {
            throw GGUFValidationError(failure, path: path)
        }
    }

    private func validate(_ reader: GGUFReader, path: String) throws -> GGUFSummary {
        let magic = try? reader.bytes(4, field: "magic")
        guard let magic, Array(magic) == Array("GGUF".utf8) else {
            throw GGUFValidationError.notGGUF(path: path, found: Self.describe(magic.map(Array.init) ?? []))
        }
        let version = try reader.integer(UInt32.self, field: "version")
        guard version == 2 || version == 3 else { throw GGUFValidationError.unsupportedVersion(path: path, version: version) }
        let tensorCount = try reader.length(field: "tensor count")
        let pairCount = try reader.length(field: "metadata count")
        guard pairCount <= reader.size / Self.minimumPairSize,
            tensorCount <= reader.size / Self.minimumTensorInfoSize
        else {
            throw GGUFValidationError.malformed(
                path: path, field: "header",
                reason: "it declares \(pairCount) metadata pairs and \(tensorCount) tensors, more than \(reader.size) bytes can hold")
        }

        var metadata = GGUFMetadataWalker(path: path)
        for index in 0..<pairCount { try metadata.readPair(index: index, from: reader) }
        if let architecture = metadata.architecture {
            try GGUFHyperparameterCheck(
                path: path, architecture: architecture, integers: metadata.integers, strings: metadata.strings
            ).check()
        }
        let alignment = metadata.alignment ?? 32
        guard alignment > 0, alignment & (alignment - 1) == 0 else {
            throw GGUFValidationError.malformed(path: path, field: "general.alignment", reason: "\(alignment) is not a power of 2")
        }

        var tensors: [GGUFTensorInfo] = []
        var names = Set<String>()
        for index in 0..<tensorCount {
            let tensor = try readTensorInfo(index: index, from: reader, path: path)
            guard names.insert(tensor.name).inserted else {
                throw GGUFValidationError.malformed(path: path, field: "tensor \(index)", reason: "duplicate name \"\(tensor.name)\"")
            }
            tensors.append(tensor)
        }

        let dataOffset = Self.align(reader.position, to: alignment)
        var dataSize = 0
        for tensor in tensors {
            guard tensor.offset % alignment == 0 else {
                throw GGUFValidationError.malformed(
                    path: path, field: "tensor \"\(tensor.name)\" offset",
                    reason: "\(tensor.offset) is not a multiple of the alignment \(alignment)")
            }
            let (end, overflow) = (dataOffset + tensor.offset).addingReportingOverflow(tensor.size)
            guard !overflow, end <= reader.size else {
                throw GGUFValidationError.tensorOutOfBounds(
                    path: path, tensor: tensor.name, end: overflow ? Int.max : end, fileSize: reader.size)
            }
            dataSize = max(dataSize, Self.align(tensor.offset + tensor.size, to: alignment))
        }
        if let architecture = metadata.architecture, let layout = GGUFShapeCheck.Layout(architecture: architecture) {
            try GGUFShapeCheck(
                path: path, layout: layout, architecture: architecture, integers: metadata.integers,
                integerArrays: metadata.integerArrays, vocabularySize: metadata.vocabularySize, tensors: tensors
            ).check()
        }
        return GGUFSummary(
            version: version, metadataCount: pairCount, tensorCount: tensorCount, architecture: metadata.architecture,
            vocabularySize: metadata.vocabularySize, dataOffset: dataOffset, dataSize: dataSize,
            fileSize: reader.size)
    }

    /// Reads one tensor info: name, dimensions, type and offset, with its data size computed from the type layout.
    private func readTensorInfo(
        index: Int, from reader: GGUFReader, path: String
    ) throws -> GGUFTensorInfo {
        let name = try reader.string(field: "tensor \(index) name")
        let field = "tensor \(index) (\"\(name)\")"
        guard !name.isEmpty, name.utf8.count < Self.maxTensorNameLength else {
            throw GGUFValidationError.malformed(path: path, field: field, reason: "name must have 1 to 63 bytes")
        }
        let dimensionCount = try reader.integer(UInt32.self, field: "\(field) dimension count")
        guard dimensionCount <= Self.maxDimensions else {
            throw GGUFValidationError.malformed(path: path, field: field, reason: "\(dimensionCount) dimensions (at most 4)")
        }
        var shape: [Int] = []
        var elements = 1
        for _ in 0..<dimensionCount {
            let raw = try reader.integer(Int64.self, field: "\(field) dimensions")
            let (product, overflow) = elements.multipliedReportingOverflow(by: Int(raw))
            guard raw >= 0, !overflow else {
                throw GGUFValidationError.malformed(path: path, field: field, reason: "impossible dimension \(raw)")
            }
            shape.append(Int(raw))
            elements = product
        }
        let typeID = try reader.integer(UInt32.self, field: "\(field) type")
        guard let layout = GGMLTypeLayout.of(typeID) else {
            throw GGUFValidationError.malformed(path: path, field: field, reason: "unknown ggml type id \(typeID)")
        }
        guard (shape.first ?? 1) % layout.blockSize == 0 else {
            throw GGUFValidationError.malformed(
                path: path, field: field,
                reason: "row length \(shape.first ?? 1) is not a multiple of the \(layout.name) block size \(layout.blockSize)")
        }
        let (size, overflow) = (elements / layout.blockSize).multipliedReportingOverflow(by: layout.typeSize)
        let offset = try reader.integer(UInt64.self, field: "\(field) offset")
        guard !overflow, size <= reader.size, offset <= UInt64(reader.size) else {
            throw GGUFValidationError.tensorOutOfBounds(path: path, tensor: name, end: Int.max, fileSize: reader.size)
        }
        return GGUFTensorInfo(
            name: name, shape: shape, typeID: typeID, typeName: layout.name, offset: Int(offset), size: size)
    }

    private static func align(_ value: Int, to alignment: Int) -> Int {
        (value + alignment - 1) / alignment * alignment
    }

    /// The first bytes of a file, as text when printable, else as hex.
    private static func describe(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "no bytes (the file is empty or shorter than 4 bytes)" }
        if bytes.allSatisfy({ (0x20..<0x7F).contains($0) }) { return "\"\(String(decoding: bytes, as: UTF8.self))\"" }
        return bytes.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
    }
}
