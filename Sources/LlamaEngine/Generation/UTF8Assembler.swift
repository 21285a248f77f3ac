/// Turns the bytes of successive tokens into text without splitting characters.
///
/// A token may stand for part of a multi-byte UTF-8 character (byte-fallback tokens such as `<0xC3>`), so the bytes
/// of an incomplete trailing sequence are held until the tokens that complete it arrive. Bytes that can never form
/// a character become U+FFFD.
struct UTF8Assembler {
    private var pending: [UInt8] = []

    /// Adds one token's bytes.
    /// - Parameter bytes: The token's bytes.
    /// - Returns: The text that is complete now (possibly empty).
    mutating func append(_ bytes: [UInt8]) -> String {
        pending.append(contentsOf: bytes)
        let cut = Self.completePrefixLength(pending)
        guard cut > 0 else { return "" }
        let text = String(decoding: pending[..<cut], as: UTF8.self)
        pending.removeFirst(cut)
        return text
    }

    /// Ends the text: held bytes of an unfinished character become U+FFFD.
    /// - Returns: The remaining text.
    mutating func flush() -> String {
        defer { pending.removeAll() }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// How many leading bytes can be decoded now: all of them, except a trailing lead byte followed by fewer
    /// continuation bytes than it announces.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        var index = bytes.count - 1
        var continuations = 0
        while index >= 0, continuations < 3, bytes[index] & 0xC0 == 0x80 {
            continuations += 1
            index -= 1
        }
        guard index >= 0 else { return bytes.count }
        let expected: Int
        switch bytes[index] {
        case 0xC2...0xDF: expected = 1
        case 0xE0...0xEF: expected = 2
        case 0xF0...0xF4: expected = 3
        default: return bytes.count
        }
        return continuations < expected ? index : bytes.count
    }
}
