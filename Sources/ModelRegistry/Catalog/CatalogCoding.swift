import Foundation

/// The JSON layout of a catalog file: pretty-printed with sorted keys (so diffs stay small), dates as ISO 8601
/// strings in UTC with milliseconds, e.g. `2025-01-31T12:00:00.123Z`.
///
/// Dates are rounded to the nearest millisecond from integer milliseconds, so writing a date that was read
/// gives the same text again (Foundation's fractional-seconds style truncates, which is not stable).
enum CatalogCoding {
    /// A new encoder for catalog files.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
        return encoder
    }

    /// A new decoder for catalog files.
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\"\(text)\" is not a date such as 2025-01-31T12:00:00.000Z")
            }
            return date
        }
        return decoder
    }

    /// `2025-01-31T12:00:00.123Z`: the date in UTC, rounded to the millisecond.
    static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = (milliseconds.floorDivided(by: 1000), milliseconds.floorRemainder(by: 1000))
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(.iso8601)  // "…T12:00:00Z"
        let digits = String(fraction)
        return whole.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// Parses `2025-01-31T12:00:00Z` with or without a fraction of a second (up to nine digits).
    static func parse(_ text: String) -> Date? {
        guard text.hasSuffix("Z") else { return nil }
        var whole = String(text.dropLast())
        var fraction = 0.0
        if let dot = whole.firstIndex(of: ".") {
            let digits = whole[whole.index(after: dot)...]
            guard (1...9).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), let value = Double("0." + digits)
            else { return nil }
            fraction = value
            whole = String(whole[..<dot])
        }
        guard let date = try? Date.ISO8601FormatStyle().parse(whole + "Z") else { return nil }
        return Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded() + fraction)
    }

    /// A short account of why a catalog file could not be decoded, naming the field where there is one.
    /// - Parameter error: What the decoder threw.
    /// - Returns: E.g. `field versions[2].stage: Cannot initialize ModelStage from invalid String value "live"`.
    static func reason(for error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return "\(error)" }
        let failure = DecodingFailure(decodingError)
        return failure.path.isEmpty ? failure.reason : "field \(failure.fieldPath): \(failure.reason)"
    }
}

extension Int64 {
    /// The quotient rounded towards negative infinity.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// The non-negative remainder that goes with ``floorDivided(by:)``.
    fileprivate func floorRemainder(by divisor: Int64) -> Int64 { self - floorDivided(by: divisor) * divisor }
}
