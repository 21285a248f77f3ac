/// The protobuf wire format, as far as the engine reads and writes ONNX files itself: a field walker over a byte
/// buffer (``OnnxModelScan``) and the encoding of the few fields ``OnnxZipMapRewrite`` appends.
///
/// Only the wire types ONNX uses exist here: varints, 32- and 64-bit fixed values, and length-delimited fields.
/// Every length is checked against the enclosing message, so a corrupt file throws ``Malformed`` instead of reading
/// past its end.
enum ProtobufWire {
    /// The bytes are not valid protobuf.
    struct Malformed: Error {}

    /// One field of a message.
    struct Field {
        /// The field number.
        let number: UInt64
        /// The wire type: 0 varint, 1 fixed 64, 2 length-delimited, 5 fixed 32.
        let wireType: UInt64
        /// The value of a varint field.
        let varint: UInt64
        /// Where the payload of a length-delimited field lies (empty for other types).
        let payload: Range<Int>
        /// Where the whole field lies, key included.
        let extent: Range<Int>
    }

    /// Walks the fields of one message in a byte buffer.
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>

        /// Calls `body` with each field of the message at `range`, in order.
        /// - Throws: ``Malformed``, or what `body` throws.
        func forEachField(in range: Range<Int>, _ body: (Field) throws -> Void) throws {
            var cursor = range.lowerBound
            while cursor < range.upperBound {
                let start = cursor
                let key = try varint(&cursor, end: range.upperBound)
                var value: UInt64 = 0
                var payload = cursor..<cursor
                switch key & 7 {
                case 0: value = try varint(&cursor, end: range.upperBound)
                case 1: cursor += 8
                case 5: cursor += 4
                case 2:
                    let length = try varint(&cursor, end: range.upperBound)
                    guard length <= UInt64(range.upperBound - cursor) else { throw Malformed() }
                    payload = cursor..<(cursor + Int(length))
                    cursor = payload.upperBound
                default: throw Malformed()  // groups are not used by ONNX
                }
                guard cursor <= range.upperBound else { throw Malformed() }
                try body(Field(number: key >> 3, wireType: key & 7, varint: value, payload: payload,
                               extent: start..<cursor))
            }
        }

        /// The bytes of a length-delimited field.
        func bytes(_ range: Range<Int>) -> [UInt8] { Array(bytes[range]) }

        /// A length-delimited field as UTF-8 text.
        func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

        /// The varints of a repeated integer field, packed (one length-delimited field) or not (one per field).
        func varints(of field: Field) throws -> [UInt64] {
            if field.wireType == 0 { return [field.varint] }
            guard field.wireType == 2 else { throw Malformed() }
            var values: [UInt64] = []
            var cursor = field.payload.lowerBound
            while cursor < field.payload.upperBound { values.append(try varint(&cursor, end: field.payload.upperBound)) }
            return values
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

    /// The encoding of a varint.
    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var encoded: [UInt8] = []
        repeat {
            encoded.append(UInt8(value & 0x7F) | (value > 0x7F ? 0x80 : 0))
            value >>= 7
        } while value != 0
        return encoded
    }

    /// A varint field.
    static func field(_ number: UInt64, varint value: UInt64) -> [UInt8] { varint(number << 3) + varint(value) }

    /// A length-delimited field (a string, bytes or an embedded message).
    static func field(_ number: UInt64, payload: [UInt8]) -> [UInt8] {
        varint(number << 3 | 2) + varint(UInt64(payload.count)) + payload
    }
}
