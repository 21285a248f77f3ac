import ModelRegistry

/// Why ``GGUFValidator`` refused a file. Each case names the file and, where there is one, the field or tensor.
public enum GGUFValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No file exists at the path.
    case fileNotFound(path: String)
    /// The file exists but cannot be opened or read.
    case unreadable(path: String, reason: String)
    /// The file does not start with the GGUF magic `"GGUF"`; `found` shows the first bytes it has.
    case notGGUF(path: String, found: String)
    /// The GGUF version is not one this reader supports (2 or 3).
    case unsupportedVersion(path: String, version: UInt32)
    /// The file ends before a field it declares: it was cut short, or a length field is corrupt.
    case truncated(path: String, field: String, offset: Int, needed: Int, fileSize: Int)
    /// A field holds a value the format does not allow.
    case malformed(path: String, field: String, reason: String)
    /// A tensor's data lies (partly) outside the file.
    case tensorOutOfBounds(path: String, tensor: String, end: Int, fileSize: Int)
    /// The vocabulary lists the same token twice; libllama would abort the whole process on it.
    case duplicateToken(path: String, token: String, firstIndex: Int, secondIndex: Int)
    /// Hyperparameters that contradict each other or a relation libllama's graph code asserts on (KV heads dividing
    /// heads, equal key and value head widths, RoPE over the whole head): libllama would abort the process.
    case inconsistentHyperparameters(path: String, field: String, reason: String)
    /// A tensor's shape (ggml order, row length first) differs from the one the hyperparameters give; `meaning` says
    /// how the expected shape is derived, e.g. `[embedding_length, head_count × key_length]`.
    case tensorShapeMismatch(path: String, tensor: String, shape: [Int], expected: [Int], meaning: String)
    /// A weight of the llama layout is stored as a type ggml's kernels cannot compute with there (`i8`…`i64` or
    /// `f64` anywhere; anything but `f32` for a 1-D norm or bias); `allowed` says what it must be.
    case unsupportedTensorType(path: String, tensor: String, type: String, allowed: String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .fileNotFound(let path):
            "no file at \(path); check the model's path"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason); check its permissions"
        case .notGGUF(let path, let found):
            "\(path) is not a GGUF file (it starts with \(found), not \"GGUF\"); give llama.cpp a .gguf model"
        case .unsupportedVersion(let path, let version):
            "\(path) is GGUF version \(version); only versions 2 and 3 are supported: convert it with a current llama.cpp"
        case .truncated(let path, let field, let offset, let needed, let fileSize):
            "\(path) is truncated or corrupt: \(field) needs \(needed) byte(s) at offset \(offset) but the file has "
                + "\(fileSize) bytes; download or convert it again"
        case .malformed(let path, let field, let reason):
            "\(path) is corrupt: \(field): \(reason); download or convert it again"
        case .tensorOutOfBounds(let path, let tensor, let end, let fileSize):
            "\(path) is truncated: tensor \"\(tensor)\" ends at byte \(end) but the file has \(fileSize) bytes; "
                + "download or convert it again"
        case .duplicateToken(let path, let token, let first, let second):
            "\(path) has a corrupt vocabulary: token \(token.debugDescription) appears at index \(first) and \(second); "
                + "libllama cannot load it: fix the tokenizer.ggml.tokens array or convert the model again"
        case .inconsistentHyperparameters(let path, let field, let reason):
            "\(path) has inconsistent hyperparameters: \(field) \(reason); libllama would abort on it: convert the "
                + "model again with a current llama.cpp"
        case .tensorShapeMismatch(let path, let tensor, let shape, let expected, let meaning):
            "\(path) does not match its hyperparameters: tensor \"\(tensor)\" has shape \(shape) but \(meaning) gives "
                + "\(expected); the metadata or the tensors are corrupt: convert the model again"
        case .unsupportedTensorType(let path, let tensor, let type, let allowed):
            "\(path) is corrupt: tensor \"\(tensor)\" is stored as \(type), which ggml cannot compute with there "
                + "(it must be \(allowed)); libllama would abort on it: convert the model again"
        }
    }
}

extension GGUFValidationError {
    /// The error for a failed read of the file at `path`.
    init(_ failure: GGUFReader.Failure, path: String) {
        switch failure {
        case .notFound: self = .fileNotFound(path: path)
        case .unreadable(let reason): self = .unreadable(path: path, reason: reason)
        case .truncated(let field, let offset, let needed, let size):
            self = .truncated(path: path, field: field, offset: offset, needed: needed, fileSize: size)
        case .malformed(let field, let reason): self = .malformed(path: path, field: field, reason: reason)
        }
    }
}
