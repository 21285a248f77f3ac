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
    /// A duration from a number of seconds as configuration files write it, to the millisecond: the one way the
    /// package decodes seconds.
    init(seconds: Double) { self = .milliseconds(Int64((seconds * 1000).rounded())) }
}

extension KeyedDecodingContainer {
    /// Decodes an optional number of seconds (see ``Swift/Duration/init(seconds:)``).
    func decodeSecondsIfPresent(forKey key: Key) throws -> Duration? {
        try decodeIfPresent(Double.self, forKey: key).map(Duration.init(seconds:))
    }
}
