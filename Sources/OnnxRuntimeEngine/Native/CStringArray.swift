internal import Foundation

/// Owns NUL-terminated copies of some strings (the model's input and output names), made once when a model loads
/// so that a run hands ORT their addresses without copying anything.
final class CStringArray: @unchecked Sendable {
    // Safe: the copies are written once in init and only read afterwards, from any thread.
    /// The copies' addresses, in the order given.
    let pointers: [UnsafePointer<CChar>?]

    /// Copies the strings (`strdup`).
    /// - Parameter strings: The strings.
    init(_ strings: [String]) {
        pointers = strings.map { UnsafePointer(strdup($0)) }
    }

    /// Calls `body` with the addresses of the strings at `indices` (all of them, in order, for `nil`), listed on the
    /// stack rather than in a new array.
    func withSelection<R>(_ indices: [Int]?, _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> R) -> R {
        guard let indices else { return pointers.withUnsafeBufferPointer(body) }
        return withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: max(1, indices.count)) {
            selection in
            for (position, index) in indices.enumerated() { selection.initializeElement(at: position, to: pointers[index]) }
            return body(UnsafeBufferPointer(rebasing: selection[..<indices.count]))
        }
    }

    deinit { pointers.forEach { free(UnsafeMutablePointer(mutating: $0)) } }
}
