import CLlama
import Foundation

/// Chat templates through libllama's own formatter, `llama_chat_apply_template` (which recognises the built-in
/// templates by name or by their Jinja text; it is not a Jinja interpreter).
enum LlamaChatTemplate {
    /// The template names libllama knows (`llama_chat_builtin_templates`).
    static let builtInNames: [String] = {
        let count = Int(llama_chat_builtin_templates(nil, 0))
        guard count > 0 else { return [] }
        var names = [UnsafePointer<CChar>?](repeating: nil, count: count)
        let filled = Int(llama_chat_builtin_templates(&names, count))
        return names.prefix(max(0, filled)).compactMap { $0.map { String(cString: $0) } }
    }()

    /// Formats `messages` with `template` and opens the assistant's turn.
    /// - Parameters:
    ///   - template: A built-in name or a template's text.
    ///   - messages: The conversation.
    /// - Returns: The prompt text, or `nil` when libllama does not recognise the template.
    static func apply(_ template: String, to messages: [ChatMessage]) -> String? {
        let roles = messages.map { strdup($0.role.rawValue) }
        let contents = messages.map { strdup($0.content) }
        defer {
            roles.forEach { free($0) }
            contents.forEach { free($0) }
        }
        let chat = zip(roles, contents).map { llama_chat_message(role: $0, content: $1) }
        let textBytes = messages.reduce(0) { $0 + $1.content.utf8.count + $1.role.rawValue.utf8.count }
        var capacity = max(256, 2 * textBytes + 64 * messages.count)
        for _ in 0..<2 {
            var buffer = [CChar](repeating: 0, count: capacity)
            let length = Int(llama_chat_apply_template(template, chat, chat.count, true, &buffer, Int32(clamping: capacity)))
            if length < 0 { return nil }
            if length <= capacity {
                return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            capacity = length
        }
        return nil
    }
}
