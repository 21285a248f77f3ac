import Foundation

/// The one account of a `DecodingError` that configuration files and catalog files both report: where it happened
/// and what is wrong, in words a person can act on.
struct DecodingFailure {
    /// The coding path to the field, e.g. `models`, `iris`, `path`.
    let path: [any CodingKey]
    /// What is wrong, e.g. `required field is missing` or `expected Int: …`.
    let reason: String

    init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            (path, reason) = (context.codingPath + [key], "required field is missing")
        case .typeMismatch(let type, let context):
            (path, reason) = (context.codingPath, "expected \(type): \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            (path, reason) = (context.codingPath, "expected \(type), found null")
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            let detail = underlying ?? context.debugDescription
            (path, reason) = (context.codingPath, context.codingPath.isEmpty ? "not valid JSON: \(detail)" : detail)
        @unknown default:
            (path, reason) = ([], "\(error)")
        }
    }

    /// `versions[2].stage` for the path, or `(top level)`.
    var fieldPath: String {
        guard !path.isEmpty else { return "(top level)" }
        return path.reduce(into: "") { text, key in
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
    }
}

extension Duration {
    /// The most seconds a configuration may give: about 31,700 years, far below where milliseconds overflow `Int64`.
    static let maximumConfiguredSeconds = 1e12

    /// A duration from a number of seconds as configuration files write it, to the millisecond: the one way the
    /// package decodes seconds; `nil` when the number is not finite or its size exceeds
    /// ``maximumConfiguredSeconds`` (`1e300` must be an error, not an overflow trap).
    init?(seconds: Double) {
        guard seconds.isFinite, abs(seconds) <= Self.maximumConfiguredSeconds else { return nil }
        self = .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

extension KeyedDecodingContainer {
    /// Decodes an optional number of seconds (see ``Swift/Duration/init(seconds:)``).
    /// - Throws: `DecodingError.dataCorrupted` for a number out of range; what decoding a `Double` throws.
    func decodeSecondsIfPresent(forKey key: Key) throws -> Duration? {
        guard let seconds = try decodeIfPresent(Double.self, forKey: key) else { return nil }
        guard let duration = Duration(seconds: seconds) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "\(seconds) seconds is out of range (at most \(Duration.maximumConfiguredSeconds))")
        }
        return duration
    }
}
