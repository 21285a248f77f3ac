/// How long a loaded model stays loaded once its last lease ends.
///
/// In configuration files: `"forever"`, or a number of seconds (`0` unloads as soon as the last lease ends).
public enum KeepAlive: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Never unload for idleness.
    case forever
    /// Unload after the model has been idle this long; `.zero` unloads when the last lease ends.
    case idle(Duration)

    /// `forever`, or the idle time.
    public var description: String {
        switch self {
        case .forever: "forever"
        case .idle(let duration): "\(duration)"
        }
    }

    /// Reads `"forever"` or a number of seconds.
    /// - Throws: `DecodingError.dataCorrupted` for any other value or a negative number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), text == "forever" {
            self = .forever
            return
        }
        guard let seconds = try? container.decode(Double.self), seconds >= 0, let duration = Duration(seconds: seconds)
        else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "keepAlive must be \"forever\" or a number of seconds (0 to \(Duration.maximumConfiguredSeconds))"))
        }
        self = .idle(duration)
    }

    /// Writes `"forever"` or a number of seconds.
    /// - Throws: `EncodingError` from the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .forever: try container.encode("forever")
        case .idle(let duration): try container.encode(duration.seconds)
        }
    }
}
