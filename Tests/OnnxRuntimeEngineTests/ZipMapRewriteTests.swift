import Foundation
@testable import OnnxRuntimeEngine
import Testing

/// The model rewrite and the Swift ZipMap on their own: what they do with bytes that are not a model, and with a
/// tensor the ZipMap refuses.
@Suite(.timeLimit(.minutes(2))) struct ZipMapRewriteTests {
    @Test func iris_rewrite_addsTheZipMapInputAsOneMoreOutput() throws {
        let rewritten = try #require(OnnxZipMapRewrite.rewrite(path: try EngineFixtures.path(EngineFixtures.iris)))
        #expect(rewritten.zipMaps == [
            OnnxZipMapRewrite.Node(
                output: "probabilities", input: "probability_tensor_normalized", labels: .int64s([0, 1, 2]))
        ])
    }

    @Test func iris_rewrite_removesTheZipMapNode_andKeepsTheDeclaredOutputOrder() throws {
        let rewritten = try #require(OnnxZipMapRewrite.rewrite(path: try EngineFixtures.path(EngineFixtures.iris)))
        #expect(rewritten.declaredOutputs == ["label", "probabilities"])
        // ORT runs every node whatever is fetched: the rewritten graph has no ZipMap left to run.
        let again = try rewritten.model.withUnsafeBufferPointer { try OnnxZipMapRewrite.rewrite($0) }
        #expect(again == nil)
    }

    @Test func zipMapWhoseOutputANodeReads_isLeftAlone() throws {
        let ending = [HandBuiltModel.softmax, HandBuiltModel.zipMap]
        let plain = HandBuiltModel.bytes(nodes: ending, outputs: ["P"])
        #expect(try plain.withUnsafeBufferPointer { try OnnxZipMapRewrite.rewrite($0) }?.zipMaps.count == 1)
        let reader = HandBuiltModel.node("Identity", inputs: ["P"], outputs: ["Q"])
        let read = HandBuiltModel.bytes(nodes: ending + [reader], outputs: ["P", "Q"])
        #expect(try read.withUnsafeBufferPointer { try OnnxZipMapRewrite.rewrite($0) } == nil)
    }

    @Test func zipMapInAGraphWithASubgraph_isLeftAlone() throws {
        // A subgraph may read an outer name without listing it as its node's input.
        let branch = HandBuiltModel.graph(
            nodes: [HandBuiltModel.node("Identity", inputs: ["P"], outputs: ["R"])], outputs: ["R"])
        let attribute = ProtobufWire.field(1, payload: Array("then_branch".utf8)) + ProtobufWire.field(6, payload: branch)
        let withIf = HandBuiltModel.node("If", inputs: ["C"], outputs: ["R"], attributes: [attribute])
        let bytes = HandBuiltModel.bytes(
            nodes: [HandBuiltModel.softmax, HandBuiltModel.zipMap, withIf], outputs: ["P", "R"])
        #expect(try bytes.withUnsafeBufferPointer { try OnnxZipMapRewrite.rewrite($0) } == nil)
    }

    @Test func modelWithoutZipMap_isLeftAlone() throws {
        #expect(OnnxZipMapRewrite.rewrite(path: try EngineFixtures.path(EngineFixtures.sigmoid)) == nil)
    }

    @Test func truncatedOrGarbledModel_isLeftAloneWithoutCrashing() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try EngineFixtures.path(EngineFixtures.iris))))
        var garbled = bytes
        for index in stride(from: 3, to: garbled.count, by: 7) { garbled[index] ^= 0xA5 }
        var candidates = stride(from: 0, to: bytes.count, by: max(1, bytes.count / 40)).map { Array(bytes[..<$0]) }
        candidates.append(garbled)
        candidates.append([UInt8](repeating: 0xFF, count: 64))
        for candidate in candidates {
            let result = candidate.withUnsafeBufferPointer { try? OnnxZipMapRewrite.rewrite($0) }
            // Whatever the outcome, a rewrite of a broken file never claims a ZipMap the bytes do not hold.
            if let rewritten = result ?? nil { #expect(rewritten.zipMaps.allSatisfy { !$0.input.isEmpty }) }
        }
    }

    @Test func shortcut_rowsOfTheWrongWidth_failWithOrtsOwnMessage() {
        let shortcut = ZipMapShortcut(labels: .int64s([4, 2]), input: "S")
        let values: [Float] = [0.1, 0.2, 0.7]
        let result = values.withUnsafeBufferPointer { shortcut.value(data: $0.baseAddress, shape: [1, 3]) }
        #expect(throws: OnnxRuntimeStatus(
            code: .invalidArgument, message: "Input features_per_batch[3] != number of classlabels[2]")) {
            try result.get()
        }
        let threeDimensions = values.withUnsafeBufferPointer { shortcut.value(data: $0.baseAddress, shape: [1, 1, 3]) }
        #expect(throws: OnnxRuntimeStatus(code: .invalidArgument, message: "Zipmap only supports 1D or 2D input tensors")) {
            try threeDimensions.get()
        }
    }

    @Test func shortcut_labelsOutOfOrderAndRepeated_sortKeysAndKeepTheLastColumn() throws {
        let shortcut = ZipMapShortcut(labels: .strings([Array("b".utf8), Array("B".utf8), Array("b".utf8)]), input: "S")
        let values: [Float] = [0.25, 0.5, 0.75]
        let value = try values.withUnsafeBufferPointer { try shortcut.value(data: $0.baseAddress, shape: [3]).get() }
        #expect(value == .sequence([
            .map(keys: Tensor(shape: [2], strings: ["B", "b"]), values: Tensor(shape: [2], floats: [0.5, 0.75]))
        ]))
    }
}

