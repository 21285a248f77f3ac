/// A JSON field that may hold one value or an array of them, like OpenAI's `prompt`, `input` and `stop`.
struct OneOrMany<Value: Decodable & Sendable>: Decodable, Sendable {
    var values: [Value]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(Value.self) {
            values = [one]
        } else if let many = try? container.decode([Value].self) {
            values = many
        } else {
            throw DecodingError.typeMismatch(
                Self.self, .init(codingPath: decoder.codingPath, debugDescription: "expected one value or an array"))
        }
    }
}
