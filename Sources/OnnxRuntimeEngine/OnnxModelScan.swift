import Foundation

/// Finds out, from the protobuf wire format alone, what in an ONNX file needs care before ONNX Runtime sees it:
/// sparse tensors and tensors whose data lives in external files, in the main graph, any subgraph, or the body of a
/// model-local function (`ModelProto.functions`, which ORT inlines into the graph).
///
/// - Sparse tensors: sparse initializers (`GraphProto.sparse_initializer`) or sparse attribute values
///   (`AttributeProto.sparse_tensor(s)`, e.g. a `Constant` with `sparse_value`). ONNX Runtime 1.23.2 does not check a
///   sparse tensor's indices against its dense shape while it creates a session and reads out of bounds on one that
///   lies (a segmentation fault of the whole process; onnxruntime issue #19681). Such files are the ones
///   ``OnnxRuntimeEngine`` preflights in a child process in `auto` mode.
/// - External data (`TensorProto.external_data` or `data_location: EXTERNAL`): such a model must be opened from its
///   path, so that ORT finds the data files beside it; ``OnnxZipMapRewrite`` leaves it alone.
///
/// Large fields (the weights) are skipped, not read.
enum OnnxModelScan {
    /// What the scan found.
    struct Findings: Equatable {
        var sparseTensors = false
        var externalData = false
    }

    /// Whether the file at `path` holds sparse tensors; `true` also when its bytes cannot be walked (the child then
    /// decides), `false` when it cannot be read (the in-process load reports why). The file is memory-mapped.
    static func containsSparseTensors(path: String) -> Bool {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return false }
        return data.withUnsafeBytes { raw in
            (try? scan(raw.bindMemory(to: UInt8.self)).sparseTensors) ?? true
        }
    }

    /// The main graph's tensor inputs and outputs that declare no shape at all (`TypeProto.Tensor` without `shape`),
    /// by name: their rank is not known. ONNX Runtime reports them with no dimensions, as it reports a scalar, so the
    /// engine would otherwise take them for scalars and refuse every tensor of rank 1 or more. Empty when the file
    /// cannot be read or walked (the load reports why, or ORT reads it in its own way).
    static func unshapedTensors(path: String) -> (inputs: Set<String>, outputs: Set<String>) {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return ([], []) }
        return data.withUnsafeBytes { raw in
            (try? unshapedTensors(ProtobufWire.Reader(bytes: raw.bindMemory(to: UInt8.self)))) ?? ([], [])
        }
    }

    /// `ModelProto.graph` (7) → `GraphProto.input` (11) / `output` (12) → `ValueInfoProto.name` (1) and `type` (2)
    /// → `TypeProto.tensor_type` (1) → `TypeProto.Tensor.shape` (2).
    private static func unshapedTensors(_ reader: ProtobufWire.Reader) throws -> (inputs: Set<String>, outputs: Set<String>) {
        func fields(_ range: Range<Int>, numbered number: UInt64) throws -> [Range<Int>] {
            var found: [Range<Int>] = []
            try reader.forEachField(in: range) { if $0.number == number, $0.wireType == 2 { found.append($0.payload) } }
            return found
        }
        var inputs: Set<String> = []
        var outputs: Set<String> = []
        for graph in try fields(0..<reader.bytes.count, numbered: 7) {
            var values: [(UInt64, Range<Int>)] = []
            try reader.forEachField(in: graph) { field in
                if field.wireType == 2, field.number == 11 || field.number == 12 { values.append((field.number, field.payload)) }
            }
            for (number, value) in values {
                guard let name = try fields(value, numbered: 1).last.map(reader.string) else { continue }
                for type in try fields(value, numbered: 2) {
                    for tensor in try fields(type, numbered: 1) where try fields(tensor, numbered: 2).isEmpty {
                        if number == 11 { inputs.insert(name) } else { outputs.insert(name) }
                    }
                }
            }
        }
        return (inputs, outputs)
    }

    /// Scans a whole model.
    /// - Throws: ``ProtobufWire/Malformed`` when the bytes are not a protobuf message (or nest too deeply).
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Findings {
        var walker = Walker(reader: ProtobufWire.Reader(bytes: bytes))
        try walker.scan(0..<bytes.count, message: .model)
        return walker.findings
    }

    /// The messages on the way to a sparse tensor or a tensor's data location, with the fields that lead on.
    private enum Message {
        case model, graph, function, node, attribute, tensor, sparseTensor

        /// The message a field holds, when it is one worth scanning.
        func next(_ number: UInt64) -> Message? {
            switch (self, number) {
            case (.model, 7): .graph
            case (.model, 25): .function  // model-local functions, whose bodies ORT inlines
            case (.function, 7): .node
            case (.function, 11): .attribute  // attribute_proto: the defaults of the function's attributes
            case (.graph, 1): .node
            case (.graph, 5): .tensor
            case (.graph, 15): .sparseTensor
            case (.node, 5): .attribute
            case (.attribute, 5), (.attribute, 10): .tensor
            case (.attribute, 6), (.attribute, 11): .graph
            case (.attribute, 22), (.attribute, 23): .sparseTensor
            case (.sparseTensor, 1), (.sparseTensor, 2): .tensor
            default: nil
            }
        }
    }

    private struct Walker {
        let reader: ProtobufWire.Reader
        var findings = Findings()
        var depth = 0

        mutating func scan(_ range: Range<Int>, message: Message) throws {
            depth += 1
            defer { depth -= 1 }
            guard depth < 64 else { throw ProtobufWire.Malformed() }
            if message == .sparseTensor { findings.sparseTensors = true }
            var nested: [(Range<Int>, Message)] = []
            try reader.forEachField(in: range) { field in
                if message == .tensor, field.number == 13 || (field.number == 14 && field.varint == 1) {
                    findings.externalData = true  // external_data entries, or data_location EXTERNAL
                }
                if field.wireType == 2, let next = message.next(field.number) { nested.append((field.payload, next)) }
            }
            for (payload, next) in nested {
                guard findings != Findings(sparseTensors: true, externalData: true) else { return }
                try scan(payload, message: next)
            }
        }
    }
}
