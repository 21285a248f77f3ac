// MARK: - Comparable

extension SemanticVersion: Comparable {
    /// Semantic-versioning precedence: numbers compare numerically; a pre-release orders before its release;
    /// pre-release identifiers compare one by one (numbers numerically, below text; text in ASCII order), and
    /// a shorter list that is a prefix of a longer one orders first.
    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
            return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }
        switch (lhs.preRelease.isEmpty, rhs.preRelease.isEmpty) {
        case (true, _): return false
        case (false, true): return true
        case (false, false): break
        }
        for (left, right) in zip(lhs.preRelease, rhs.preRelease) where left != right {
            return identifierPrecedes(left, right)
        }
        return lhs.preRelease.count < rhs.preRelease.count
    }

    /// Orders two different pre-release identifiers.
    private static func identifierPrecedes(_ left: String, _ right: String) -> Bool {
        let leftIsNumber = left.allSatisfy(\.isASCIIDigit)
        let rightIsNumber = right.allSatisfy(\.isASCIIDigit)
        switch (leftIsNumber, rightIsNumber) {
        // Numeric identifiers have no leading zeros, so the shorter one is smaller (and no Int can overflow).
        case (true, true):
            if left.count != right.count { return left.count < right.count }
            return Array(left.utf8).lexicographicallyPrecedes(Array(right.utf8))
        case (true, false): return true
        case (false, true): return false
        case (false, false): return Array(left.utf8).lexicographicallyPrecedes(Array(right.utf8))
        }
    }
}

// MARK: - CustomStringConvertible

extension SemanticVersion: CustomStringConvertible {
    /// `major.minor.patch`, followed by `-` and the pre-release identifiers when there are any.
    public var description: String {
        "\(major).\(minor).\(patch)" + (preRelease.isEmpty ? "" : "-" + preRelease.joined(separator: "."))
    }
}

// MARK: - Codable

extension SemanticVersion: Codable {
    /// Decodes a version written as a string, e.g. `"1.2.0"`.
    /// - Throws: `DecodingError.dataCorrupted` when the string is not a semantic version.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the version as its string, e.g. `"1.2.0"`.
    /// - Throws: `EncodingError` from the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

// MARK: - ExpressibleByStringLiteral

extension SemanticVersion: ExpressibleByStringLiteral {
    /// Creates a version from a literal such as `"1.2.0"`. An invalid literal is a programming error and stops
    /// the program; parse text that comes from outside with ``init(parsing:)``.
    public init(stringLiteral value: String) {
        do {
            try self.init(parsing: value)
        } catch {
            preconditionFailure(error.description)
        }
    }
}
