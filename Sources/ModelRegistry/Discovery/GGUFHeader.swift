import Foundation

/// The few facts discovery reads from a GGUF file's header: the format version, `general.architecture`,
/// `<architecture>.context_length` and `general.file_type` (the quantization).
///
/// The header is a magic `GGUF`, a little-endian `UInt32` version, `UInt64` tensor and key-value counts, then
/// the key-value pairs (see `gguf.h`). Only the first bytes are read; a value that lies beyond them stays `nil`.
struct GGUFHeader: Sendable, Equatable {
    /// The GGUF format version, e.g. 3.
    var version: UInt32
    /// `general.architecture`, e.g. `"llama"`.
    var architecture: String?
    /// `<architecture>.context_length`.
    var contextLength: Int?
    /// `general.file_type`, named as llama.cpp names it, e.g. `"Q4_K_M"`.
    var quantization: String?

    /// How many bytes of a file are read to find the header values.
    static let prefixLength = 1 << 20

    /// Reads the header from the start of a file.
    /// - Parameter bytes: The file's first bytes (at least the fixed header).
    /// - Throws: `GGUFHeader.Invalid` when the bytes do not start with a GGUF header.
    init(parsing bytes: [UInt8]) throws(Invalid) {
        var reader = ByteReader(bytes: bytes)
        guard reader.take(4).map(Array.init) == Array("GGUF".utf8) else {
            throw Invalid(reason: "not a GGUF file: it does not start with the magic \"GGUF\"")
        }
        guard let version = reader.integer(UInt32.self), reader.integer(UInt64.self) != nil,
            let count = reader.integer(UInt64.self)
        else { throw Invalid(reason: "GGUF header is truncated") }
        self.version = version
        var values: [String: Value] = [:]
        for _ in 0..<count {
            guard let key = reader.string(), let type = reader.integer(UInt32.self),
                let value = reader.value(type: type)
            else { break }  // truncated prefix or unknown type: keep what was read
            values[key] = value
        }
        if case .text(let name) = values["general.architecture"] { architecture = name }
        if let architecture, let length = values["\(architecture).context_length"]?.integer {
            contextLength = length
        }
        quantization = values["general.file_type"]?.integer.map(Self.fileTypeName)
    }

    /// Why bytes are not a GGUF header.
    struct Invalid: Error, Sendable {
        /// What is wrong.
        let reason: String
    }

    /// A decoded value; only strings and integers are kept.
    enum Value {
        case text(String)
        case number(Int)
        case skipped

        var integer: Int? { if case .number(let value) = self { value } else { nil } }
    }

    /// llama.cpp's name for a `llama_ftype` value (from `llama.h`).
    static func fileTypeName(_ value: Int) -> String {
        let names: [Int: String] = [
            0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
            12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K",
            32: "BF16",
        ]
        return names[value] ?? "file_type \(value)"
    }
}