/// A ModelProto written field by field, for graphs no exporter makes (a ZipMap whose output a node reads).
private enum HandBuiltModel {
    /// `Softmax(X) -> S`.
    static let softmax = node("Softmax", inputs: ["X"], outputs: ["S"])

    /// `ZipMap(S) -> P` with labels 0 and 1.
    static let zipMap: [UInt8] = {
        let labels = ProtobufWire.field(1, payload: Array("classlabels_int64s".utf8))
            + ProtobufWire.field(8, varint: 0) + ProtobufWire.field(8, varint: 1) + ProtobufWire.field(20, varint: 7)
        return node("ZipMap", inputs: ["S"], outputs: ["P"], domain: "ai.onnx.ml", attributes: [labels])
    }()

    /// A NodeProto.
    static func node(
        _ opType: String, inputs: [String], outputs: [String], domain: String = "", attributes: [[UInt8]] = []
    ) -> [UInt8] {
        var node = inputs.flatMap { ProtobufWire.field(1, payload: Array($0.utf8)) }
        node += outputs.flatMap { ProtobufWire.field(2, payload: Array($0.utf8)) }
        node += ProtobufWire.field(4, payload: Array(opType.utf8))
        node += attributes.flatMap { ProtobufWire.field(5, payload: $0) }
        if !domain.isEmpty { node += ProtobufWire.field(7, payload: Array(domain.utf8)) }
        return node
    }

    /// A GraphProto with input `X` and the outputs named.
    static func graph(nodes: [[UInt8]], outputs: [String]) -> [UInt8] {
        var graph = nodes.flatMap { ProtobufWire.field(1, payload: $0) }
        graph += ProtobufWire.field(11, payload: ProtobufWire.field(1, payload: Array("X".utf8)))
        graph += outputs.flatMap { ProtobufWire.field(12, payload: ProtobufWire.field(1, payload: Array($0.utf8))) }
        return graph
    }

    /// A ModelProto (IR version 9) holding the graph.
    static func bytes(nodes: [[UInt8]], outputs: [String]) -> [UInt8] {
        ProtobufWire.field(1, varint: 9) + ProtobufWire.field(7, payload: graph(nodes: nodes, outputs: outputs))
    }
}
