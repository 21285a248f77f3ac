import Foundation

/// Lets ONNX Runtime stop before a model's final `ZipMap`s, so the engine builds their maps in Swift
/// (``ZipMapShortcut``): the model's bytes with each ZipMap's input tensor added as one more graph output.
///
/// scikit-learn classifiers exported to ONNX end in a ZipMap (`ai.onnx.ml`), which turns the `[rows, classes]`
/// probability tensor into a sequence of maps from class label to probability. ORT's C API can only read such a
/// sequence by copying every map out of it, and then its keys and its values again, each into a new value
/// (`GetValue`): for a 3-row iris batch that was more than half of a run. The tensor the ZipMap reads holds the same
/// numbers, and the labels are the node's attribute, so the engine asks ORT for that tensor instead and zips it
/// itself, giving values equal to ORT's (keys in ascending order, as ORT's `std::map` orders them).
///
/// Nothing else changes: the graph keeps its ZipMap and its declared outputs (a run that asks for the in-place
/// outputs, ``OnnxRuntimeEngine/withRun(_:outputs:_:)``, still gets ORT's sequence), and the added output is hidden
/// from ``OnnxModelInfo``. A model is left as it is when its file is larger than ``maximumFileSize`` (the rewrite
/// holds a copy in memory), when its tensors use external data (it must be opened from its path), when it holds
/// sparse tensors, or when its bytes cannot be walked.
package enum OnnxZipMapRewrite {
    /// Files larger than this are opened unchanged.
    static let maximumFileSize = 64 << 20

    /// A ZipMap whose output is a graph output.
    package struct Node: Equatable {
        /// The ZipMap's output: a declared graph output.
        package let output: String
        /// The ZipMap's input, the `float` tensor added as a graph output.
        package let input: String
        /// The node's class labels, in attribute order.
        package let labels: ZipMapShortcut.Labels
    }

    /// The rewritten model and the ZipMaps it exposes the input of, in the order their outputs were appended.
    package struct Rewritten {
        /// The model's bytes with the outputs added.
        package let model: [UInt8]
        /// The ZipMaps whose input was added, in order.
        package let zipMaps: [Node]
    }

    /// Reads the file at `path` and rewrites it, or `nil` when it has no final ZipMap or is left as it is.
    package static func rewrite(path: String) -> Rewritten? {
        // Mapped, so a file over the limit costs no read.
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped),
            data.count <= maximumFileSize
        else { return nil }
        return data.withUnsafeBytes { raw in try? rewrite(raw.bindMemory(to: UInt8.self)) } ?? nil
    }

    /// Rewrites a model held in memory.
    /// - Returns: `nil` when there is nothing to rewrite or the model is left as it is.
    /// - Throws: ``ProtobufWire/Malformed``.
    static func rewrite(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Rewritten? {
        let reader = ProtobufWire.Reader(bytes: bytes)
        var graphField: ProtobufWire.Field?
        var graphFields = 0
        try reader.forEachField(in: 0..<bytes.count) { field in
            if field.number == 7, field.wireType == 2 {
                graphField = field
                graphFields += 1
            }
        }
        guard let graph = graphField, graphFields == 1 else { return nil }
        let zipMaps = try finalZipMaps(in: graph.payload, reader: reader)
        guard !zipMaps.isEmpty else { return nil }
        // Only a model that has something to rewrite is walked whole (every subgraph and tensor).
        let findings = try OnnxModelScan.scan(bytes)
        guard !findings.externalData, !findings.sparseTensors else { return nil }
        // The graph with one more output (ValueInfoProto: name, type tensor(float)) per ZipMap input.
        var newGraph = Array(bytes[graph.payload])
        for node in zipMaps {
            let tensorType = ProtobufWire.field(1, varint: 1)  // TypeProto.Tensor.elem_type = FLOAT
            let type = ProtobufWire.field(1, payload: tensorType)  // TypeProto.tensor_type
            let valueInfo = ProtobufWire.field(1, payload: Array(node.input.utf8)) + ProtobufWire.field(2, payload: type)
            newGraph += ProtobufWire.field(12, payload: valueInfo)  // GraphProto.output
        }
        let model = Array(bytes[0..<graph.extent.lowerBound]) + ProtobufWire.field(7, payload: newGraph)
            + Array(bytes[graph.extent.upperBound..<bytes.count])
        return Rewritten(model: model, zipMaps: zipMaps)
    }

    /// The main graph's ZipMaps that end the graph: output declared, input neither a graph input nor output.
    private static func finalZipMaps(in graph: Range<Int>, reader: ProtobufWire.Reader) throws -> [Node] {
        var nodes: [Node] = []
        var inputs: Set<String> = []
        var outputs: Set<String> = []
        try reader.forEachField(in: graph) { field in
            guard field.wireType == 2 else { return }
            switch field.number {
            case 1: if let node = try zipMap(field.payload, reader: reader) { nodes.append(node) }
            case 11, 12:
                var name = ""
                try reader.forEachField(in: field.payload) { if $0.number == 1, $0.wireType == 2 { name = reader.string($0.payload) } }
                if field.number == 11 { inputs.insert(name) } else { outputs.insert(name) }
            default: break
            }
        }
        let final = nodes.filter { outputs.contains($0.output) && !outputs.contains($0.input) && !inputs.contains($0.input) }
        // Two ZipMaps of one tensor would add the same output twice.
        return Set(final.map(\.input)).count == final.count ? final : []
    }

    /// A NodeProto, when it is a ZipMap with one input, one output and one kind of labels.
    private static func zipMap(_ range: Range<Int>, reader: ProtobufWire.Reader) throws -> Node? {
        var inputs: [String] = [], outputs: [String] = [], opType = "", domain = ""
        var integers: [Int64] = [], strings: [[UInt8]] = []
        try reader.forEachField(in: range) { field in
            switch (field.number, field.wireType) {
            case (1, 2): inputs.append(reader.string(field.payload))
            case (2, 2): outputs.append(reader.string(field.payload))
            case (4, 2): opType = reader.string(field.payload)
            case (7, 2): domain = reader.string(field.payload)
            case (5, 2):
                var name = ""
                var attributeIntegers: [Int64] = [], attributeStrings: [[UInt8]] = []
                try reader.forEachField(in: field.payload) { attribute in
                    switch attribute.number {
                    case 1 where attribute.wireType == 2: name = reader.string(attribute.payload)
                    case 8: attributeIntegers += try reader.varints(of: attribute).map { Int64(bitPattern: $0) }
                    case 9 where attribute.wireType == 2: attributeStrings.append(reader.bytes(attribute.payload))
                    default: break
                    }
                }
                if name == "classlabels_int64s" { integers = attributeIntegers }
                if name == "classlabels_strings" { strings = attributeStrings }
            default: break
            }
        }
        guard opType == "ZipMap", domain == "ai.onnx.ml", inputs.count == 1, outputs.count == 1,
            !inputs[0].isEmpty, integers.isEmpty != strings.isEmpty
        else { return nil }
        return Node(
            output: outputs[0], input: inputs[0],
            labels: integers.isEmpty ? .strings(strings) : .int64s(integers))
    }
}
