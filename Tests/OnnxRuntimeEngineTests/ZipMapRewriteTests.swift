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
