/// A string-backed name read from configuration files, such as ``EngineKind`` and ``ModelType``.
///
/// Conforming types get string-literal creation, JSON coding as a plain string, a description and a stable order.
public protocol ConfigurationName: RawRepresentable, Hashable, Sendable, Codable, Comparable,
    CustomStringConvertible, ExpressibleByStringLiteral where RawValue == String
{
    /// Creates the value from its configuration name.
    /// - Parameter rawValue: The name as written in a configuration file.
    init(rawValue: String)
}

extension ConfigurationName {
    /// Creates the value from its configuration name.
    /// - Parameter rawValue: The name as written in a configuration file.
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }

    /// Creates the value from a string literal.
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    /// The configuration name.
    public var description: String { rawValue }

    /// Orders values by name, so listings are stable.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
