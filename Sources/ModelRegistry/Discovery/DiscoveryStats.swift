/// What one ``ModelDiscovery/scan(_:)`` saw and did.
///
/// `scanned` counts the directory's entries. `found` counts the model files and model folders that could be
/// examined; each is then `added` (a new name), `updated` (a new version of a known name), `unchanged`, or
/// listed in `errors` (e.g. a second model with the same name). `errors` also lists the entries that could not
/// be examined (a dangling link, a folder with several model files, a `.gguf` file without a GGUF header).
public struct DiscoveryStats: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Directory entries examined (hidden entries, starting with `.`, are skipped and not counted).
    public var scanned: Int
    /// Model files and model folders found and examined.
    public var found: Int
    /// Models registered as version 1.0.0 of a new name.
    public var added: Int
    /// Models registered as a new version of a name the catalog knew.
    public var updated: Int
    /// Models the catalog already held with the same file size and modification time.
    public var unchanged: Int
    /// Entries that could not be examined or registered, by path, with the reason.
    public var errors: [String: String]

    /// Creates statistics.
    /// - Parameters:
    ///   - scanned: Entries examined.
    ///   - found: Models found.
    ///   - added: New names registered.
    ///   - updated: New versions of known names registered.
    ///   - unchanged: Models already in the catalog.
    ///   - errors: Failed entries by path, with reasons.
    public init(
        scanned: Int = 0, found: Int = 0, added: Int = 0, updated: Int = 0, unchanged: Int = 0,
        errors: [String: String] = [:]
    ) {
        self.scanned = scanned
        self.found = found
        self.added = added
        self.updated = updated
        self.unchanged = unchanged
        self.errors = errors
    }

    /// One line, e.g. `scanned 5, found 3, added 2, updated 1, unchanged 0, errors 1`.
    public var description: String {
        "scanned \(scanned), found \(found), added \(added), updated \(updated), unchanged \(unchanged), "
            + "errors \(errors.count)"
    }
}
