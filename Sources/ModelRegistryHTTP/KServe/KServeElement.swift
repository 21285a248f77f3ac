/// One element of a KServe JSON `data` array, kept as the request wrote it: an integer stays an integer, a boolean a
/// boolean, a string a string, so each datatype decides what it accepts (``KServeDatatype``) instead of reading
/// `true` as 1 or `2.7` as 2.
///
/// JSON has no NaN or infinity: a floating-point datatype reads and writes them as the strings `"NaN"`,
/// `"Infinity"` and `"-Infinity"` (what the response encoder writes, so an output can be sent back as an input),
/// and also reads the bare tokens `NaN`, `Infinity` and `-Infinity` that Python's `json` and tritonclient's
/// `rapidjson` write (the infer body is read as JSON5 for them).
enum KServeElement: Sendable, Hashable, Codable, CustomStringConvertible {
    case int(Int64)
    /// An integer above `Int64.max` (only a `UINT64` can hold it).
    case uint(UInt64)
    case float(Float)
    case double(Double)
    case bool(Bool)
    case string(String)

    /// The strings that stand for the floating-point values JSON cannot write.
    static let nonFiniteNames: [String: Double] = ["NaN": .nan, "Infinity": .infinity, "-Infinity": -.infinity]

    /// The element as a `Double`: a number, or one of ``nonFiniteNames``; `nil` for a boolean or another string.
    var double: Double? {
        switch self {
        case .int(let value): Double(value)
        case .uint(let value): Double(value)
        case .float(let value): Double(value)
        case .double(let value): value
        case .string(let name): Self.nonFiniteNames[name]
        case .bool: nil
        }
    }

    /// The element as a `T` when it is a whole number `T` holds (`2.0` is, `2.7`, `-1` for an unsigned type and
    /// `300` for `Int8` are not); `nil` otherwise and for a boolean or a string.
    func integer<T: FixedWidthInteger>(as type: T.Type = T.self) -> T? {
        switch self {
        case .int(let value): T(exactly: value)
        case .uint(let value): T(exactly: value)
        case .float(let value): T(exactly: value)
        case .double(let value): T(exactly: value)
        case .bool, .string: nil
        }
    }

    /// An integer output element.
    init<T: FixedWidthInteger>(integer value: T) {
        if let signed = Int64(exactly: value) { self = .int(signed) } else { self = .uint(UInt64(value)) }
    }

    /// As the request wrote it, e.g. `2.7`, `true` or `"a"`.
    var description: String {
        switch self {
        case .int(let value): "\(value)"
        case .uint(let value): "\(value)"
        case .float(let value): "\(value)"
        case .double(let value): "\(value)"
        case .bool(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .uint(value)  // before Double, which would round it
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)  // before the rarer kinds: each failed attempt throws, which costs
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let value): try container.encode(value)
        case .uint(let value): try container.encode(value)
        case .float(let value): try container.encode(value)  // NaN and ±infinity as strings (JSONCoding's encoder)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }
}

/// An element of a request's `data` that its datatype cannot hold as given.
struct KServeValueError: Error {
    /// Its position in the flattened `data`.
    let index: Int
    /// The element as given.
    let element: KServeElement
}

/// A KServe `data` field: a flat or nested array of elements (row-major).
struct KServeData: Decodable, Sendable {
    var values: [KServeElement]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let element = try? container.decode(KServeElement.self) {
            values = [element]
        } else {
            values = try container.decode([KServeData].self).flatMap(\.values)
        }
    }
}
