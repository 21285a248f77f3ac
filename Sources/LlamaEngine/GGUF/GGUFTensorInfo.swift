/// One tensor info of a GGUF file, as the validator read it: the name, the shape in ggml order (`ne[0]`, the row
/// length, first), its ggml type, and where its data lies relative to the start of the data section.
struct GGUFTensorInfo: Sendable, Hashable {
    /// The tensor's name, e.g. `blk.0.attn_q.weight`.
    let name: String
    /// The dimensions in ggml order (`ne[0]` first), as stored in the file.
    let shape: [Int]
    /// The `ggml_type` id, e.g. 0 for `f32`.
    let typeID: UInt32
    /// ggml's name for the type, e.g. `q4_K`.
    let typeName: String
    /// The offset of the data from the start of the data section.
    let offset: Int
    /// The bytes of data its type and shape take.
    let size: Int

    /// The shape padded with 1s to ggml's four dimensions, which is how libllama compares shapes.
    var paddedShape: [Int] { shape + Array(repeating: 1, count: max(0, 4 - shape.count)) }
}
