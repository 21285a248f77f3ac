public import Foundation

/// The private identity of one load of a model: unique per load, so a reload gets a new id.
///
/// Callers address models by their public name; the id tells events and logs of two loads of the same name apart.
public struct ModelID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The underlying unique value.
    public let uuid: UUID

    /// Creates a fresh, unique id.
    public init() { uuid = UUID() }

    /// Creates an id from an existing UUID.
    /// - Parameter uuid: The value to wrap.
    public init(uuid: UUID) { self.uuid = uuid }

    /// The first eight hex digits of the UUID, enough to tell loads apart in logs.
    public var description: String { String(uuid.uuidString.prefix(8)).lowercased() }
}
