import Foundation
import OnnxRuntimeEngine

/// The binary tensor data extension of the KServe v2 protocol (Triton's `binary_data`), which `tritonclient` uses
/// by default: a body is a JSON header of `Inference-Header-Content-Length` bytes followed by the tensors' raw
/// bytes, in the order of the inputs (or outputs) that carry `"binary_data_size"`.
///
/// Element bytes are little-endian and row-major, as ``Tensor/withUnsafeElementBytes(_:)`` lays them out (`BOOL`
/// one byte each); a `BYTES` element is a 4-byte little-endian length followed by that many bytes.
enum KServeBinaryData {
    /// The header naming the JSON part's length.
    static let headerLengthField = "inference-header-content-length"

    /// Splits a request body into its JSON header and the binary data after it.
    /// - Parameters:
    ///   - body: The request body.
    ///   - headerLength: The `Inference-Header-Content-Length` value, if the request has one.
    /// - Throws: ``HTTPError`` 400 when the length is not a number within the body.
    static func split(_ body: Data, headerLength: String?) throws(HTTPError) -> (json: Data, binary: Data) {
        guard let headerLength else { return (body, Data()) }
        guard let length = Int(headerLength.trimmingCharacters(in: .whitespaces)), (0...body.count).contains(length) else {
            throw HTTPError(
                status: 400, code: "invalid_request",
                message: "Inference-Header-Content-Length \"\(headerLength)\" is not a length within the \(body.count)-byte body")
        }
        return (body.prefix(length), body.dropFirst(length))
    }

    /// The tensor an input's binary data holds.
    /// - Parameters:
    ///   - datatype: The input's datatype.
    ///   - shape: Its shape (dimensions checked to be 0 or more).
    ///   - bytes: Its binary data.
    /// - Returns: The tensor, or why the bytes do not fit the datatype and shape.
    static func tensor(_ datatype: KServeDatatype, shape: [Int], bytes: Data) -> Result<Tensor, BinaryMismatch> {
        guard datatype.elementType == .string else {
            let width = datatype.elementType.byteWidth ?? 0
            let expected = (Tensor.elementCount(of: shape) ?? 0).multipliedReportingOverflow(by: width)
            guard !expected.overflow, expected.partialValue == bytes.count,
                let tensor = Tensor(shape: shape, elementType: datatype.elementType, bytes: bytes)
            else { return .failure(.size(expected: expected.overflow ? nil : expected.partialValue, given: bytes.count)) }
            return .success(tensor)
        }
        var strings: [String] = []
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            guard bytes.endIndex - offset >= 4 else { return .failure(.truncatedString(element: strings.count)) }
            let length = bytes[offset..<offset + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
            offset += 4
            guard bytes.endIndex - offset >= length else { return .failure(.truncatedString(element: strings.count)) }
            guard let string = String(bytes: bytes[offset..<offset + length], encoding: .utf8) else {
                return .failure(.notUTF8(element: strings.count))
            }
            strings.append(string)
            offset += length
        }
        guard strings.count == Tensor.elementCount(of: shape) else {
            return .failure(.stringCount(expected: Tensor.elementCount(of: shape) ?? 0, given: strings.count))
        }
        return .success(Tensor(shape: shape, strings: strings))
    }

    /// The binary data of a tensor (``Tensor/withUnsafeElementBytes(_:)``, or length-prefixed strings).
    static func bytes(of tensor: Tensor) -> Data {
        if let raw = tensor.withUnsafeElementBytes({ Data($0) }) { return raw }
        var data = Data()
        for string in tensor.strings ?? [] {
            let utf8 = Array(string.utf8)
            withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: utf8)
        }
        return data
    }

    /// Why an input's binary data does not fit its datatype and shape.
    enum BinaryMismatch: Error, CustomStringConvertible {
        /// A fixed-width datatype's byte count differs from the shape's (`nil`: the shape's overflows).
        case size(expected: Int?, given: Int)
        /// `BYTES`: an element's length prefix or bytes run past the data.
        case truncatedString(element: Int)
        /// `BYTES`: an element is not UTF-8.
        case notUTF8(element: Int)
        /// `BYTES`: the data holds another number of elements than the shape.
        case stringCount(expected: Int, given: Int)

        var description: String {
            switch self {
            case .size(let expected?, let given): "the shape calls for \(expected) bytes but binary_data_size is \(given)"
            case .size(nil, let given): "the shape calls for more bytes than any tensor holds (binary_data_size \(given))"
            case .truncatedString(let element): "BYTES element \(element) runs past the binary data"
            case .notUTF8(let element): "BYTES element \(element) is not UTF-8"
            case .stringCount(let expected, let given): "the shape holds \(expected) BYTES elements but \(given) were given"
            }
        }
    }
}
