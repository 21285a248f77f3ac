/// The metadata value types of the GGUF format (`enum gguf_type` in ggml's `gguf.h`).
enum GGUFValueType: UInt32 {
    case uint8 = 0, int8, uint16, int16, uint32, int32, float32, bool, string, array, uint64, int64, float64

    /// The size of one value, or `nil` for strings and arrays (which carry their own lengths).
    var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64: 8
        case .string, .array: nil
        }
    }
}

/// The storage layout of a ggml tensor type: elements per block and bytes per block.
///
/// The table mirrors `ggml_blck_size`/`ggml_type_size` of the ggml that libllama 0.5.0 (llama-cpp-python 0.3.36)
/// ships. A type this table does not know is refused: libllama would refuse it too, or the table needs updating.
struct GGMLTypeLayout: Sendable, Hashable {
    /// Elements per block.
    let blockSize: Int
    /// Bytes per block.
    let typeSize: Int
    /// ggml's name for the type, e.g. `q4_K`.
    let name: String

    /// The layout of a ggml type id, or `nil` for unknown or removed types.
    /// - Parameter id: The `ggml_type` value stored in a tensor info.
    static func of(_ id: UInt32) -> GGMLTypeLayout? {
        guard let entry = table[id] else { return nil }
        return GGMLTypeLayout(blockSize: entry.block, typeSize: entry.size, name: entry.name)
    }

    private static let table: [UInt32: (name: String, block: Int, size: Int)] = [
        0: ("f32", 1, 4), 1: ("f16", 1, 2), 2: ("q4_0", 32, 18), 3: ("q4_1", 32, 20), 6: ("q5_0", 32, 22),
        7: ("q5_1", 32, 24), 8: ("q8_0", 32, 34), 9: ("q8_1", 32, 36), 10: ("q2_K", 256, 84), 11: ("q3_K", 256, 110),
        12: ("q4_K", 256, 144), 13: ("q5_K", 256, 176), 14: ("q6_K", 256, 210), 15: ("q8_K", 256, 292),
        16: ("iq2_xxs", 256, 66), 17: ("iq2_xs", 256, 74), 18: ("iq3_xxs", 256, 98), 19: ("iq1_s", 256, 50),
        20: ("iq4_nl", 32, 18), 21: ("iq3_s", 256, 110), 22: ("iq2_s", 256, 82), 23: ("iq4_xs", 256, 136),
        24: ("i8", 1, 1), 25: ("i16", 1, 2), 26: ("i32", 1, 4), 27: ("i64", 1, 8), 28: ("f64", 1, 8),
        29: ("iq1_m", 256, 56), 30: ("bf16", 1, 2), 34: ("tq1_0", 256, 54), 35: ("tq2_0", 256, 66),
        39: ("mxfp4", 32, 17), 40: ("nvfp4", 64, 36), 41: ("q1_0", 128, 18), 42: ("q2_0", 64, 18),
    ]
}

/// What ``GGUFValidator`` learned about a valid file.
public struct GGUFSummary: Sendable, Hashable {
    /// The GGUF format version (2 or 3).
    public var version: UInt32
    /// The number of metadata key/value pairs.
    public var metadataCount: Int
    /// The number of tensors.
    public var tensorCount: Int
    /// `general.architecture`, e.g. `"llama"`, when present.
    public var architecture: String?
    /// The number of tokens in `tokenizer.ggml.tokens`, when present.
    public var vocabularySize: Int?
    /// The file offset where tensor data starts.
    public var dataOffset: Int
    /// The bytes of tensor data the tensor infos declare (with alignment padding).
    public var dataSize: Int
    /// The file's size in bytes.
    public var fileSize: Int
}
