import Foundation

/// Lets ONNX Runtime stop before a model's final `ZipMap`s, so the engine builds their maps in Swift
/// (``ZipMapShortcut``): the model's bytes without those ZipMaps, and with each ZipMap's input tensor as a graph
/// output in place of the ZipMap's own.
///
/// scikit-learn classifiers exported to ONNX end in a ZipMap (`ai.onnx.ml`), which turns the `[rows, classes]`
/// probability tensor into a sequence of maps from class label to probability. ORT's C API can only read such a
/// sequence by copying every map out of it, and then its keys and its values again, each into a new value
/// (`GetValue`): for a 3-row iris batch that was more than half of a run. The tensor the ZipMap reads holds the same
/// numbers, and the labels are the node's attribute, so the engine asks ORT for that tensor instead and zips it
/// itself, giving values equal to ORT's (keys in ascending order, as ORT's `std::map` orders them). The ZipMap node
/// itself is removed: ORT runs every node of a graph on every run, whichever outputs are fetched, and building the
/// maps nobody reads cost a quarter of ORT's own time on iris.
///
/// What callers see does not change: the engine still declares the ZipMap's output, at its place and with its type
/// (``OnnxModelInfo`` never shows the tensor added in its stead), and ``OnnxRuntimeEngine/withRun(_:outputs:_:)``
/// still hands over a sequence of maps, not a tensor. Only a ZipMap that ends the graph is removed: its output is
/// declared and read by no node, and the graph has no subgraph that could read it by name. A model is left as it is
/// when its file is larger than ``maximumFileSize`` (the rewrite holds a copy in memory), when its tensors use
/// external data (it must be opened from its path), when it holds sparse tensors, or when its bytes cannot be
/// walked.
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

    /// The rewritten model, the ZipMaps it removed, and the outputs the original graph declares.
    package struct Rewritten {
        /// The model's bytes, rewritten.
        package let model: [UInt8]
        /// The ZipMaps removed, in the order their inputs were appended as outputs.
        package let zipMaps: [Node]
        /// The original graph's output names, in order: the ZipMaps' outputs among them.
        package let declaredOutputs: [String]
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
        let walk = try GraphWalk(graph.payload, reader: reader)
        let zipMaps = walk.finalZipMaps
        guard !zipMaps.isEmpty else { return nil }
        // Only a model that has something to rewrite is walked whole (every subgraph and tensor).
        let findings = try OnnxModelScan.scan(bytes)
        guard !findings.externalData, !findings.sparseTensors else { return nil }
        // The graph without the ZipMap nodes and their outputs, plus one output (ValueInfoProto: name, type
        // tensor(float)) per ZipMap input.
        let removedNodes = Set(zipMaps.compactMap { walk.nodeExtents[$0.output] })
        let removedOutputs = Set(zipMaps.map(\.output))
        var newGraph: [UInt8] = []
        newGraph.reserveCapacity(graph.payload.count + 64)
        try reader.forEachField(in: graph.payload) { field in
            if field.number == 1, removedNodes.contains(field.extent) { return }
            if field.number == 12, let name = walk.outputNames[field.extent], removedOutputs.contains(name) { return }
            newGraph += bytes[field.extent]
        }
        for node in zipMaps {
            let tensorType = ProtobufWire.field(1, varint: 1)  // TypeProto.Tensor.elem_type = FLOAT
            let type = ProtobufWire.field(1, payload: tensorType)  // TypeProto.tensor_type
            let valueInfo = ProtobufWire.field(1, payload: Array(node.input.utf8)) + ProtobufWire.field(2, payload: type)
            newGraph += ProtobufWire.field(12, payload: valueInfo)  // GraphProto.output
        }
        let model = Array(bytes[0..<graph.extent.lowerBound]) + ProtobufWire.field(7, payload: newGraph)
            + Array(bytes[graph.extent.upperBound..<bytes.count])
        return Rewritten(model: model, zipMaps: zipMaps, declaredOutputs: walk.outputOrder)
    }

    /// What the rewrite needs to know of the main graph, from one pass over its fields.
    private struct GraphWalk {
        /// The ZipMaps, with where their NodeProto lies, by output name.
        var zipMaps: [Node] = []
        var nodeExtents: [String: Range<Int>] = [:]
        /// The names every node reads.
        var consumed: Set<String> = []
        /// Whether some node holds a subgraph (an attribute `g` or `graphs`), which may read any outer name.
        var hasSubgraphs = false
        var inputs: Set<String> = []
        /// The graph outputs, in order, and the name of each by where its ValueInfoProto lies.
        var outputOrder: [String] = []
        var outputNames: [Range<Int>: String] = [:]

        init(_ graph: Range<Int>, reader: ProtobufWire.Reader) throws {
            try reader.forEachField(in: graph) { field in
                guard field.wireType == 2 else { return }
                switch field.number {
                case 1:
                    let node = try OnnxZipMapRewrite.node(field.payload, reader: reader)
                    consumed.formUnion(node.inputs)
                    hasSubgraphs = hasSubgraphs || node.hasSubgraphs
                    if let zipMap = node.zipMap {
                        zipMaps.append(zipMap)
                        nodeExtents[zipMap.output] = field.extent
                    }
                case 11, 12:
                    var name = ""
                    try reader.forEachField(in: field.payload) {
                        if $0.number == 1, $0.wireType == 2 { name = reader.string($0.payload) }
                    }
                    if field.number == 11 {
                        inputs.insert(name)
                    } else {
                        outputOrder.append(name)
                        outputNames[field.extent] = name
                    }
                default: break
                }
            }
        }

        /// The ZipMaps that end the graph: output declared (once) and read by no node, input neither a graph input
        /// nor output; none when a subgraph could read a name unseen, or when two ZipMaps read one tensor (the same
        /// output would be added twice).
        var finalZipMaps: [Node] {
            guard !hasSubgraphs else { return [] }
            let outputs = Set(outputOrder)
            let final = zipMaps.filter { node in
                outputOrder.filter { $0 == node.output }.count == 1 && !consumed.contains(node.output)
                    && !outputs.contains(node.input) && !inputs.contains(node.input)
            }
            return Set(final.map(\.input)).count == final.count ? final : []
        }
    }

    /// What the rewrite reads of one NodeProto: its inputs, whether it holds a subgraph, and the node as a
    /// ``Node`` when it is a ZipMap with one input, one output and one kind of labels.
    private static func node(
        _ range: Range<Int>, reader: ProtobufWire.Reader
    ) throws -> (inputs: [String], hasSubgraphs: Bool, zipMap: Node?) {
        var inputs: [String] = [], outputs: [String] = [], opType = "", domain = ""
        var integers: [Int64] = [], strings: [[UInt8]] = []
        var hasSubgraphs = false
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
                    case 6, 11: hasSubgraphs = true  // AttributeProto.g, AttributeProto.graphs
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
            !inputs[0].isEmpty, !outputs[0].isEmpty, integers.isEmpty != strings.isEmpty
        else { return (inputs, hasSubgraphs, nil) }
        let zipMap = Node(
            output: outputs[0], input: inputs[0],
            labels: integers.isEmpty ? .strings(strings) : .int64s(integers))
        return (inputs, hasSubgraphs, zipMap)
    }
}
