import Foundation

/// What a failed attempt leaves for the next one to continue with a `Range` request instead of starting over: the
/// bytes already in the temporary file, the SHA-256 state over exactly those bytes (so the checksum still covers
/// the whole file), and the validator (`ETag` or `Last-Modified`) the next request sends as `If-Range`, so a file
/// that changed on the server meanwhile comes back whole instead of being spliced. Without a validator there is no
/// resume point: nothing would tell a changed file from the same one. A range whose total size differs from the
/// first response's is refused as a changed file too.
struct ResumePoint: Sendable {
    /// Bytes written to the temporary file so far.
    let bytes: Int64
    /// The hash state after those bytes.
    let hasher: SHA256
    /// The first response's `ETag`, else its `Last-Modified`.
    let validator: String
    /// The whole file's size as the first response gave it, when it did.
    let total: Int64?
}

/// A `Content-Range: bytes START-END/TOTAL` header (`TOTAL` may be `*`).
struct ContentRange: Equatable {
    /// The first byte's offset.
    let start: Int64
    /// The last byte's offset.
    let end: Int64
    /// The whole file's size, when the server knows it.
    let total: Int64?

    /// A range from its parts.
    init(start: Int64, end: Int64, total: Int64?) {
        self.start = start
        self.end = end
        self.total = total
    }

    /// Parses the header's value; `nil` when it is not a byte range.
    init?(_ header: String) {
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("bytes ") else { return nil }
        let parts = text.dropFirst("bytes ".count).split(separator: "/", maxSplits: 1)
        let bounds = parts.first?.split(separator: "-", maxSplits: 1) ?? []
        guard parts.count == 2, bounds.count == 2, let start = Int64(bounds[0]), let end = Int64(bounds[1]),
              start <= end
        else { return nil }
        let total = parts[1] == "*" ? nil : Int64(parts[1])
        guard parts[1] == "*" || total.map({ $0 > end }) == true else { return nil }
        self.start = start
        self.end = end
        self.total = total
    }
}
