import Foundation

/// Finds out, from the protobuf wire format alone, whether an ONNX file holds sparse tensors: sparse initializers
/// (`GraphProto.sparse_initializer`) or sparse attribute values (`AttributeProto.sparse_tensor(s)`, e.g. a
/// `Constant` with `sparse_value`), in the main graph or any subgraph.
///
/// ONNX Runtime 1.23.2 does not check a sparse tensor's indices against its dense shape while it creates a session
/// and reads out of bounds on one that lies (a segmentation fault of the whole process; onnxruntime issue #19681).
/// Such files are the ones ``OnnxRuntimeEngine`` preflights in a child process in `auto` mode. The file is
/// memory-mapped and large fields (the weights) are skipped, not read.
enum OnnxSparseTensorScan {
    /// Whether the file at `path` holds sparse tensors; `true` also when its bytes cannot be walked (the child then
    /// decides), `false` when it cannot be read (the in-process load reports why).
    static func containsSparseTensors(path: String) -> Bool {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return false }
        return data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var walker = Walker(bytes: bytes)
            return (try? walker.scan(0..<bytes.count, message: .model)) ?? true
        }
    }

    /// The messages on the way to a sparse tensor, with the fields that lead on.
    private enum Message {
        case model, graph, node, attribute

        /// The field that is itself a sparse tensor, or leads to a message to scan.
        func field(_ number: UInt64) -> (sparse: Bool, next: Message?) {
            switch (self, number) {
            case (.model, 7): (false, .graph)
            case (.graph, 1): (false, .node)
            case (.graph, 15): (true, nil)
            case (.node, 5): (false, .attribute)
            case (.attribute, 6), (.attribute, 11): (false, .graph)
            case (.attribute, 22), (.attribute, 23): (true, nil)
            default: (false, nil)
            }
        }
    }

    private struct Malformed: Error {}

    private struct Walker {
        let bytes: UnsafeBufferPointer<UInt8>
        var depth = 0

        mutating func scan(_ range: Range<Int>, message: Message) throws -> Bool {
            depth += 1
            defer { depth -= 1 }
            guard depth < 64 else { throw Malformed() }
            var cursor = range.lowerBound
            while cursor < range.upperBound {
                let key = try varint(&cursor, end: range.upperBound)
                let (sparse, next) = message.field(key >> 3)
                switch key & 7 {
                case 0: _ = try varint(&cursor, end: range.upperBound)
                case 1: cursor += 8
                case 5: cursor += 4
                case 2:
                    let length = try varint(&cursor, end: range.upperBound)
                    guard length <= UInt64(range.upperBound - cursor) else { throw Malformed() }
                    let field = cursor..<(cursor + Int(length))
                    if sparse { return true }
                    if let next, try scan(field, message: next) { return true }
                    cursor = field.upperBound
                default: throw Malformed()  // groups are not used by ONNX
                }
                guard cursor <= range.upperBound else { throw Malformed() }
            }
            return false
        }

        private func varint(_ cursor: inout Int, end: Int) throws -> UInt64 {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 7) {
                guard cursor < end else { throw Malformed() }
                let byte = bytes[cursor]
                cursor += 1
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte & 0x80 == 0 { return value }
            }
            throw Malformed()
        }
    }
}
