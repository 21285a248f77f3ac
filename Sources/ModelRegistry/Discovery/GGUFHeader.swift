import Foundation

/// The few facts discovery reads from a GGUF file's header: the format version, `general.architecture`,
/// `<architecture>.context_length` and `general.file_type` (the quantization).
///
/// The header is a magic `GGUF`, a little-endian `UInt32` version, `UInt64` tensor and key-value counts, then
/// the key-value pairs (see `gguf.h`), read through ``GGUFReader``. Only the first bytes are read; a value that lies
/// beyond them stays `nil`.
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
        let reader = GGUFReader(bytes: bytes)
        guard (try? reader.bytes(4, field: "magic")).map(Array.init) == Array("GGUF".utf8) else {
            throw Invalid(reason: "not a GGUF file: it does not start with the magic \"GGUF\"")
        }
        guard let version = try? reader.integer(UInt32.self, field: "version"),
            (try? reader.integer(UInt64.self, field: "tensor count")) != nil,
            let count = try? reader.integer(UInt64.self, field: "metadata count")
        else { throw Invalid(reason: "GGUF header is truncated") }
        self.version = version
        var values: [String: Value] = [:]
        for _ in 0..<count {
            // a truncated prefix or an unknown type ends the walk: keep what was read
            guard let key = try? reader.string(field: "key"), let type = try? reader.integer(UInt32.self, field: "type"),
                let value = try? Self.value(type: type, from: reader)
            else { break }
            values[key] = value
        }
        if case .text(let name) = values["general.architecture"] { architecture = name }
        if let architecture, let length = values["\(architecture).context_length"]?.integer {
            contextLength = length
        }
        quantization = values["general.file_type"]?.integer.map(Self.fileTypeName)
    }

    /// A value of a GGUF type (`gguf_type`): integers and strings are kept, other values skipped.
    /// - Throws: ``GGUFReader/Failure`` when the bytes end, for an unknown type or an array of arrays.
    private static func value(type: UInt32, from reader: GGUFReader) throws(GGUFReader.Failure) -> Value {
        switch type {
        case 0: return .number(Int(try reader.integer(UInt8.self, field: "value")))
        case 1: return .number(Int(try reader.integer(Int8.self, field: "value")))
        case 2: return .number(Int(try reader.integer(UInt16.self, field: "value")))
        case 3: return .number(Int(try reader.integer(Int16.self, field: "value")))
        case 4: return .number(Int(try reader.integer(UInt32.self, field: "value")))
        case 5: return .number(Int(try reader.integer(Int32.self, field: "value")))
        case 10: return .number(Int(clamping: try reader.integer(UInt64.self, field: "value")))
        case 11: return .number(Int(try reader.integer(Int64.self, field: "value")))
        case 6: try reader.skip(4, field: "value")
        case 7: try reader.skip(1, field: "value")
        case 12: try reader.skip(8, field: "value")
        case 8: return .text(try reader.string(field: "value"))
        case 9:  // an array: an element type, a `UInt64` count, then the elements
            let elementType = try reader.integer(UInt32.self, field: "array type")
            // gguf.h has no arrays of arrays; following them would recurse once per level, as deep as the file says
            guard elementType != 9 else { throw .malformed(field: "array type", reason: "arrays of arrays are not supported") }
            let count = try reader.length(field: "array count")
            for _ in 0..<count { _ = try value(type: elementType, from: reader) }
        default: throw .malformed(field: "type", reason: "unknown type \(type)")
        }
        return .skipped
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
