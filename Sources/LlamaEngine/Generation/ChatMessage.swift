/// One message of a conversation for ``LlamaEngine/chat(messages:options:)``.
///
/// ```swift
/// let messages = [ChatMessage(role: .system, content: "Answer briefly."), ChatMessage(role: .user, content: "Hi")]
/// ```
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who speaks.
    public enum Role: String, Sendable, Hashable, Codable {
        /// Instructions for the model.
        case system
        /// The person's turn.
        case user
        /// The model's earlier turn.
        case assistant
    }

    /// Who speaks.
    public var role: Role
    /// What they say.
    public var content: String

    /// Creates a message.
    /// - Parameters:
    ///   - role: Who speaks.
    ///   - content: What they say.
    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}
