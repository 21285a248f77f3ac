/// A semantic version, `major.minor.patch` with an optional pre-release suffix such as `-rc.1`, ordered by
/// semantic-versioning precedence (so `1.0.0-rc.1 < 1.0.0 < 1.0.1 < 1.10.0`).
///
/// Build metadata (`+build.5`) is not accepted: it would make two versions that order the same unequal.
///
/// ```swift
/// let version = try SemanticVersion(parsing: "2.1.0-rc.1")
/// version < "2.1.0"            // true
/// version.nextPatch()          // 2.1.1
/// ```
public struct SemanticVersion: Sendable, Hashable {
    /// The major number: incompatible changes.
    public let major: Int
    /// The minor number: compatible additions.
    public let minor: Int
    /// The patch number: compatible fixes.
    public let patch: Int
    /// The dot-separated pre-release identifiers, e.g. `["rc", "1"]`; empty for a release.
    public let preRelease: [String]

    /// Creates a version from its parts.
    /// - Parameters:
    ///   - major: The major number (at least 0).
    ///   - minor: The minor number (at least 0).
    ///   - patch: The patch number (at least 0).
    ///   - preRelease: Pre-release identifiers, e.g. `["rc", "1"]`; empty for a release.
    /// - Throws: ``RegistryError/invalidVersion(_:)`` when a number is negative or an identifier is not
    ///   alphanumeric (with `-`), is empty, or is a number with a leading zero.
    public init(major: Int, minor: Int, patch: Int, preRelease: [String] = []) throws(RegistryError) {
        let text = "\(major).\(minor).\(patch)" + (preRelease.isEmpty ? "" : "-" + preRelease.joined(separator: "."))
        guard major >= 0, minor >= 0, patch >= 0, preRelease.allSatisfy(Self.isValidIdentifier) else {
            throw .invalidVersion(text)
        }
        self.major = major
        self.minor = minor
        self.patch = patch
        self.preRelease = preRelease
    }

    /// Parses `major.minor.patch` or `major.minor.patch-pre.release`.
    /// - Parameter text: The version text, e.g. `"1.2.0"` or `"1.2.0-rc.1"`; surrounding spaces are not allowed.
    /// - Throws: ``RegistryError/invalidVersion(_:)`` naming the text when it is not a semantic version.
    public init(parsing text: String) throws(RegistryError) {
        let (core, suffix) = Self.split(text)
        let numbers = core.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard numbers.count == 3, numbers.allSatisfy(Self.isCanonicalNumber),
            let major = Int(numbers[0]), let minor = Int(numbers[1]), let patch = Int(numbers[2])
        else { throw .invalidVersion(text) }
        var identifiers: [String] = []
        if let suffix {
            identifiers = suffix.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard identifiers.allSatisfy(Self.isValidIdentifier) else { throw .invalidVersion(text) }
        }
        try self.init(major: major, minor: minor, patch: patch, preRelease: identifiers)
    }

    /// Whether this is a pre-release (it has a `-` suffix).
    public var isPreRelease: Bool { !preRelease.isEmpty }

    /// The next patch release: `1.2.3` → `1.2.4`, `1.2.3-rc.1` → `1.2.4`.
    /// - Returns: The bumped version, without pre-release identifiers.
    public func nextPatch() -> SemanticVersion { SemanticVersion(major, minor, patch + 1) }

    /// The next minor release: `1.2.3` → `1.3.0`.
    /// - Returns: The bumped version, without pre-release identifiers.
    public func nextMinor() -> SemanticVersion { SemanticVersion(major, minor + 1, 0) }

    /// The next major release: `1.2.3` → `2.0.0`.
    /// - Returns: The bumped version, without pre-release identifiers.
    public func nextMajor() -> SemanticVersion { SemanticVersion(major + 1, 0, 0) }

    /// Creates a release from numbers known to be valid.
    private init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.preRelease = []
    }

    /// Splits `core-suffix` at the first `-`; the suffix is `nil` when there is no `-`.
    private static func split(_ text: String) -> (core: Substring, suffix: Substring?) {
        guard let dash = text.firstIndex(of: "-") else { return (text[...], nil) }
        return (text[..<dash], text[text.index(after: dash)...])
    }

    /// Digits only, and no leading zero unless the number is `0`.
    static func isCanonicalNumber(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy(\.isASCIIDigit) && (text == "0" || !text.hasPrefix("0"))
    }

    /// A non-empty run of `[0-9A-Za-z-]`; numeric identifiers must not have leading zeros.
    static func isValidIdentifier(_ text: String) -> Bool {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCIIDigit || $0.isASCIILetter || $0 == "-" }) else {
            return false
        }
        return !text.allSatisfy(\.isASCIIDigit) || isCanonicalNumber(text)
    }
}

extension Character {
    /// `0`...`9`.
    var isASCIIDigit: Bool { isASCII && isNumber }
    /// `a`...`z`, `A`...`Z`.
    var isASCIILetter: Bool { isASCII && isLetter }
}
